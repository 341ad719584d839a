import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { claimsFor, createKeyVerifier, restRoutes, signDatabaseKey } from '@qdrant-kit/core';
import {
  type BenchmarkTable,
  cellNumber,
  chartsForTable,
  linearAxis,
  logAxis,
  type RatioChart,
  ratioCell,
  tableChartsHtml,
  type ValueChart,
} from '../.vitepress/theme/lib/benchmarks.ts';
import { decide, operations } from '../.vitepress/theme/lib/operations.ts';
import {
  decideColumns,
  formatUnixTime,
  inspectAnyKey,
  inspectKey,
  mintKey,
  prettyJson,
  relativeTime,
  visibleParts,
  visibleText,
} from '../.vitepress/theme/lib/workbench.ts';
import { EXAMPLE_MAPPING } from '../.vitepress/theme/lib/identity-token.ts';
import { identityToken, unsignedKey } from './support/keys.ts';

describe('benchmark charts', () => {
  const ratios: BenchmarkTable = {
    columns: ['ratio', 'value', 'goal'],
    rows: [
      ['gateway / nginx', '0.31×', '≥ 0.5×'],
      ['auth / no auth', '1.18×', '≥ 0.9×'],
      ['bare / nginx', '0.36×', ''],
    ],
  };
  const targets: BenchmarkTable = {
    columns: ['target', 'req/s', 'p50 ms', 'CPU µs/request'],
    rows: [
      ['upstream', '26043', '1', '37'],
      ['nginx', '17233', '3', '29'],
      ['gateway, auth off', '4768', '9.5', '217'],
    ],
  };

  test('reads numbers and ratios leniently', () => {
    assert.equal(cellNumber('812,000 ops/s'), 812_000);
    assert.equal(cellNumber('2.70×'), 2.7);
    assert.equal(cellNumber('9.1e6 ops/s'), 9_100_000);
    assert.equal(cellNumber('n/a'), undefined);
    assert.deepEqual(ratioCell('≥ 0.67×'), { value: 0.67, comparator: '≥' });
    assert.deepEqual(ratioCell('2.36x'), { value: 2.36, comparator: undefined });
    assert.equal(ratioCell('26043'), undefined);
  });

  test('a ratio table is one chart on a log axis that shows every value, goals marked', () => {
    const charts = chartsForTable(ratios);
    assert.equal(charts.length, 1, 'no value chart for a table of ratios');
    const chart = charts[0] as RatioChart;
    assert.equal(chart.kind, 'ratio');
    const bars = chart.groups.flatMap((group) => group.bars);
    assert.deepEqual(
      bars.map((bar) => [bar.text, bar.meetsGoal]),
      [
        ['0.31×', false],
        ['1.18×', true],
        ['0.36×', undefined],
      ],
    );
    for (const bar of bars) {
      assert.ok(bar.from >= 0 && bar.from + bar.width <= 100.0001, `${bar.text} inside the axis`);
      // 0.31× used to be clamped onto a 0.5×-2× axis: its bar must reach well left of parity.
      assert.ok(bar.width > 5, `${bar.text} is a visible bar (${bar.width}%)`);
    }
    assert.ok(chart.ticks.some((tick) => tick.value === 1));
    assert.ok(chart.ticks.every((tick) => tick.at >= 0 && tick.at <= 100));
    assert.ok(
      chart.groups[0]?.goal && Math.abs(chart.groups[0].goal.at - logAt(chart, 0.5)) < 1e-9,
    );
  });

  test('ratios from 0.1× to 100× all sit inside a logarithmic axis', () => {
    const axis = logAxis([0.1, 1, 100]);
    const at = [0.1, 1, 100].map((value) => axis.at(value));
    assert.ok(at.every((value) => value > 0 && value < 100));
    assert.ok(
      Math.abs(at[1]! - at[0]! - (at[2]! - at[1]!) / 2) < 1e-9,
      'equal ratios, equal distances',
    );
    assert.deepEqual(
      axis.ticks.map((tick) => tick.value),
      [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100],
    );
  });

  test('every other numeric column is a chart of its own unit', () => {
    const charts = chartsForTable(targets) as ValueChart[];
    assert.deepEqual(
      charts.map((chart) => chart.title),
      ['req/s', 'p50 ms', 'CPU µs/request'],
    );
    const requests = charts[0];
    assert.ok(requests);
    const [upstream, , gateway] = requests.bars;
    // 26 043 and 4 768 req/s on one linear axis from 0: bars in proportion.
    assert.ok(upstream && gateway);
    assert.ok(Math.abs(upstream.width / gateway.width - 26043 / 4768) < 1e-6);
    assert.ok(upstream.width <= 100);
  });

  test('two figures are left to the table; no table, no chart', () => {
    const bundle: BenchmarkTable = {
      columns: ['consumer', 'min', 'min+gzip'],
      rows: [
        ['core', '62.9 KiB', '19.3 KiB'],
        ['all', '91.5 KiB', '25.5 KiB'],
      ],
    };
    assert.deepEqual(chartsForTable(bundle), []);
    assert.equal(tableChartsHtml(bundle), '');
    assert.deepEqual(chartsForTable({ columns: [], rows: [] }), []);
  });

  test('linear axes start at 0 and end at a round number above the largest value', () => {
    const axis = linearAxis([26043, 4768]);
    assert.equal(axis.ticks[0]?.value, 0);
    assert.ok((axis.ticks.at(-1)?.value ?? 0) >= 26043);
    assert.ok(axis.at(26043) <= 100);
  });

  test('chart HTML escapes the table text and never holds a Vue interpolation', () => {
    const html = tableChartsHtml({
      columns: ['m', 'v'],
      rows: [
        ['<b>{{ x }}</b>', '1×'],
        ['b', '2×'],
      ],
    });
    assert.match(html, /v-pre/);
    assert.doesNotMatch(html, /<b>|\{\{/);
  });
});

function logAt(chart: RatioChart, value: number): number {
  // Two ticks fix the axis: position is linear in log(value).
  const [first, second] = chart.ticks;
  assert.ok(first && second);
  const slope = (second.at - first.at) / (Math.log(second.value) - Math.log(first.value));
  return first.at + slope * (Math.log(value) - Math.log(first.value));
}

describe('operations come from core', () => {
  test('one operation per entry of restRoutes', () => {
    assert.equal(operations.length, restRoutes.length);
    assert.ok(operations.length >= 100);
  });

  test('every example path matches its own route', () => {
    const manage = { kind: 'global', mode: 'm' } as const;
    for (const operation of operations) {
      const verdict = decide(manage, operation, 'tenant-42');
      assert.ok(verdict.allowed, `${operation.method} ${operation.pattern}: ${verdict.message}`);
    }
  });

  test('example paths of collection keys reach the collection rules', () => {
    const reader = {
      kind: 'collections',
      collections: [{ collection: 'c', access: 'r' }],
    } as const;
    const search = operations.find(
      (operation) => operation.method === 'POST' && operation.pattern.endsWith('/points/search'),
    );
    assert.ok(search);
    assert.deepEqual(decide(reader, search, 'c'), { allowed: true, message: 'Allowed' });
    assert.deepEqual(decide(reader, search, 'other'), {
      allowed: false,
      message: 'Forbidden: Access to collection other is required',
    });
  });
});

describe('workbench logic', () => {
  test('inspects a collection key', async () => {
    const key = await signDatabaseKey(
      's',
      claimsFor({ access: { a: 'rw', b: 'r' }, expiresIn: 60 }),
    );
    const result = inspectKey(key);
    assert.ok(result.ok);
    assert.deepEqual(
      result.columns.map((column) => [column.collection, column.named]),
      [
        ['a', true],
        ['b', true],
      ],
    );
    assert.deepEqual(
      result.grants.map((grant) => [grant.collection, grant.mode]),
      [
        ['a', 'rw'],
        ['b', 'r'],
      ],
    );
    assert.equal(result.expired, false);
    const upsert = decideColumns(result.access, result.columns).find(
      (line) => line.operation.method === 'PUT' && line.operation.pattern.endsWith('/points'),
    );
    assert.deepEqual(
      upsert?.verdicts.map((verdict) => verdict.allowed),
      [true, false],
    );
  });

  test('reports expiry against the given clock', async () => {
    const key = await signDatabaseKey(
      's',
      claimsFor({ access: 'r', expiresAt: new Date(1_000_000_000_000) }),
    );
    const result = inspectKey(key, 1_000_000_000_000 + 3_600_000);
    assert.ok(result.ok);
    assert.equal(result.expired, true);
    assert.equal(result.expiresAt, 1_000_000_000);
  });

  test('explains input that is not a key', () => {
    const empty = inspectKey('   ');
    assert.equal(empty.ok, false);
    const plain = inspectKey('my-admin-key');
    assert.ok(!plain.ok && plain.notAJwt);
    const broken = inspectKey('eyJ.eyJ.x');
    assert.ok(!broken.ok && !broken.notAJwt && broken.message.length > 0);
  });

  test('mints keys core verifies, and refuses duplicate collections', async () => {
    const minted = await mintKey({
      secret: 'k',
      scope: 'collections',
      grants: [{ collection: ' docs ', access: 'prw' }],
      expiry: 'never',
      subject: '',
    });
    assert.ok(minted.ok);
    const verified = await createKeyVerifier({ apiKey: 'k', jwtRbac: true }).verifyKey(
      minted.token,
    );
    assert.ok(verified.ok);
    assert.deepEqual(verified.access, {
      kind: 'collections',
      collections: [{ collection: 'docs', access: 'prw' }],
    });
    const duplicate = await mintKey({
      secret: 'k',
      scope: 'collections',
      grants: [
        { collection: 'a', access: 'r' },
        { collection: 'a', access: 'rw' },
      ],
      expiry: '1h',
      subject: '',
    });
    assert.ok(!duplicate.ok && /unique/.test(duplicate.message));
    const noSecret = await mintKey({
      secret: '',
      scope: 'm',
      grants: [],
      expiry: '1h',
      subject: '',
    });
    assert.equal(noSecret.ok, false);
  });

  test('an exp past what a Date holds is described, not thrown', () => {
    const far = inspectKey(unsignedKey({ access: 'r', exp: 99_999_999_999_999 }));
    assert.ok(far.ok, !far.ok ? far.message : '');
    assert.equal(far.expiresAt, 99_999_999_999_999);
    assert.match(formatUnixTime(99_999_999_999_999), /later than any date a browser can show/);
    assert.match(formatUnixTime(4_102_444_800), /^2100-01-01 00:00:00 UTC$/);
    assert.match(formatUnixTime(253_402_300_800), /^year 10,000 \(/);
    assert.match(relativeTime(99_999_999_999_999, 0), /^in \d+ days/);
  });

  test('a value_exists value past 2^53 is shown as the integer it is', () => {
    const key = unsignedKey(
      '{"access":"r","value_exists":{"collection":"users","matches":[{"key":"id","value":9007199254740993}]}}',
    );
    const result = inspectKey(key);
    assert.ok(result.ok, !result.ok ? result.message : '');
    assert.throws(() => JSON.stringify(result.claims), /BigInt/);
    assert.match(prettyJson(result.claims), /"value": 9007199254740993\b/);
  });

  test('a grant on the collection "*" is that collection, not every collection', () => {
    const literal = inspectKey(unsignedKey({ access: [{ collection: '*', access: 'r' }] }));
    assert.ok(literal.ok);
    assert.deepEqual(literal.grants[0]?.collection, '*');
    assert.deepEqual(
      literal.columns.map((column) => [column.collection, column.named]),
      [['*', true]],
    );
    const global = inspectKey(unsignedKey({ access: 'r' }));
    assert.ok(global.ok);
    assert.equal(global.grants[0]?.collection, undefined);
    assert.equal(global.columns[0]?.named, false);
  });

  test('a collection named any-collection is a named column, unlike a global key', () => {
    const named = inspectKey(
      unsignedKey({ access: [{ collection: 'any-collection', access: 'r' }] }),
    );
    assert.ok(named.ok);
    assert.deepEqual(named.columns, [
      { collection: 'any-collection', named: true, description: undefined },
    ]);
  });

  test('hidden characters are written out as code points', () => {
    const name = 'tenant\u202eexe.txt\u200b';
    assert.deepEqual(visibleParts(name), [
      { kind: 'text', text: 'tenant' },
      { kind: 'hidden', label: 'U+202E', name: 'right-to-left override' },
      { kind: 'text', text: 'exe.txt' },
      { kind: 'hidden', label: 'U+200B', name: 'zero width space' },
    ]);
    assert.equal(visibleText('a b\u00a0c'), 'a b[U+00A0]c');
    assert.equal(prettyJson({ n: 'x\u202ey' }), '{\n  "n": "x\\u202ey"\n}');
  });

  test('1500 collections inspect quickly; only the page on screen is decided', () => {
    const access = Array.from({ length: 1500 }, (_, index) => ({
      collection: `c${index}`,
      access: index % 3 === 0 ? 'rw' : 'r',
    }));
    const started = performance.now();
    const result = inspectKey(unsignedKey({ access }));
    assert.ok(result.ok);
    assert.equal(result.columns.length, 1500);
    const page = decideColumns(result.access, result.columns.slice(0, 8));
    const elapsed = performance.now() - started;
    assert.ok(page.every((line) => line.verdicts.length === 8));
    assert.ok(elapsed < 1000, `took ${elapsed} ms`);
  });

  test('hostile input never throws', () => {
    for (const payload of [
      '{"access":"r","exp":1e400}',
      '{"access":"r","exp":-1}',
      '{"access":[{"collection":"a","access":"rw"},{"collection":"a","access":"r"}]}',
      '[]',
      '"just a string"',
    ]) {
      const result = inspectKey(unsignedKey(payload));
      if (result.ok) assert.doesNotThrow(() => prettyJson(result.claims));
      else assert.ok(result.message.length > 0);
    }
  });

  test('words time distances', () => {
    assert.equal(relativeTime(3_600 + 120, 0), 'in 1 h 2 min');
    assert.equal(relativeTime(0, 2 * 86_400_000), '2 days ago');
    assert.equal(relativeTime(0, 0), 'in 0 s');
  });
});

describe('workbench: identity-provider tokens', () => {
  const now = 1_900_000_000_000;
  const claims = {
    iss: 'https://login.example.com/',
    sub: 'auth0|42',
    aud: ['qdrant', 'x'],
    exp: now / 1000 + 600,
    org_id: 'acme',
  };

  test('a token of an IdP is mapped as the gateway would, and decided by core', () => {
    const result = inspectAnyKey(identityToken(claims), EXAMPLE_MAPPING, now);
    assert.ok(result.ok);
    assert.deepEqual(result.identity, {
      issuer: 'https://login.example.com/',
      subject: 'auth0|42',
      audience: ['qdrant', 'x'],
    });
    assert.deepEqual(result.access, {
      kind: 'collections',
      collections: [
        { collection: 'tenant-acme', access: 'rw' },
        { collection: 'shared-docs', access: 'r' },
      ],
    });
    assert.equal(result.expired, false);
    const [line] = decideColumns(result.access, result.columns).filter(
      (l) =>
        l.operation.method === 'PUT' &&
        l.operation.pattern === '/collections/{collection_name}/points',
    );
    assert.deepEqual(
      line?.verdicts.map((v) => v.allowed),
      [true, false],
    );
  });

  test('a claim that is not a collection name grants nothing; a bad mapping is the mapping box at fault', () => {
    const odd = inspectAnyKey(
      identityToken({ ...claims, org_id: '../admin' }, 'ES256'),
      EXAMPLE_MAPPING,
      now,
    );
    assert.ok(odd.ok);
    assert.deepEqual(
      odd.grants.map((g) => g.collection),
      ['shared-docs'],
    );
    const bad = inspectAnyKey(identityToken(claims), '[{"collection":"a/b","access":"rw"}]', now);
    assert.equal(bad.ok, false);
    assert.equal(!bad.ok && bad.mappingError, true);
    assert.match(!bad.ok ? bad.message : '', /^QDRANT_GATEWAY_OIDC_ACCESS grant 1/);
  });

  test('database keys and unusable algorithms are inspected as before', () => {
    const key = unsignedKey({ access: 'r' });
    assert.deepEqual(inspectAnyKey(key, EXAMPLE_MAPPING), inspectKey(key));
    const hs512 = identityToken(claims, 'HS512');
    assert.deepEqual(inspectAnyKey(hs512, EXAMPLE_MAPPING), inspectKey(hs512));
    assert.equal(inspectAnyKey(identityToken(claims, 'none'), EXAMPLE_MAPPING).ok, false);
  });
});
