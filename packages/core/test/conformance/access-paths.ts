// Path normalisation, exemptions, exact messages, body lookups and gRPC requests.
import {
  type Access,
  authorizeGrpc,
  authorizeRequest,
  isExemptPath,
  matchRoute,
  normalisePath,
  requestNeedsBody,
} from '@qdrant-kit/core';
import {
  assert,
  assertDeepEqual,
  assertEqual,
  type TestCase,
  test,
} from '@qdrant-kit/runtime-harness/suite';

const R = (collection: string, access: 'r' | 'rw' | 'prw'): Access => ({
  kind: 'collections',
  collections: [{ collection, access }],
});
const many = (...grants: Array<[string, 'r' | 'rw' | 'prw']>): Access => ({
  kind: 'collections',
  collections: grants.map(([collection, access]) => ({ collection, access })),
});
const GM: Access = { kind: 'global', mode: 'm' };
const GR: Access = { kind: 'global', mode: 'r' };

function denied(
  result: ReturnType<typeof authorizeRequest>,
  message: string,
  label = message,
): void {
  assertDeepEqual(result, { ok: false, status: 403, message }, label);
}

const cases: TestCase[] = [
  // --- normalisation -------------------------------------------------------------------------
  test('trailing and repeated slashes are trimmed and merged before routing', () => {
    assertEqual(
      normalisePath('/collections//docs///points/search/'),
      '/collections/docs/points/search',
    );
    assertEqual(normalisePath('//'), '/');
    assertEqual(normalisePath('///healthz//'), '/healthz');
    assertEqual(normalisePath(''), '/');
    assertEqual(
      matchRoute('POST', '//collections/docs/points/search//')?.pattern,
      '/collections/{collection_name}/points/search',
    );
  }),
  test('query string and fragment are not part of the path', () => {
    assertEqual(normalisePath('/collections?x=/healthz'), '/collections');
    assertEqual(matchRoute('GET', '/collections/docs?a=b')?.collection, 'docs');
    assert(isExemptPath('/healthz?verbose=1'));
  }),
  test('percent-encoding is decoded for routing except %2F, %25 and %2B', () => {
    assertEqual(normalisePath('/%63ollections/a%2Fb'), '/collections/a%2Fb');
    assertEqual(normalisePath('/collections/a%2fb%25%2B'), '/collections/a%2fb%25%2B');
    assertEqual(normalisePath('/collections/%E6%97%A5'), '/collections/日');
    assertEqual(normalisePath('/collections/%FF'), '/collections/\uFFFD');
    assertEqual(normalisePath('/collections/%zz%4'), '/collections/%zz%4');
  }),
  test('an encoded slash stays inside one segment, then decodes in the parameter', () => {
    const m = matchRoute('GET', '/collections/a%2Fb');
    assertEqual(m?.pattern, '/collections/{collection_name}');
    assertEqual(m?.collection, 'a/b');
    assertEqual(
      matchRoute('GET', '/collections/a%2Fpoints%2Fsearch')?.collection,
      'a/points/search',
    );
    assertEqual(matchRoute('GET', '/collections/a%252F')?.collection, 'a%2F');
    assertEqual(matchRoute('GET', '/collections/a+b%2B')?.collection, 'a+b+');
  }),
  test('routing decodes once and parameters once more, like actix (no re-normalising)', () => {
    // `%%37%30oints`: the routing pass yields `%70oints` (not the static `points`), and the
    // parameter pass decodes it again, as actix does.
    assertEqual(normalisePath('/collections/%%37%30oints'), '/collections/%70oints');
    assertEqual(matchRoute('GET', '/collections/%%37%30oints')?.collection, 'points');
    assertEqual(
      matchRoute('POST', '/collections/docs/%70oints/search')?.pattern,
      '/collections/{collection_name}/points/search',
    );
  }),
  test('dot segments are not resolved and case matters', () => {
    assertEqual(normalisePath('/collections/../snapshots'), '/collections/../snapshots');
    assertEqual(matchRoute('GET', '/collections/..')?.collection, '..');
    assertEqual(matchRoute('GET', '/collections/docs/../../snapshots')?.pattern, undefined);
    assertEqual(matchRoute('GET', '/Collections'), undefined);
    assertEqual(matchRoute('get', '/collections'), undefined);
    assertEqual(matchRoute('GET', '/COLLECTIONS/docs'), undefined);
  }),
  test('unicode and percent-encoded collection names are matched literally', () => {
    const access = R('日本語', 'r');
    assertEqual(
      authorizeRequest(access, { method: 'GET', path: '/collections/%E6%97%A5%E6%9C%AC%E8%AA%9E' })
        .ok,
      true,
    );
    assertEqual(authorizeRequest(access, { method: 'GET', path: '/collections/日本語' }).ok, true);
    denied(
      authorizeRequest(R('a/b', 'r'), { method: 'GET', path: '/collections/a%2Fc' }),
      'Forbidden: Access to collection a/c is required',
    );
    assertEqual(
      authorizeRequest(R('a/b', 'r'), { method: 'GET', path: '/collections/a%2fb' }).ok,
      true,
    );
    denied(
      authorizeRequest(R('Docs', 'r'), { method: 'GET', path: '/collections/docs' }),
      'Forbidden: Access to collection docs is required',
    );
  }),

  // --- exemptions ----------------------------------------------------------------------------
  test('exactly /, /healthz, /livez and /readyz are exempt, on the normalised path', () => {
    for (const path of [
      '/',
      '/healthz',
      '/livez',
      '/readyz',
      '//healthz/',
      '/%68ealthz',
      '/readyz?x',
      '',
    ]) {
      assert(isExemptPath(path), path);
    }
    for (const path of [
      '/dashboard%2f..%2fcollections',
      '/dashboard',
      '/dashboard/',
      '/healthz/x',
      '/Healthz',
      '/readyzz',
      '/livez%2F',
      '/metrics',
      '/telemetry',
      '/collections',
      '/healthz%2F..%2Fcollections',
    ]) {
      assert(!isExemptPath(path), path);
    }
  }),
  test('the dashboard traversal is an unknown route: never exempt, 404 unless global manage', () => {
    const path = '/dashboard%2f..%2fcollections';
    assertEqual(matchRoute('GET', path), undefined);
    assertDeepEqual(authorizeRequest(GR, { method: 'GET', path }), {
      ok: false,
      status: 404,
      message: 'Not Found',
    });
    assertDeepEqual(authorizeRequest(GM, { method: 'GET', path }), {
      ok: true,
      route: undefined,
      collections: [],
    });
  }),

  // --- exact messages ------------------------------------------------------------------------
  test('global operations: the cluster messages', () => {
    denied(
      authorizeRequest(R('docs', 'rw'), { method: 'GET', path: '/metrics' }),
      'Forbidden: Global access is required',
    );
    denied(
      authorizeRequest(GR, { method: 'POST', path: '/snapshots' }),
      'Forbidden: Global manage access is required',
    );
    denied(
      authorizeRequest(GR, { method: 'PUT', path: '/collections/docs' }),
      'Forbidden: Global manage access is required',
    );
    denied(
      authorizeRequest(R('docs', 'rw'), { method: 'PUT', path: '/collections/docs' }),
      'Forbidden: Global access is required',
    );
    // Global-extras manifest: any global key, no collection key.
    const manifest = '/collections/docs/shards/0/snapshot/partial/manifest';
    assertEqual(authorizeRequest(GR, { method: 'GET', path: manifest }).ok, true);
    denied(
      authorizeRequest(R('docs', 'rw'), { method: 'GET', path: manifest }),
      'Forbidden: Global access is required',
    );
  }),
  test('collection operations: the cluster messages, in the cluster order', () => {
    denied(
      authorizeRequest(R('other', 'rw'), {
        method: 'POST',
        path: '/collections/docs/points/search',
      }),
      'Forbidden: Access to collection docs is required',
    );
    denied(
      authorizeRequest(R('docs', 'r'), { method: 'PUT', path: '/collections/docs/points' }),
      'Forbidden: Write access to collection docs is required',
    );
    denied(
      authorizeRequest(R('docs', 'prw'), { method: 'PUT', path: '/collections/docs/index' }),
      'Forbidden: Only points access is allowed for collection docs',
    );
    denied(
      authorizeRequest(R('docs', 'prw'), { method: 'GET', path: '/collections/docs/snapshots' }),
      'Forbidden: Only points access is allowed for collection docs',
    );
    denied(
      authorizeRequest(R('docs', 'rw'), { method: 'POST', path: '/collections/docs/cluster' }),
      'Forbidden: Manage access for this operation is required',
    );
    denied(
      authorizeRequest(R('docs', 'r'), { method: 'POST', path: '/collections/docs/cluster' }),
      'Forbidden: Write access to collection docs is required',
    );
    denied(
      authorizeRequest(R('docs', 'prw'), { method: 'GET', path: '/collections/docs/shards/1/wal' }),
      'Forbidden: Only points access is allowed for collection docs',
    );
    denied(
      authorizeRequest(GR, { method: 'DELETE', path: '/collections/docs/snapshots/s' }),
      'Forbidden: Global manage access is required',
    );
    assertEqual(
      authorizeRequest(R('docs', 'prw'), { method: 'PUT', path: '/collections/docs/points' }).ok,
      true,
    );
  }),
  test('list endpoints pass for collection keys (the server filters)', () => {
    for (const path of [
      '/collections',
      '/aliases',
      '/telemetry',
      '/cluster/telemetry',
      '/issues',
    ]) {
      assertEqual(authorizeRequest(R('docs', 'r'), { method: 'GET', path }).ok, true, path);
      assertEqual(
        authorizeRequest({ kind: 'collections', collections: [] }, { method: 'GET', path }).ok,
        true,
        path,
      );
    }
  }),
  test('routes from the handlers (semantics §7) are decided as upstream', () => {
    const ok = (a: Access, method: string, path: string) =>
      assertEqual(authorizeRequest(a, { method, path }).ok, true, `${method} ${path}`);
    const no = (a: Access, method: string, path: string) =>
      assertEqual(authorizeRequest(a, { method, path }).ok, false, `${method} ${path}`);
    for (const [method, path] of [
      ['GET', '/stacktrace'],
      ['GET', '/debugger'],
      ['PATCH', '/debugger'],
      ['GET', '/profiler/slow_requests'],
      ['POST', '/audit/logs'],
      ['POST', '/collections/docs/truncate_unapplied_wal'],
      ['POST', '/collections/docs/shards/0/snapshot/partial/recover'],
      ['POST', '/collections/docs/shards/0/snapshot/partial/recover_from'],
      ['PUT', '/cluster/metadata/keys/k'],
      ['DELETE', '/cluster/metadata/keys/k'],
    ] as const) {
      ok(GM, method, path);
      no(GR, method, path);
      no(R('docs', 'rw'), method, path);
    }
    ok(GR, 'GET', '/cluster/metadata/keys');
    ok(GR, 'GET', '/cluster/metadata/keys/k');
    no(R('docs', 'rw'), 'GET', '/cluster/metadata/keys');
    for (const path of ['/collections/docs/memory', '/collections/docs/optimizations'])
      ok(R('docs', 'r'), 'GET', path);
    for (const sub of ['points', 'points/count', 'points/scroll'])
      ok(R('docs', 'r'), 'POST', `/collections/docs/shards/0/${sub}`);
    no(R('docs', 'r'), 'POST', '/collections/docs/shards/0/cleanup');
    ok(R('docs', 'prw'), 'POST', '/collections/docs/shards/0/cleanup');
  }),
  test('snapshot uploads are flagged as refused before the body, in plain text', () => {
    for (const path of [
      '/collections/docs/snapshots/upload',
      '/collections/docs/shards/0/snapshots/upload',
      '/collections/docs/shards/0/snapshot/partial/recover',
    ]) {
      assertEqual(matchRoute('POST', path)?.route.plainTextDenial, true, path);
    }
    assertEqual(
      matchRoute('PUT', '/collections/docs/snapshots/recover')?.route.plainTextDenial,
      undefined,
    );
  }),
  test('unknown routes and wrong methods: 404 unless global manage', () => {
    assertDeepEqual(authorizeRequest(R('docs', 'rw'), { method: 'PATCH', path: '/collections' }), {
      ok: false,
      status: 404,
      message: 'Not Found',
    });
    assertEqual(authorizeRequest(GM, { method: 'HEAD', path: '/collections' }).ok, true);
    assertEqual(authorizeRequest(GR, { method: 'POST', path: '/healthz' }).ok, false);
    assert(
      isExemptPath('/healthz') && matchRoute('POST', '/healthz') === undefined,
      'exemption is on the path: POST /healthz matches no route and is still exempt',
    );
  }),
  test('GET /collections/aliases is get_collection("aliases"); POST is update_aliases', () => {
    assertEqual(matchRoute('GET', '/collections/aliases')?.collection, 'aliases');
    assertEqual(matchRoute('POST', '/collections/aliases')?.route.action, 'update_aliases');
    assertEqual(
      authorizeRequest(R('aliases', 'r'), { method: 'GET', path: '/collections/aliases' }).ok,
      true,
    );
  }),

  // --- body lookups --------------------------------------------------------------------------
  test('requestNeedsBody is true exactly for queries that can name other collections', () => {
    for (const sub of [
      'recommend',
      'recommend/batch',
      'recommend/groups',
      'discover',
      'discover/batch',
      'query',
      'query/batch',
      'query/groups',
      'search/groups',
    ]) {
      assert(requestNeedsBody('POST', `/collections/docs/points/${sub}`), sub);
    }
    for (const sub of [
      'search',
      'search/batch',
      'scroll',
      'count',
      'delete',
      'search/matrix/pairs',
    ]) {
      assert(!requestNeedsBody('POST', `/collections/docs/points/${sub}`), sub);
    }
    assert(!requestNeedsBody('GET', '/collections'));
  }),
  test('lookup_from, with_lookup and nested prefetch need access to the named collections', () => {
    const access = many(['docs', 'r'], ['lookup', 'r']);
    const post = (sub: string, body: unknown, a: Access = access) =>
      authorizeRequest(a, { method: 'POST', path: `/collections/docs/points/${sub}`, body });
    const rec = post('recommend', { positive: [1], lookup_from: { collection: 'lookup' } });
    assert(rec.ok, JSON.stringify(rec));
    assertDeepEqual(rec.collections, ['docs', 'lookup']);
    denied(
      post('recommend', { lookup_from: { collection: 'secret' } }),
      'Forbidden: Access to collection secret is required',
    );
    denied(
      post('discover', { lookup_from: { collection: 'secret', vector: 'v' } }),
      'Forbidden: Access to collection secret is required',
    );
    denied(
      post('recommend/batch', {
        searches: [
          { lookup_from: { collection: 'lookup' } },
          { lookup_from: { collection: 's2' } },
        ],
      }),
      'Forbidden: Access to collection s2 is required',
    );
    denied(
      post('discover/batch', { searches: [{ lookup_from: { collection: 'x' } }] }),
      'Forbidden: Access to collection x is required',
    );
    denied(
      post('search/groups', { with_lookup: 'secret' }),
      'Forbidden: Access to collection secret is required',
    );
    denied(
      post('search/groups', { with_lookup: { collection: 'secret' } }),
      'Forbidden: Access to collection secret is required',
    );
    denied(
      post('recommend/groups', { lookup_from: { collection: 'a1' }, with_lookup: 'a2' }),
      'Forbidden: Access to collection a1 is required',
    );
    denied(
      post('recommend/groups', { lookup_from: { collection: 'lookup' }, with_lookup: 'a2' }),
      'Forbidden: Access to collection a2 is required',
    );
    // Query: own lookup_from first, then prefetches depth-first, then (groups) with_lookup.
    const deep = {
      lookup_from: { collection: 'lookup' },
      prefetch: [
        {
          prefetch: { prefetch: [{ lookup_from: { collection: 'p1' } }] },
          lookup_from: { collection: 'lookup' },
        },
        { lookup_from: { collection: 'p2' } },
      ],
    };
    denied(post('query', deep), 'Forbidden: Access to collection p1 is required');
    denied(
      post('query/batch', { searches: [{}, deep] }),
      'Forbidden: Access to collection p1 is required',
    );
    denied(
      post(
        'query/groups',
        { ...deep, with_lookup: 'w' },
        many(['docs', 'r'], ['lookup', 'r'], ['p1', 'r'], ['p2', 'r']),
      ),
      'Forbidden: Access to collection w is required',
    );
    const all = many(['docs', 'r'], ['lookup', 'prw'], ['p1', 'r'], ['p2', 'rw'], ['w', 'r']);
    const q = post('query/groups', { ...deep, with_lookup: { collection: 'w' } }, all);
    assert(q.ok, JSON.stringify(q));
    assertDeepEqual(q.collections, ['docs', 'lookup', 'p1', 'p2', 'w']);
  }),
  test('the addressed collection is checked before lookups; global keys skip lookups', () => {
    denied(
      authorizeRequest(R('lookup', 'r'), {
        method: 'POST',
        path: '/collections/docs/points/recommend',
        body: { lookup_from: { collection: 'lookup' } },
      }),
      'Forbidden: Access to collection docs is required',
    );
    const r = authorizeRequest(GR, {
      method: 'POST',
      path: '/collections/docs/points/query',
      body: { lookup_from: { collection: 'x' } },
    });
    assert(r.ok);
    assertDeepEqual(r.collections, ['docs', 'x']);
  }),
  test('bodies serde refuses where a collection can be named are refused with 400, never thrown on', () => {
    // Fail closed: a value of the wrong type at a lookup position could be a form the reader
    // does not know; the cluster answers these with 400 too (serde's invalid type).
    for (const body of [
      null,
      1,
      'x',
      [],
      { lookup_from: 5 },
      { lookup_from: { collection: 5 } },
      { prefetch: 'x' },
    ]) {
      const r = authorizeRequest(R('docs', 'r'), {
        method: 'POST',
        path: '/collections/docs/points/query',
        body,
      });
      assertEqual(r.ok ? 0 : r.status, 400, JSON.stringify(body));
    }
    // Unknown keys are ignored, as serde does; a missing field names nothing.
    for (const body of [{ searches: {} }, { lookup_from: {} }, { lookup_from: [] }]) {
      const r = authorizeRequest(R('docs', 'r'), {
        method: 'POST',
        path: '/collections/docs/points/query',
        body,
      });
      assert(r.ok, JSON.stringify(body));
    }
  }),
  test('absurdly deep prefetch nesting is refused for collection keys', () => {
    let body: Record<string, unknown> = {};
    for (let i = 0; i < 5000; i++) body = { prefetch: body };
    const r = authorizeRequest(R('docs', 'r'), {
      method: 'POST',
      path: '/collections/docs/points/query',
      body,
    });
    assertEqual(r.ok, false);
    assertEqual(
      authorizeRequest(GM, { method: 'POST', path: '/collections/docs/points/query', body }).ok,
      true,
    );
  }),

  // --- gRPC ----------------------------------------------------------------------------------
  test('gRPC: health checks are exempt, the collection comes from the request message', () => {
    assertEqual(
      authorizeGrpc({ kind: 'collections', collections: [] }, '/qdrant.Qdrant/HealthCheck').ok,
      true,
    );
    assertEqual(
      authorizeGrpc({ kind: 'collections', collections: [] }, '/grpc.health.v1.Health/Check').ok,
      true,
    );
    assertDeepEqual(
      authorizeGrpc(R('docs', 'r'), '/qdrant.Points/Upsert', { collection_name: 'docs' }),
      {
        ok: false,
        status: 403,
        message: 'Forbidden: Write access to collection docs is required',
      },
    );
    assertEqual(
      authorizeGrpc(R('docs', 'r'), '/qdrant.Points/Search', { collectionName: 'docs' }).ok,
      true,
    );
    assertDeepEqual(authorizeGrpc(R('docs', 'r'), '/qdrant.Points/Search'), {
      ok: false,
      status: 403,
      message: 'Forbidden: Access to collection  is required',
    });
    assertDeepEqual(authorizeGrpc(R('docs', 'r'), '/qdrant.Points/Nope', {}), {
      ok: false,
      status: 404,
      message: 'Not Found',
    });
  }),
  test('gRPC: lookups in snake_case and camelCase messages', () => {
    const access = many(['docs', 'r'], ['l', 'r']);
    assertEqual(
      authorizeGrpc(access, '/qdrant.Points/Recommend', {
        collection_name: 'docs',
        lookup_from: { collection_name: 'l' },
      }).ok,
      true,
    );
    denied(
      authorizeGrpc(access, '/qdrant.Points/Recommend', {
        collection_name: 'docs',
        lookupFrom: { collectionName: 'x' },
      }),
      'Forbidden: Access to collection x is required',
    );
    denied(
      authorizeGrpc(access, '/qdrant.Points/QueryBatch', {
        collection_name: 'docs',
        query_points: [
          {
            collection_name: 'docs',
            prefetch: [{ prefetch: [{ lookup_from: { collection_name: 'y' } }] }],
          },
        ],
      }),
      'Forbidden: Access to collection y is required',
    );
    denied(
      authorizeGrpc(access, '/qdrant.Points/SearchGroups', {
        collection_name: 'docs',
        withLookup: { collection: 'z' },
      }),
      'Forbidden: Access to collection z is required',
    );
  }),
];

export default cases;
