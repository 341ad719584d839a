import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { claimsFor, createKeyVerifier, restRoutes, signDatabaseKey } from '@qdrant-kit/core';
import {
  cellNumber,
  numericColumnIndexes,
  parseBenchmarkTables,
  ratioColumnIndex,
  ratioScale,
  tableTitles,
} from '../.vitepress/theme/lib/benchmarks.ts';
import { decide, operations } from '../.vitepress/theme/lib/operations.ts';
import { inspectKey, mintKey, relativeTime } from '../.vitepress/theme/lib/workbench.ts';

describe('BENCHMARKS.md parsing', () => {
  const markdown = [
    '# Benchmarks',
    '',
    '## @qdrant-kit/core',
    '',
    '### verify + authorize',
    '',
    '```sh',
    'pnpm --filter @qdrant-kit/core bench',
    '```',
    '',
    '| measurement | ours | peer | ratio |',
    '|---|---:|---:|:---:|',
    '| cold verify vs jose | **812,000 ops/s** | 301,000 ops/s | 2.70× |',
    '| hot verify vs jose | 9.1e6 ops/s | 301,000 ops/s | 30.2x |',
    '| short row | 5 |',
    '',
    '## Gateway',
    '| what | value |',
    '| --- | --- |',
    '| bundle \\| gzip | `14.2 kB` |',
  ].join('\n');
  const tables = parseBenchmarkTables(markdown);

  test('finds every table with its headings and notes', () => {
    assert.equal(tables.length, 2);
    assert.deepEqual(tables[0]?.headings, ['Benchmarks', '@qdrant-kit/core', 'verify + authorize']);
    assert.deepEqual(tables[0]?.notes, ['pnpm --filter @qdrant-kit/core bench']);
    assert.deepEqual(tables[1]?.headings, ['Benchmarks', 'Gateway']);
  });

  test('cleans cells, pads short rows, keeps escaped pipes', () => {
    assert.deepEqual(tables[0]?.rows[0], [
      'cold verify vs jose',
      '812,000 ops/s',
      '301,000 ops/s',
      '2.70×',
    ]);
    assert.deepEqual(tables[0]?.rows[2], ['short row', '5', '', '']);
    assert.deepEqual(tables[1]?.rows[0], ['bundle | gzip', '14.2 kB']);
  });

  test('reads numbers leniently', () => {
    assert.equal(cellNumber('812,000 ops/s'), 812_000);
    assert.equal(cellNumber('2.70×'), 2.7);
    assert.equal(cellNumber('9.1e6 ops/s'), 9_100_000);
    assert.equal(cellNumber('-3 ms'), -3);
    assert.equal(cellNumber('p99 12 ms'), 99);
    assert.equal(cellNumber('n/a'), undefined);
  });

  test('finds the ratio and numeric columns', () => {
    const first = tables[0];
    assert.ok(first);
    assert.equal(ratioColumnIndex(first.columns), 3);
    assert.deepEqual(numericColumnIndexes(first), [1, 2, 3]);
    assert.equal(ratioColumnIndex(['what', 'value']), -1);
  });

  test('no tables, no crash', () => {
    assert.deepEqual(parseBenchmarkTables(''), []);
    assert.deepEqual(parseBenchmarkTables('| not | a table'), []);
  });
});

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
    assert.deepEqual(result.collections, ['a', 'b']);
    assert.deepEqual(
      result.grants.map((grant) => [grant.collection, grant.mode]),
      [
        ['a', 'rw'],
        ['b', 'r'],
      ],
    );
    assert.equal(result.expired, false);
    const upsert = result.collectionOperations.find(
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

  test('words time distances', () => {
    assert.equal(relativeTime(3_600 + 120, 0), 'in 1 h 2 min');
    assert.equal(relativeTime(0, 2 * 86_400_000), '2 days ago');
    assert.equal(relativeTime(0, 0), 'in 0 s');
  });
});

describe('benchmark chart geometry', () => {
  test('the ratio scale is logarithmic and symmetric around parity', () => {
    const { x, ticks } = ratioScale([0.5, 2], 0, 100);
    assert.ok(Math.abs(x(1) - 50) < 1e-9);
    assert.ok(Math.abs(x(2) - 50 - (50 - x(0.5))) < 1e-9);
    assert.deepEqual(ticks, [0.5, 1, 2]);
    const wide = ratioScale([40], 0, 100);
    assert.ok(wide.x(40) < 100 && wide.x(40) > wide.x(2));
    assert.equal(wide.x(-3), 0, 'non-positive ratios clamp to the left edge');
  });

  test('titles are unique per table', () => {
    const tables = parseBenchmarkTables(
      '## core\n| a | b |\n|---|---|\n| 1 | 2 |\n\n| bundle | size |\n|---|---|\n| x | 1 kB |\n## gateway\n| m | v |\n|--|--|\n| r | 3 |\n',
    );
    assert.deepEqual(tableTitles(tables), ['core · a', 'core · bundle', 'gateway']);
  });
});
