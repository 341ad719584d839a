// gRPC request messages that encoders could read differently from the access decision.
// `@grpc/proto-loader` serialises with protobufjs `fromObject` + `encode` on camelCase names
// (keepCase false by default): it reads `collectionName`, never `collection_name`, and reads
// inherited properties and getters like any JS property access; a keepCase encoder reads only
// the snake_case spelling. The cluster then checks what was encoded
// (lib/storage/src/rbac/ops_checks.rs, `check_access` of each request), so an object that two
// encoders could read differently must be refused, and a strange object must get a denial,
// never an exception.
import { type Access, authorizeGrpc, grpcMethods } from '@qdrant-kit/core';
import {
  assert,
  assertDeepEqual,
  assertEqual,
  type TestCase,
  test,
} from '@qdrant-kit/runtime-harness/suite';

const many = (...grants: Array<[string, 'r' | 'rw' | 'prw']>): Access => ({
  kind: 'collections',
  collections: grants.map(([collection, access]) => ({ collection, access })),
});
const C1: Access = many(['c1', 'rw']);
const GM: Access = { kind: 'global', mode: 'm' };

const UNREADABLE = 'Forbidden: Request message cannot be authorized: ';

function safely(run: () => unknown): unknown {
  try {
    return run();
  } catch (error) {
    return { threw: String(error) };
  }
}

function refused(result: unknown, label: string): void {
  const r = result as { ok?: unknown; status?: unknown; message?: unknown };
  assert(
    r.ok === false && r.status === 403 && typeof r.message === 'string',
    `${label}: expected a 403 denial, got ${JSON.stringify(result)}`,
  );
}

function unreadable(result: unknown, label: string): void {
  refused(result, label);
  const message = (result as { message: string }).message;
  assert(message.startsWith(UNREADABLE), `${label}: unexpected message ${message}`);
}

const collectionMethods = grpcMethods.filter((m) => m.scope === 'collection');
const lookupMethods = grpcMethods.filter((m) => m.bodyLookups !== undefined);
const singleLookup = lookupMethods.filter((m) => !m.bodyLookups?.endsWith('-batch'));
const batchField: Record<string, string> = {
  'recommend-batch': 'recommendPoints',
  'discover-batch': 'discoverPoints',
  'query-batch': 'queryPoints',
};

/** A camelCase request naming `secret` the way a proto-loader encoder reads it. */
function lookupVia(method: (typeof lookupMethods)[number], lookup: object): object {
  const kind = method.bodyLookups as string;
  if (kind.endsWith('-batch'))
    return { collection_name: 'c1', [batchField[kind] as string]: [lookup] };
  return { collection_name: 'c1', ...lookup };
}

const cases: TestCase[] = [
  test('gRPC request: both spellings of collection_name with different values are refused', () => {
    assert(collectionMethods.length >= 7);
    for (const m of collectionMethods) {
      unreadable(
        safely(() =>
          authorizeGrpc(C1, m.fullMethod, { collection_name: 'c1', collectionName: 'secret' }),
        ),
        m.fullMethod,
      );
      unreadable(
        safely(() =>
          authorizeGrpc(C1, m.fullMethod, { collectionName: 'c1', collection_name: 'secret' }),
        ),
        `${m.fullMethod} (camel first)`,
      );
    }
  }),
  test('gRPC request: a collection named through an inherited property is refused', () => {
    for (const m of collectionMethods) {
      const viaLiteral = { collection_name: 'c1', __proto__: { collectionName: 'secret' } };
      unreadable(
        safely(() => authorizeGrpc(C1, m.fullMethod, viaLiteral)),
        `${m.fullMethod} __proto__`,
      );
      const viaCreate = Object.assign(Object.create({ collectionName: 'secret' }), {
        collection_name: 'c1',
      });
      unreadable(
        safely(() => authorizeGrpc(C1, m.fullMethod, viaCreate)),
        `${m.fullMethod} create`,
      );
      const onlyInherited = Object.create({ collection_name: 'c1' });
      unreadable(
        safely(() => authorizeGrpc(C1, m.fullMethod, onlyInherited)),
        `${m.fullMethod} inherited`,
      );
    }
  }),
  test('gRPC request: both spellings agreeing are read as one', () => {
    for (const m of collectionMethods) {
      const r = authorizeGrpc(GM, m.fullMethod, { collection_name: 'c1', collectionName: 'c1' });
      assertEqual(r.ok, true, m.fullMethod);
    }
    assertDeepEqual(
      authorizeGrpc(many(['c1', 'r']), '/qdrant.Points/Search', {
        collection_name: 'c1',
        collectionName: 'c1',
      }),
      { ok: true, route: undefined, collections: ['c1'] },
    );
  }),
  test('gRPC request: lookups spelled both ways, or inherited, at any depth are refused', () => {
    for (const m of lookupMethods) {
      const kind = m.bodyLookups as string;
      const field =
        kind === 'search-groups' || kind.endsWith('groups') ? 'withLookup' : 'lookupFrom';
      const inner = field === 'withLookup' ? 'collection' : 'collectionName';
      // The lookup object itself inherits the name.
      const inheritedName = { [field]: Object.create({ [inner]: 'secret' }) };
      unreadable(
        safely(() => authorizeGrpc(C1, m.fullMethod, lookupVia(m, inheritedName))),
        `${m.fullMethod} inherited name`,
      );
      // The request (or batch entry) inherits the lookup.
      const inheritedLookup = Object.create({ [field]: { [inner]: 'secret' } });
      unreadable(
        safely(() =>
          authorizeGrpc(
            C1,
            m.fullMethod,
            kind.endsWith('-batch')
              ? lookupVia(m, inheritedLookup)
              : Object.assign(Object.create({ [field]: { [inner]: 'secret' } }), {
                  collection_name: 'c1',
                }),
          ),
        ),
        `${m.fullMethod} inherited lookup`,
      );
    }
    for (const m of singleLookup.filter((x) => x.bodyLookups !== 'search-groups')) {
      unreadable(
        safely(() =>
          authorizeGrpc(C1, m.fullMethod, {
            collection_name: 'c1',
            lookup_from: { collection_name: 'c1' },
            lookupFrom: { collectionName: 'secret' },
          }),
        ),
        `${m.fullMethod} lookup both ways`,
      );
      unreadable(
        safely(() =>
          authorizeGrpc(C1, m.fullMethod, {
            collection_name: 'c1',
            lookup_from: { collection_name: 'c1', collectionName: 'secret' },
          }),
        ),
        `${m.fullMethod} lookup name both ways`,
      );
    }
    const batchEntry = Object.assign(
      Object.create({ lookupFrom: { collectionName: 'secret' } }),
      {},
    );
    unreadable(
      safely(() =>
        authorizeGrpc(C1, '/qdrant.Points/QueryBatch', {
          collection_name: 'c1',
          queryPoints: [batchEntry],
        }),
      ),
      'batch entry',
    );
    unreadable(
      safely(() =>
        authorizeGrpc(C1, '/qdrant.Points/QueryBatch', {
          collection_name: 'c1',
          query_points: [],
          queryPoints: [{ lookupFrom: { collectionName: 'secret' } }],
        }),
      ),
      'batch list both ways',
    );
    const deep = {
      prefetch: [{ prefetch: [Object.create({ lookupFrom: { collectionName: 'secret' } })] }],
    };
    unreadable(
      safely(() => authorizeGrpc(C1, '/qdrant.Points/Query', { collection_name: 'c1', ...deep })),
      'nested prefetch',
    );
    unreadable(
      safely(() =>
        authorizeGrpc(C1, '/qdrant.Points/QueryGroups', { collection_name: 'c1', __proto__: deep }),
      ),
      'inherited prefetch',
    );
  }),
  test('gRPC request: names that are not strings, lists that are not arrays are refused', () => {
    // protobufjs fromObject stringifies a name (`String(value)`), so ['secret'] is sent as "secret".
    unreadable(
      authorizeGrpc(C1, '/qdrant.Points/Recommend', {
        collection_name: 'c1',
        lookupFrom: { collectionName: ['secret'] },
      }),
      'array name',
    );
    unreadable(
      authorizeGrpc(C1, '/qdrant.Points/Get', { collectionName: { toString: () => 'c1' } }),
      'object name',
    );
    unreadable(authorizeGrpc(C1, '/qdrant.Points/Get', { collection_name: 7 }), 'number name');
    unreadable(
      authorizeGrpc(C1, '/qdrant.Points/Query', {
        collection_name: 'c1',
        prefetch: { length: 1, 0: { lookupFrom: { collectionName: 'secret' } } },
      }),
      'array-like prefetch',
    );
    unreadable(
      authorizeGrpc(C1, '/qdrant.Points/Query', { collection_name: 'c1', prefetch: [null] }),
      'null prefetch entry',
    );
  }),
  test('gRPC request: getters, proxies and revoked proxies get a denial, never an exception', () => {
    const getter = { collection_name: 'c1' };
    let reads = 0;
    Object.defineProperty(getter, 'collectionName', {
      enumerable: true,
      get: () => (reads++ ? 'secret' : 'c1'),
    });
    unreadable(
      safely(() => authorizeGrpc(C1, '/qdrant.Points/Get', getter)),
      'getter',
    );
    const throwing = {};
    Object.defineProperty(throwing, 'collection_name', {
      get() {
        throw new Error('boom');
      },
    });
    unreadable(
      safely(() => authorizeGrpc(C1, '/qdrant.Points/Get', throwing)),
      'throwing getter',
    );
    const trap = () => {
      throw new Error('trap');
    };
    const hostile = new Proxy(
      {},
      { get: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap, has: trap, ownKeys: trap },
    );
    unreadable(
      safely(() => authorizeGrpc(C1, '/qdrant.Points/Get', hostile)),
      'proxy',
    );
    const { proxy, revoke } = Proxy.revocable({ collection_name: 'c1' }, {});
    revoke();
    unreadable(
      safely(() => authorizeGrpc(C1, '/qdrant.Points/Get', proxy)),
      'revoked proxy',
    );
    unreadable(
      safely(() =>
        authorizeGrpc(C1, '/qdrant.Points/Query', { collection_name: 'c1', prefetch: [proxy] }),
      ),
      'revoked proxy in prefetch',
    );
    // A hostile access value.
    for (const m of [
      '/qdrant.Points/Get',
      '/qdrant.Collections/Create',
      '/qdrant.Collections/List',
      '/x/Unknown',
    ]) {
      refused(
        safely(() => authorizeGrpc(hostile as Access, m, { collection_name: 'c1' })),
        `hostile access ${m}`,
      );
      refused(
        safely(() => authorizeGrpc(proxy as unknown as Access, m, { collection_name: 'c1' })),
        `revoked access ${m}`,
      );
    }
  }),
  test('gRPC request: protobufjs message instances (defaults on the prototype) are read', () => {
    // Generated protobufjs classes put field defaults on the prototype ("" / null / frozen []).
    function RecommendPoints(this: Record<string, unknown>, fields: object) {
      Object.assign(this, fields);
    }
    Object.assign(RecommendPoints.prototype, {
      collectionName: '',
      lookupFrom: null,
      positive: Object.freeze([]),
    });
    const make = (fields: object) =>
      new (RecommendPoints as unknown as new (f: object) => object)(fields);
    assertDeepEqual(authorizeGrpc(C1, '/qdrant.Points/Recommend', make({ collectionName: 'c1' })), {
      ok: true,
      route: undefined,
      collections: ['c1'],
    });
    assertDeepEqual(
      authorizeGrpc(
        C1,
        '/qdrant.Points/Recommend',
        make({ collectionName: 'c1', lookupFrom: { collectionName: 'x' } }),
      ),
      { ok: false, status: 403, message: 'Forbidden: Access to collection x is required' },
    );
    assertDeepEqual(authorizeGrpc(C1, '/qdrant.Points/Recommend', make({})), {
      ok: false,
      status: 403,
      message: 'Forbidden: Access to collection  is required',
    });
  }),
  test('gRPC request: a lookup without a name looks up the collection "" (proto3 default)', () => {
    assertDeepEqual(
      authorizeGrpc(C1, '/qdrant.Points/Recommend', { collection_name: 'c1', lookup_from: {} }),
      { ok: false, status: 403, message: 'Forbidden: Access to collection  is required' },
    );
    assertDeepEqual(
      authorizeGrpc(C1, '/qdrant.Points/SearchGroups', {
        collection_name: 'c1',
        with_lookup: { with_payload: true },
      }),
      { ok: false, status: 403, message: 'Forbidden: Access to collection  is required' },
    );
    assertEqual(
      authorizeGrpc(many(['c1', 'r'], ['', 'r']), '/qdrant.Points/Recommend', {
        collection_name: 'c1',
        lookup_from: {},
      }).ok,
      true,
    );
  }),
];

export default cases;
