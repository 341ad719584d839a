// Request bodies in every form serde accepts (issue 8): a collection named in sequence form, with
// escaped keys, repeated keys, deep nesting, or exotic JS objects must be checked or refused,
// never passed. Forms from lib/api/src/rest/schema.rs and lib/collection/src/operations/types.rs;
// checks from lib/storage/src/rbac/ops_checks.rs:101-116 (lookup_from, with_lookup) and :247-272
// (prefetch, depth-first). Runtime-neutral: runs on Node 20/24, Deno, Bun and workerd.
import {
  type Access,
  authorizeRequest,
  BodyScanner,
  collectionsInBody,
  matchRoute,
  scanBody,
} from '@qdrant-kit/core';
import {
  assert,
  assertDeepEqual,
  assertEqual,
  type TestCase,
  test,
} from '@qdrant-kit/runtime-harness/suite';

const DOCS: Access = { kind: 'collections', collections: [{ collection: 'docs', access: 'r' }] };
const BOTH: Access = {
  kind: 'collections',
  collections: [
    { collection: 'docs', access: 'r' },
    { collection: 'other', access: 'r' },
  ],
};
const C = '/collections/docs/points';
const enc = (text: string) => new TextEncoder().encode(text);
const OTHER = 'Forbidden: Access to collection other is required';

// Bytes are scanned first (`scanBody`), as the cluster reads them; `authorizeRequest` decides on
// the scan.
function decideBytes(access: Access, path: string, bytes: Uint8Array) {
  const kind = matchRoute('POST', `${C}/${path}`)?.bodyLookups;
  assert(kind !== undefined, `${path}: not a route with body lookups`);
  const body = scanBody(kind, bytes);
  return authorizeRequest(access, { method: 'POST', path: `${C}/${path}`, body });
}
function decide(access: Access, path: string, text: string) {
  return decideBytes(access, path, enc(text));
}
function refused(result: ReturnType<typeof authorizeRequest>, status: number, label: string): void {
  assert(!result.ok, `${label}: allowed`);
  if (!result.ok) assertEqual(result.status, status, `${label}: ${result.message}`);
}

// Bodies that name `other` in a form serde accepts; a key for `docs` only must be refused.
const SEQUENCE_FORMS: Array<[string, string]> = [
  ['query', '{"lookup_from":["other"]}'],
  ['query', '{"lookup_from":["other",null,null]}'],
  ['recommend', '{"positive":[1],"lookup_from":["other","v"]}'],
  ['discover', '{"target":1,"lookup_from":["other"]}'],
  ['recommend/groups', '{"group_by":"g","group_size":1,"limit":1,"with_lookup":["other"]}'],
  [
    'search/groups',
    '{"vector":[1],"group_by":"g","group_size":1,"limit":1,"with_lookup":["other",true,true]}',
  ],
  ['search/groups', '{"vector":[1],"group_by":"g","group_size":1,"limit":1,"with_lookup":"other"}'],
  ['query/groups', '{"group_by":"g","with_lookup":{"collection":"other"}}'],
  ['query', '{"prefetch":[[null,null,null,null,null,null,null,["other"]]]}'],
  [
    'query',
    '{"prefetch":[[[[null,null,null,null,null,null,null,{"collection":"other"}]],null,null,null,null,null,null]]}',
  ],
  ['query', '{"prefetch":{"prefetch":{"prefetch":{"lookup_from":["other"]}}}}'],
  ['query/batch', '[[{"lookup_from":["other"]}]]'],
  ['query/batch', '{"searches":[{},{"prefetch":[{"lookup_from":["other"]}]}]}'],
  ['recommend/batch', '[[{"positive":[1],"lookup_from":["other"]}]]'],
  ['discover/batch', '[[{"target":1,"lookup_from":{"collection":"other"}}]]'],
  // serde_json decodes escapes in keys and strings before matching.
  ['query', '{"lookup\\u005ffrom":{"collection":"other"}}'],
  ['query', '{"lookup_from":{"\\u0063ollection":"\\u006fther"}}'],
  ['query', ' \n{ "prefetch" :\t[ { "lookup_from" : [ "other" ] } ] }\r\n'],
];

const cases: TestCase[] = [
  test('a collection named in any serde form is checked (403 for a key without it)', () => {
    for (const [path, text] of SEQUENCE_FORMS) {
      assertDeepEqual(
        decide(DOCS, path, text),
        { ok: false, status: 403, message: OTHER },
        `${path} ${text}`,
      );
      assert(decide(BOTH, path, text).ok, `allowed with both: ${path} ${text}`);
    }
  }),
  test('parsed bodies in sequence form are read too (object reader)', () => {
    for (const [path, text] of SEQUENCE_FORMS) {
      const r = authorizeRequest(DOCS, {
        method: 'POST',
        path: `${C}/${path}`,
        body: JSON.parse(text),
      });
      assertDeepEqual(r, { ok: false, status: 403, message: OTHER }, `${path} ${text}`);
    }
  }),
  test('the first collection in check order is reported: lookup_from, prefetches depth-first, with_lookup', () => {
    const text =
      '{"with_lookup":"w","prefetch":[{"prefetch":[],"lookup_from":["p0"]},[null,null,null,null,null,null,null,["p1"]]],"lookup_from":["top"],"group_by":"g"}';
    assertDeepEqual(scanBody('query-groups', text).collections, ['top', 'p0', 'p1', 'w']);
    assertDeepEqual(collectionsInBody('query-groups', JSON.parse(text)).collections, [
      'top',
      'p0',
      'p1',
      'w',
    ]);
    const r = decide(DOCS, 'query/groups', text);
    assertDeepEqual(r, {
      ok: false,
      status: 403,
      message: 'Forbidden: Access to collection top is required',
    });
  }),
  test('a repeated field at a lookup position is refused with 400 (serde: duplicate field)', () => {
    for (const [path, text] of [
      ['query', '{"lookup_from":{"collection":"docs"},"lookup_from":{"collection":"other"}}'],
      ['query', '{"lookup_from":{"collection":"docs","collection":"other"}}'],
      ['query', '{"prefetch":[],"prefetch":[{"lookup_from":["other"]}]}'],
      ['query', '{"lookup_from":["docs"],"lookup\\u005ffrom":["other"]}'],
      ['query/groups', '{"group_by":"g","with_lookup":"docs","with_lookup":"other"}'],
      ['query/batch', '{"searches":[],"searches":[{"lookup_from":["other"]}]}'],
    ] as const) {
      const r = decide(BOTH, path, text);
      refused(r, 400, text);
      if (!r.ok) assert(r.message.includes('duplicate field'), r.message);
    }
  }),
  test('values of an unknown shape at a lookup position are refused with 400 (fail closed)', () => {
    for (const text of [
      '{"lookup_from":"other"}',
      '{"lookup_from":5}',
      '{"lookup_from":{"collection":["other"]}}',
      '{"lookup_from":["other",null,null,null]}',
      '{"prefetch":"other"}',
      '{"prefetch":[null]}',
      '{"prefetch":[[null,null,null,null,null,null,null,["other"],null]]}',
      '[{"lookup_from":["other"]}]',
      '"other"',
    ]) {
      refused(decide(DOCS, 'query', text), 400, text);
    }
    refused(decide(DOCS, 'query/batch', '[[{}],[{"lookup_from":["other"]}]]'), 400, 'batch of 2');
  }),
  test('JSON serde_json refuses is refused with 400 in the cluster wording', () => {
    for (const text of [
      '{"lookup_from":["other"]',
      '{"lookup_from":["other"]} {}',
      '{"lookup_from":["oth\\ud800er"]}',
      '{"lookup_from":["\\udc00"]}',
      '{"x":1e400,"lookup_from":["other"]}',
      '{"x":01}',
      '{"x":[1,]}',
      '{"x":"a\u0001"}',
      `{"x":${'['.repeat(200)}${']'.repeat(200)}}`,
    ]) {
      const r = decide(BOTH, 'query', text);
      refused(r, 400, text);
      if (!r.ok) assert(r.message.startsWith('Format error in JSON body: '), r.message);
    }
    // Invalid UTF-8 inside a collection name.
    const bytes = enc('{"lookup_from":["xx"]}');
    bytes[17] = 0xff;
    refused(decideBytes(BOTH, 'query', bytes), 400, 'utf-8');
  }),
  test("nesting up to serde_json's limit is read, one level more is refused", () => {
    // 126 containers: 62 prefetch objects and lists around an object with a lookup list.
    let text = '{"lookup_from":["other"]}';
    for (let i = 0; i < 62; i++) text = `{"prefetch":[${text}]}`;
    assertDeepEqual(decide(DOCS, 'query', text), { ok: false, status: 403, message: OTHER });
    // 127: serde_json's limit (remaining_depth 128, de.rs:63).
    refused(decide(DOCS, 'query', `{"prefetch":${text}}`), 403, 'at the limit');
    refused(decide(BOTH, 'query', `{"prefetch":[${text}]}`), 400, 'beyond the limit');
  }),
  test('chunk boundaries anywhere give the same answer', () => {
    const bytes = enc(
      '{"pre\\u0066etch":[{"lookup_from":["ot\\u0068er"]}],"x":[1.5e3,"\\ud83d\\ude00"]}',
    );
    for (let cut = 0; cut <= bytes.length; cut++) {
      const scanner = new BodyScanner('query');
      scanner.write(bytes.subarray(0, cut));
      scanner.write(bytes.subarray(cut));
      const scan = scanner.end();
      assertEqual(scan.error, undefined, `cut ${cut}`);
      assertDeepEqual(scan.collections, ['other'], `cut ${cut}`);
    }
  }),
  test('bytes given as the body are refused, never read as an empty object', () => {
    // authorize decides on a scan or a parsed value; bytes themselves name nothing it could see,
    // so a body that names `other` must not pass for a key limited to `docs`.
    const text = '{"lookup_from":{"collection":"other"}}';
    for (const body of [enc(text), enc(text).buffer, new DataView(enc(text).buffer)]) {
      const r = authorizeRequest(DOCS, { method: 'POST', path: `${C}/query`, body });
      refused(r, 400, 'bytes');
      if (!r.ok) assert(r.message.includes('scanBody'), r.message);
    }
    assertDeepEqual(decide(DOCS, 'query', text), { ok: false, status: 403, message: OTHER });
  }),
  test('a scan is bound to its route kind and its key', () => {
    const scan = scanBody('query', '{"lookup_from":["docs"]}', { access: DOCS });
    assert(
      authorizeRequest(DOCS, { method: 'POST', path: `${C}/query`, body: scan }).ok,
      'same key',
    );
    refused(
      authorizeRequest(BOTH, { method: 'POST', path: `${C}/query`, body: scan }),
      400,
      'other key',
    );
    refused(
      authorizeRequest(DOCS, { method: 'POST', path: `${C}/recommend`, body: scan }),
      400,
      'other route',
    );
  }),
  test('authorizeRequest is total: Proxies, throwing getters and revoked Proxies are denied', () => {
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const throwing = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
        getOwnPropertyDescriptor() {
          throw new Error('trap');
        },
      },
    );
    let flips = 0;
    const flipping = new Proxy(
      { lookup_from: { collection: 'docs' } },
      {
        getOwnPropertyDescriptor(target, key) {
          if (key !== 'lookup_from') return Reflect.getOwnPropertyDescriptor(target, key);
          flips++;
          return {
            value: { collection: flips % 2 ? 'docs' : 'other' },
            writable: true,
            enumerable: true,
            configurable: true,
          };
        },
      },
    );
    const getter = {
      get lookup_from() {
        return { collection: 'other' };
      },
    };
    const requests: unknown[] = [
      revoked.proxy,
      throwing,
      { method: 'POST', path: `${C}/query`, body: revoked.proxy },
      { method: 'POST', path: `${C}/query`, body: throwing },
      { method: 'POST', path: `${C}/query`, body: getter },
      {
        method: 'POST',
        path: `${C}/query`,
        get body(): unknown {
          throw new Error('getter');
        },
      },
      { method: 'POST', path: `${C}/query`, body: { prefetch: [revoked.proxy] } },
      {
        method: 'POST',
        path: `${C}/query`,
        body: {
          prefetch: new Proxy([], {
            getOwnPropertyDescriptor: (t, k) =>
              k === 'length'
                ? { value: 1e12, writable: true, enumerable: false, configurable: false }
                : Reflect.getOwnPropertyDescriptor(t, k),
          }),
        },
      },
    ];
    for (const request of requests) {
      let result: ReturnType<typeof authorizeRequest> | undefined;
      try {
        result = authorizeRequest(DOCS, request as never);
      } catch (error) {
        throw new Error(`threw: ${String(error)}`);
      }
      assertEqual(result.ok, false, 'denied');
    }
    // A Proxy that answers differently to each read is read once per property.
    const r = authorizeRequest(DOCS, { method: 'POST', path: `${C}/query`, body: flipping });
    assertEqual(flips, 1, 'lookup_from read once');
    assert(r.ok, 'its one answer (docs) is granted');
  }),
];

export default cases;
