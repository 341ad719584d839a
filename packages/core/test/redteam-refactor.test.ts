// Red-team cases of the access refactor (bodies as parsed values or `BodyScan`s, lazy tables,
// `isExemptPath(path)`): an attacker controls the method, the path and the body; an app may hand
// `authorize` whatever object it holds. Cases marked HOLE failed before their fix; the others
// guard behaviour that already held and must keep holding.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  type Access,
  authorize,
  authorizeGrpc,
  authorizeRequest,
  type BodyScan,
  grpcMethods,
  isExemptPath,
  matchRoute,
  restRoutes,
  scanBody,
} from '../src/access/index.js';

const DOCS: Access = { kind: 'collections', collections: [{ collection: 'docs', access: 'r' }] };
const QUERY = '/collections/docs/points/query';
const LEAK = { lookup_from: { collection: 'secret' } };
const LEAK_TEXT = JSON.stringify(LEAK);
const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);

function query(body: unknown, access: Access = DOCS) {
  return authorizeRequest(access, { method: 'POST', path: QUERY, body });
}

describe('exempt paths are decided on the path as the cluster sees it', () => {
  // HOLE: the cluster's whitelist (src/actix/mod.rs:91-95) is matched on `req.match_pattern()`
  // (src/actix/auth.rs:98-105), which actix-web computes from the URI path still percent-encoded.
  // `/%68ealthz` routes to the healthz handler but needs a key; in key-hiding mode the gateway
  // forwarded it unchecked with the cluster's own key.
  it('a percent-encoded spelling of an exempt path is not exempt, for every method', () => {
    for (const path of [
      '/%68ealthz',
      '/health%7A',
      '/health%7a/',
      '/%72eadyz',
      '/live%7A',
      '//%68ealthz//',
    ]) {
      expect(isExemptPath(path), path).toBe(false);
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
        const match = matchRoute(method, path);
        if (match) expect(match.exempt, `${method} ${path}`).toBe(false);
      }
    }
    // It still routes where the cluster routes it; a key is checked, then the handler answers.
    expect(matchRoute('GET', '/%68ealthz')?.pattern).toBe('/healthz');
    expect(authorizeRequest(DOCS, { method: 'GET', path: '/%68ealthz' }).ok).toBe(true);
  });

  // HOLE: a path that is no string was normalised to `/` and matched the exempt root route.
  it('a path that is not a string is never exempt and matches no route', () => {
    for (const path of [undefined, null, 0, {}, ['/']] as unknown as string[]) {
      expect(isExemptPath(path)).toBe(false);
      expect(matchRoute('GET', path)).toBeUndefined();
    }
  });

  // Guard: slashes are trimmed and merged before the whitelist, as NormalizePath::trim() does.
  it('trailing and repeated slashes, queries, case and `;` are read as the cluster reads them', () => {
    for (const path of ['/', '', '//', '/healthz/', '//healthz', '/readyz?x=1', '/livez//']) {
      expect(isExemptPath(path), path).toBe(true);
    }
    for (const path of [
      '/HEALTHZ',
      '/healthz;x',
      '/healthz%2F',
      '/healthz/x',
      '/readyzz',
      '/%2F',
    ]) {
      expect(isExemptPath(path), path).toBe(false);
    }
  });

  // Guard: both answers agree on every method and many spellings.
  it('isExemptPath(path) equals matchRoute(method, path).exempt whenever a route matches', () => {
    const piece = fc.constantFrom(
      '/',
      '//',
      'healthz',
      'readyz',
      'livez',
      '%68',
      '%2F',
      '%7A',
      'z',
      ';',
      '?',
      'H',
      '',
    );
    fc.assert(
      fc.property(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
        fc.array(piece, { maxLength: 6 }).map((p) => `/${p.join('')}`),
        (method, path) => {
          const match = matchRoute(method, path);
          if (match) expect(match.exempt).toBe(isExemptPath(path));
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('bodies that are no JSON value are refused, not read as naming nothing', () => {
  const refused = (body: unknown, label: string) => {
    const result = query(body);
    expect(result.ok, label).toBe(false);
    if (!result.ok) expect(result.status, label).toBe(400);
  };

  // Guard (fixed by the refactor; before it, ArrayBuffer and DataView were read as empty objects).
  it('bytes in any typed form', () => {
    const bytes = bytesOf(LEAK_TEXT);
    refused(bytes, 'Uint8Array');
    refused(bytes.buffer, 'ArrayBuffer');
    refused(new DataView(bytes.buffer), 'DataView');
    refused(new Uint8ClampedArray(bytes), 'Uint8ClampedArray');
    class Bytes extends Uint8Array {}
    refused(new Bytes(bytes), 'Uint8Array subclass');
  });

  // HOLE: objects that carry the body's bytes without being a JSON value were read as a map with
  // none of the lookup fields, so the lookups in their bytes were never checked.
  it('SharedArrayBuffer, Blob, ReadableStream, Response, Map and class instances', () => {
    const bytes = bytesOf(LEAK_TEXT);
    const shared = new SharedArrayBuffer(bytes.length);
    new Uint8Array(shared).set(bytes);
    refused(shared, 'SharedArrayBuffer');
    refused(new Blob([LEAK_TEXT]), 'Blob');
    refused(new Response(LEAK_TEXT).body, 'ReadableStream');
    refused(new Response(LEAK_TEXT), 'Response');
    refused(new Map(Object.entries(LEAK)), 'Map');
    class Request {
      readonly query = [0.1];
    }
    refused(new Request(), 'class instance');
    refused({ lookup_from: new Map([['collection', 'secret']]) }, 'a Map where a lookup is read');
    refused(Object.create({ lookup_from: { collection: 'secret' } }), 'inherited lookup');
  });

  // HOLE: JSON.stringify sends what `toJSON` returns; a function cannot come from JSON.
  it('an object whose toJSON would serialise another body', () => {
    const body = { query: [0.1], toJSON: () => LEAK };
    expect(JSON.stringify(body)).toBe(LEAK_TEXT);
    refused(body, 'top-level toJSON');
    refused({ prefetch: [{ limit: 1, toJSON: () => LEAK }] }, 'prefetch toJSON');
  });

  // Guard: what JSON.parse can make is still read, and null-prototype objects too.
  it('parsed and null-prototype bodies are read as before', () => {
    expect(query(JSON.parse(LEAK_TEXT)).ok).toBe(false);
    expect(query(Object.assign(Object.create(null), LEAK)).ok).toBe(false);
    expect(query(JSON.parse('{"query":[0.1],"toJSON":1}'))).toMatchObject({ ok: true });
    expect(query(Object.freeze({ prefetch: Object.freeze([Object.freeze(LEAK)]) })).ok).toBe(false);
    expect(query(Object.seal({ prefetch: [LEAK] })).ok).toBe(false);
  });

  // Guard: strings, numbers, null, arrays at the top are serde's 400, never "names nothing".
  it('scalars and a top-level array are refused with serde’s 400', () => {
    for (const body of ['{"lookup_from":{"collection":"secret"}}', 1, true, null, [LEAK]]) {
      refused(body, JSON.stringify(body));
    }
    // No body at all: the cluster answers 400 itself, before any lookup.
    expect(query(undefined).ok).toBe(true);
  });

  // Guard: getters and proxies are refused (they could answer differently to the encoder).
  it('accessors and proxies', () => {
    refused(
      Object.defineProperty({}, 'lookup_from', { get: () => LEAK.lookup_from, enumerable: true }),
      'getter',
    );
    const { proxy, revoke } = Proxy.revocable(LEAK, {});
    revoke();
    refused(proxy, 'revoked proxy');
    refused(
      new Proxy({}, { getOwnPropertyDescriptor: () => ({ get: () => 'x', configurable: true }) }),
      'proxy that claims accessors',
    );
  });

  // Guard: `__proto__` in JSON is an own key serde ignores; a polluted prototype names nothing.
  it('__proto__ and constructor keys, and a polluted Object.prototype', () => {
    const proto = JSON.parse(
      '{"__proto__":{"lookup_from":{"collection":"secret"}},"constructor":{"prefetch":1}}',
    );
    const read = query(proto);
    expect(read.ok && read.collections).toEqual(['docs']);
    const scanned = query(scanBody('query', JSON.stringify(proto)));
    expect(scanned.ok && scanned.collections).toEqual(['docs']);
    const polluted = Object.prototype as Record<string, unknown>;
    polluted.lookup_from = { collection: 'secret' };
    try {
      const result = query(JSON.parse('{}'));
      expect(result.ok && result.collections).toEqual(['docs']);
      expect(JSON.stringify({})).toBe('{}');
    } finally {
      delete polluted.lookup_from;
    }
  });
});

describe('BodyScan: only this copy’s scans, of this route’s kind and key', () => {
  // HOLE: a scan made by another copy of core (ESM and CJS builds, or two versions installed)
  // is not in this copy's brand set, so it was read as a parsed body naming nothing: its error
  // and the collection it stopped at were ignored.
  it('a scan made by another copy of the module is refused', async () => {
    vi.resetModules();
    const other = (await import(
      '../src/access/index.js'
    )) as typeof import('../src/access/index.js');
    expect(other.scanBody).not.toBe(scanBody);
    const foreignDenied = other.scanBody('query', LEAK_TEXT, { access: DOCS });
    const foreignBroken = other.scanBody('query', '{"lookup_from":');
    expect(query(foreignDenied).ok).toBe(false);
    expect(query(foreignBroken).ok).toBe(false);
    // The other copy still decides on its own scans.
    const own = other.authorizeRequest(DOCS, { method: 'POST', path: QUERY, body: foreignDenied });
    expect(own.ok).toBe(false);
  });

  // HOLE: a copy of a scan is in no brand set; it was read as a parsed body naming nothing.
  it('a copy of a scan is refused, not read as a body', () => {
    const scan = scanBody('query', LEAK_TEXT, { access: DOCS });
    for (const copy of [{ ...scan }, Object.assign({}, scan), new Proxy(scan, {})]) {
      expect(query(copy)).toMatchObject({ ok: false, status: 400 });
    }
    expect(JSON.stringify(scan)).not.toContain('qdrant-kit');
  });

  // Guard: a plain object shaped like a scan is read as a body, never trusted as a scan.
  it('a forged scan grants nothing', () => {
    const forged: BodyScan = {
      kind: 'query',
      error: undefined,
      collections: [],
      empty: false,
      access: DOCS,
    };
    const result = query({ ...forged, ...LEAK });
    expect(result.ok).toBe(false);
  });

  // Guard: reuse across kinds or keys, and scans that failed, are refused.
  it('reuse for another kind or key, errors and frozen results', () => {
    const scan = scanBody('query', LEAK_TEXT, { access: DOCS });
    expect(Object.isFrozen(scan) && Object.isFrozen(scan.collections)).toBe(true);
    expect(query(scan)).toMatchObject({ ok: false, status: 403 });
    const groups = matchRoute('POST', '/collections/docs/points/query/groups');
    expect(authorize(DOCS, groups, scanBody('query', '{}'))).toMatchObject({
      ok: false,
      status: 400,
    });
    const otherKey: Access = {
      kind: 'collections',
      collections: [{ collection: 'docs', access: 'r' }],
    };
    expect(query(scanBody('query', '{}', { access: otherKey }))).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(query(scanBody('query', '{"prefetch":'))).toMatchObject({ ok: false, status: 400 });
    expect(query(scanBody('query', '{"prefetch":[{"lookup_from":1}]}'))).toMatchObject({
      ok: false,
      status: 400,
    });
  });

  // HOLE: a grant whose name is not a string was read as a grant of "" by the decision, but as no
  // grant by the scan, which therefore stopped at "" and dropped the collections after it.
  it('a malformed grant grants nothing, to the scan and to the decision alike', () => {
    const malformed = {
      kind: 'collections',
      collections: [
        { collection: 'docs', access: 'r' },
        { collection: 5, access: 'r' },
      ],
    } as unknown as Access;
    const text =
      '{"lookup_from":{"collection":""},"prefetch":[{"lookup_from":{"collection":"secret"}}]}';
    expect(query(scanBody('query', text, { access: malformed }), malformed).ok).toBe(false);
    expect(query(scanBody('query', text), malformed).ok).toBe(false);
    expect(query(JSON.parse(text), malformed).ok).toBe(false);
    expect(query(JSON.parse('{"lookup_from":{"collection":""}}'), malformed).ok).toBe(false);
  });
});

describe('lazy tables and results', () => {
  // Guard: every trap builds the table first; the table is frozen whatever touches it first.
  it.each([
    ['set', (t: unknown[]) => Reflect.set(t, 0, null)],
    ['defineProperty', (t: unknown[]) => Reflect.defineProperty(t, 'length', { value: 0 })],
    ['deleteProperty', (t: unknown[]) => Reflect.deleteProperty(t, 0)],
    ['setPrototypeOf', (t: unknown[]) => Reflect.setPrototypeOf(t, null)],
    ['preventExtensions', (t: unknown[]) => Reflect.preventExtensions(t) && t.length === 0],
  ] as const)('a first touch by %s cannot change or empty the tables', async (_, touch) => {
    vi.resetModules();
    const fresh = (await import(
      '../src/access/index.js'
    )) as typeof import('../src/access/index.js');
    for (const table of [fresh.restRoutes, fresh.grpcMethods] as unknown as unknown[][]) {
      expect(touch(table)).toBe(false);
      expect(Object.isFrozen(table)).toBe(true);
      expect(table.length).toBeGreaterThan(50);
    }
    expect(
      fresh.authorizeRequest(DOCS, { method: 'PUT', path: '/collections/docs/points' }).ok,
    ).toBe(false);
  });

  // Guard: the exported tables, their rows and requirements are frozen, and decisions never read
  // them through the proxy.
  it('push, assignment and row edits throw and change no decision', () => {
    const before = authorizeRequest(DOCS, { method: 'PUT', path: '/collections/docs/points' });
    expect(() => (restRoutes as unknown as unknown[]).push({})).toThrow(TypeError);
    expect(() => {
      (grpcMethods as unknown as unknown[])[0] = {};
    }).toThrow(TypeError);
    const upsert = restRoutes.find((r) => r.action === 'upsert_points');
    expect(() => {
      (upsert?.requirements as { write: boolean }).write = false;
    }).toThrow(TypeError);
    expect(() => {
      (upsert as { scope: string }).scope = 'any';
    }).toThrow(TypeError);
    const search = grpcMethods.find((m) => m.fullMethod === '/qdrant.Points/Query');
    expect(Object.isFrozen(search) && Object.isFrozen(search?.requirements)).toBe(true);
    expect(authorizeRequest(DOCS, { method: 'PUT', path: '/collections/docs/points' })).toEqual(
      before,
    );
  });

  // Guard: a caller may change a result it was given without changing the next one.
  it('results are fresh objects', () => {
    const first = authorizeRequest(DOCS, { method: 'GET', path: '/collections/nope' });
    (first as { status: number }).status = 200;
    (first as { ok: boolean }).ok = true;
    expect(authorizeRequest(DOCS, { method: 'GET', path: '/collections/nope' })).toMatchObject({
      ok: false,
      status: 403,
    });
    const allowed = authorizeRequest(DOCS, { method: 'GET', path: '/collections/docs' });
    if (allowed.ok) (allowed.collections as string[]).push('secret');
    const again = authorizeRequest(DOCS, { method: 'GET', path: '/collections/docs' });
    expect(again.ok && again.collections).toEqual(['docs']);
  });
});

describe('gRPC requests that name collections in nested messages', () => {
  const Q: Access = { kind: 'collections', collections: [{ collection: 'docs', access: 'r' }] };
  const nested = (depth: number, leaf: object): object => {
    let node: object = leaf;
    for (let i = 0; i < depth; i++) node = { prefetch: [node] };
    return node;
  };

  // Guard: batch entries, nested prefetches in either spelling, with_lookup of groups.
  it('every nested lookup is checked', () => {
    const cases: Array<[string, object]> = [
      [
        '/qdrant.Points/QueryBatch',
        {
          collection_name: 'docs',
          query_points: [{}, { prefetch: [{ lookupFrom: { collectionName: 'secret' } }] }],
        },
      ],
      [
        '/qdrant.Points/Query',
        { collectionName: 'docs', ...nested(40, { lookup_from: { collection_name: 'secret' } }) },
      ],
      [
        '/qdrant.Points/QueryGroups',
        { collection_name: 'docs', withLookup: { collection: 'secret' } },
      ],
      [
        '/qdrant.Points/SearchGroups',
        { collection_name: 'docs', with_lookup: { collection: 'secret' } },
      ],
      [
        '/qdrant.Points/RecommendBatch',
        {
          collection_name: 'docs',
          recommendPoints: [{ lookup_from: { collection_name: 'secret' } }],
        },
      ],
      [
        '/qdrant.Points/DiscoverBatch',
        {
          collection_name: 'docs',
          discover_points: [{ lookupFrom: { collectionName: 'secret' } }],
        },
      ],
      [
        '/qdrant.Points/RecommendGroups',
        { collection_name: 'docs', with_lookup: { collection: 'secret' } },
      ],
    ];
    for (const [method, message] of cases) {
      const result = authorizeGrpc(Q, method, message);
      expect(result, method).toMatchObject({ ok: false, status: 403 });
    }
  });

  // Guard: deeper than any message the cluster accepts, or a single object where a list is
  // expected, is refused rather than walked differently.
  it('too deep, a lone prefetch object, and inherited fields are refused', () => {
    expect(
      authorizeGrpc(Q, '/qdrant.Points/Query', { collection_name: 'docs', ...nested(130, {}) }).ok,
    ).toBe(false);
    expect(
      authorizeGrpc(Q, '/qdrant.Points/Query', { collection_name: 'docs', prefetch: LEAK }).ok,
    ).toBe(false);
    const inherited = Object.create({ lookup_from: { collection_name: 'secret' } });
    inherited.collection_name = 'docs';
    expect(authorizeGrpc(Q, '/qdrant.Points/Query', inherited).ok).toBe(false);
  });
});

describe('a lazily built list whose first build fails', () => {
  // HOLE (robustness; decisions read the tables directly, not through this proxy): a build that
  // threw once left the list empty, unfrozen and open to `push` for good.
  it('is built again on the next touch, and frozen', async () => {
    const { lazyFrozenList } = await import('../src/access/lazy-list.js');
    let calls = 0;
    const list = lazyFrozenList(() => {
      calls++;
      if (calls === 1) throw new RangeError('Maximum call stack size exceeded');
      return [1, 2, 3];
    });
    expect(() => list.length).toThrow(RangeError);
    expect([...list]).toEqual([1, 2, 3]);
    expect(Object.isFrozen(list)).toBe(true);
    expect(() => (list as number[]).push(4)).toThrow(TypeError);
  });
});
