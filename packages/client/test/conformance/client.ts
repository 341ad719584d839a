// Runtime-neutral cases for @qdrant-kit/client: run under vitest and on Node 20, Node 24, Deno,
// Bun and workerd. The host passes the loopback scenario server's URL as ctx.env.SERVER.
import {
  assert,
  assertDeepEqual,
  assertEqual,
  assertMatch,
  assertRejects,
  type SuiteContext,
  type TestCase,
  test,
} from '@qdrant-kit/runtime-harness/suite';
import {
  checkDatabaseKey,
  clusterService,
  composeCloudClient,
  createCloudClient,
  databaseApiKeyService,
  getClusterInfo,
  paginateItems,
  QdrantCloudError,
  waitForClusterHealthy,
  waitForDatabaseKey,
} from '@qdrant-kit/client';

const KEY = 'mgmt-key-SECRET-0123456789abcdef';
const ACCOUNT = '11111111-1111-4111-8111-111111111111';
const CLUSTER = '22222222-2222-4222-8222-222222222222';

function server(ctx: SuiteContext): string {
  const url = ctx.env.SERVER;
  assert(url, 'ctx.env.SERVER (loopback scenario server) is required');
  return url;
}

function runId(): string {
  return Math.random().toString(36).slice(2);
}

function client(ctx: SuiteContext, scenario: string, options: Record<string, unknown> = {}) {
  return createCloudClient({
    managementKey: KEY,
    accountId: ACCOUNT,
    baseUrl: `${server(ctx)}/s/${scenario}/${runId()}`,
    retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 50 },
    ...options,
  });
}

async function rejection(promise: Promise<unknown>): Promise<QdrantCloudError> {
  try {
    await promise;
  } catch (error) {
    assert(error instanceof QdrantCloudError, `expected QdrantCloudError, got ${String(error)}`);
    return error;
  }
  throw new Error('expected a rejection');
}

function assertNoKey(error: QdrantCloudError, key = KEY) {
  const dumps = [
    error.message,
    String(error.stack),
    JSON.stringify(error),
    JSON.stringify(error.cause ?? null),
    String(error),
  ];
  for (const dump of dumps)
    assert(!dump.includes(key), `the key leaked into: ${dump.slice(0, 200)}`);
}

export default [
  test('a GET sends the key, fills accountId in the path and puts other fields in the query', async (ctx) => {
    const res = (await client(ctx, 'ok').cluster.listClusters({
      cloudProviderId: 'aws',
      cloudProviderRegionId: 'eu central',
      pageSize: 10,
    })) as Record<string, unknown>;
    assertEqual(res.echoMethod, 'GET');
    assertEqual(res.echoPath, `/api/cluster/v1/accounts/${ACCOUNT}/clusters`);
    assert(
      String(res.echoUrl).endsWith(
        '?cloudProviderId=aws&cloudProviderRegionId=eu%20central&pageSize=10',
      ),
      String(res.echoUrl),
    );
    assertDeepEqual(res.futureField, { nested: true }, 'unknown fields are kept');
  }),

  test('repeated and nested query fields repeat and use dotted names', async (ctx) => {
    const res = (await client(ctx, 'ok').booking.listPackages({
      cloudProviderId: 'aws',
      cloudProviderRegionId: 'eu-central-1',
      statuses: ['PACKAGE_STATUS_ACTIVE', 'PACKAGE_STATUS_DEACTIVATED'],
      minResources: { ram: '1GiB', cpu: '500m' },
    })) as Record<string, unknown>;
    const query = String(res.echoUrl).split('?')[1];
    assertEqual(
      query,
      'cloudProviderId=aws&cloudProviderRegionId=eu-central-1&statuses=PACKAGE_STATUS_ACTIVE&statuses=PACKAGE_STATUS_DEACTIVATED&minResources.ram=1GiB&minResources.cpu=500m',
    );
  }),

  test('body "*" sends the whole message, path fields taken from inside it', async (ctx) => {
    const res = (await client(ctx, 'ok').databaseApiKey.createDatabaseApiKey({
      databaseApiKey: {
        clusterId: CLUSTER,
        name: 'tenant 42 reader',
        accessRules: [
          {
            collectionAccess: {
              collectionName: 'docs',
              accessType: 'COLLECTION_ACCESS_RULE_ACCESS_TYPE_READ_ONLY',
            },
          },
        ],
      },
    })) as Record<string, unknown>;
    assertEqual(res.echoMethod, 'POST');
    assertEqual(res.echoPath, `/api/cluster/auth/v2/accounts/${ACCOUNT}/database-api-keys`);
    const sent = JSON.parse(String(res.echoBody));
    assertMatch(sent.databaseApiKey, {
      accountId: ACCOUNT,
      clusterId: CLUSTER,
      name: 'tenant 42 reader',
    });
  }),

  test('composeCloudClient builds only the namespaces given', async (ctx) => {
    const cloud = composeCloudClient(
      { managementKey: KEY, accountId: ACCOUNT, baseUrl: `${server(ctx)}/s/ok/${runId()}` },
      { cluster: clusterService, databaseApiKey: databaseApiKeyService },
    );
    assertDeepEqual(Object.keys(cloud).sort(), ['cluster', 'databaseApiKey']);
    const res = (await cloud.cluster.getCluster({ clusterId: CLUSTER })) as Record<string, unknown>;
    assertEqual(res.echoPath, `/api/cluster/v1/accounts/${ACCOUNT}/clusters/${CLUSTER}`);
  }),

  test('invalid requests fail before sending, naming each field', async (ctx) => {
    const cloud = client(ctx, 'ok');
    const error = await rejection(
      cloud.databaseApiKey.createDatabaseApiKey({
        databaseApiKey: {
          clusterId: 'not-a-uuid',
          name: 'ab',
          accessRules: [
            { globalAccess: { accessType: 'GLOBAL_ACCESS_RULE_ACCESS_TYPE_MANAGE' } },
            {
              collectionAccess: {
                collectionName: 'bad/name',
                accessType: 'COLLECTION_ACCESS_RULE_ACCESS_TYPE_READ_WRITE',
              },
            },
          ],
        },
      }),
    );
    assertEqual(error.kind, 'validation');
    assertEqual(error.codeName, 'INVALID_ARGUMENT');
    const fields = error.issues.map((i) => i.field);
    for (const f of [
      'databaseApiKey.clusterId',
      'databaseApiKey.name',
      'databaseApiKey.accessRules',
      'databaseApiKey.accessRules.1.collectionAccess.collectionName',
    ]) {
      assert(fields.includes(f), `${f} in ${fields.join(', ')}`);
    }
    assert(/mix global and collection/.test(error.message), error.message);
    const tooMany = Array.from({ length: 21 }, (_, i) => ({
      collectionAccess: {
        collectionName: `c${i}`,
        accessType: 'COLLECTION_ACCESS_RULE_ACCESS_TYPE_READ_ONLY',
      },
    }));
    const many = await rejection(
      cloud.databaseApiKey.createDatabaseApiKey({
        databaseApiKey: { clusterId: CLUSTER, name: 'many rules', accessRules: tooMany },
      }),
    );
    assert(/at most 20/.test(many.message), many.message);
    const page = await rejection(cloud.cluster.listClusters({ pageSize: 251 }));
    assertEqual(page.issues[0]?.field, 'pageSize');
    const schedule = await rejection(
      cloud.backup.createBackupSchedule({
        backupSchedule: {
          clusterId: CLUSTER,
          schedule: 'every day',
          retentionPeriod: '3600s',
          displayName: 'nightly',
        },
      }),
    );
    assertDeepEqual(schedule.issues.map((i) => i.field).sort(), [
      'backupSchedule.retentionPeriod',
      'backupSchedule.schedule',
    ]);
    const clusterName = await rejection(
      cloud.cluster.createCluster({
        cluster: {
          name: 'no spaces allowed',
          cloudProviderId: 'aws',
          cloudProviderRegionId: 'r',
          configuration: { numberOfNodes: 1, packageId: CLUSTER },
        },
      }),
    );
    assertEqual(clusterName.issues[0]?.field, 'cluster.name');
  }),

  test('a missing accountId (no client default) is a validation error', async (ctx) => {
    const cloud = createCloudClient({
      managementKey: KEY,
      baseUrl: `${server(ctx)}/s/ok/${runId()}`,
    });
    const error = await rejection(cloud.cluster.listClusters({}));
    assertEqual(error.kind, 'validation');
    assertEqual(error.issues[0]?.field, 'accountId');
  }),

  test('idempotent calls retry 503 and succeed', async (ctx) => {
    const res = (await client(ctx, 'flaky-3').cluster.getCluster({ clusterId: CLUSTER })) as Record<
      string,
      unknown
    >;
    assertEqual(res.hit, 3);
  }),

  test('non-idempotent calls are not retried', async (ctx) => {
    const error = await rejection(
      client(ctx, 'flaky-3').cluster.restartCluster({ clusterId: CLUSTER }),
    );
    assertEqual(error.status, 503);
    assertEqual(error.attempts, 1);
    assertEqual(error.retryAfter, 0);
  }),

  test('retry: 0 turns retries off', async (ctx) => {
    const error = await rejection(
      client(ctx, 'flaky-3', { retry: 0 }).cluster.getCluster({ clusterId: CLUSTER }),
    );
    assertEqual(error.attempts, 1);
    assertEqual(error.codeName, 'UNAVAILABLE');
  }),

  test('a Retry-After longer than maxDelayMs is returned at once with retryAfter set', async (ctx) => {
    const error = await rejection(
      client(ctx, 'retry-after-120').cluster.getCluster({ clusterId: CLUSTER }),
    );
    assertEqual(error.status, 429);
    assertEqual(error.retryAfter, 120);
    assertEqual(error.codeName, 'RESOURCE_EXHAUSTED');
    assertEqual(error.attempts, 1);
  }),

  test('errors map the google.rpc.Status and never contain the management key', async (ctx) => {
    const error = await rejection(
      client(ctx, 'status-403-7').cluster.getCluster({ clusterId: CLUSTER }),
    );
    assertMatch(error, {
      kind: 'http',
      status: 403,
      code: 7,
      method: 'GET',
      rpc: 'cluster.getCluster',
    });
    assertEqual(error.codeName, 'PERMISSION_DENIED');
    assertEqual(error.path, `/api/cluster/v1/accounts/${ACCOUNT}/clusters/${CLUSTER}`);
    assertEqual((error.details[0] as { reason?: string }).reason, 'DENIED');
    assert(error.message.includes('[REDACTED]'), error.message);
    assertNoKey(error);
    const notFound = await rejection(
      client(ctx, 'status-404-5').cluster.getCluster({ clusterId: CLUSTER }),
    );
    assertEqual(notFound.codeName, 'NOT_FOUND');
  }),

  test('a non-JSON error page maps by HTTP status', async (ctx) => {
    const error = await rejection(
      client(ctx, 'html-502', { retry: 0 }).cluster.getCluster({ clusterId: CLUSTER }),
    );
    assertMatch(error, { kind: 'http', status: 502, code: 14 });
  }),

  test('network errors are retried, then reported without the key', async () => {
    const cloud = createCloudClient({
      managementKey: KEY,
      accountId: ACCOUNT,
      baseUrl: 'http://127.0.0.1:1',
      retry: { retries: 2, baseDelayMs: 1 },
    });
    const error = await rejection(cloud.cluster.getCluster({ clusterId: CLUSTER }));
    assertEqual(error.kind, 'network');
    assertEqual(error.attempts, 3);
    assertNoKey(error);
  }),

  test('timeouts are in milliseconds', async (ctx) => {
    const started = Date.now();
    const error = await rejection(
      client(ctx, 'slow-3000', { timeoutMs: 100 }).cluster.getCluster({ clusterId: CLUSTER }),
    );
    assertEqual(error.kind, 'timeout');
    assertEqual(error.codeName, 'DEADLINE_EXCEEDED');
    assert(Date.now() - started < 2500, 'gave up well before the server answered');
  }),

  test('an AbortSignal cancels the call', async (ctx) => {
    const controller = new AbortController();
    const pending = client(ctx, 'slow-3000').cluster.getCluster(
      { clusterId: CLUSTER },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 50);
    const error = await rejection(pending);
    assertEqual(error.kind, 'aborted');
    assertEqual(error.codeName, 'CANCELLED');
  }),

  test('paginateItems follows nextPageToken over every page', async (ctx) => {
    const cloud = client(ctx, 'pages');
    const ids: string[] = [];
    for await (const item of paginateItems(cloud.cluster.listClusters, { pageSize: 2 }))
      ids.push(String(item.id));
    assertDeepEqual(ids, ['c1a', 'c1b', 'c2a', 'c2b', 'c3a', 'c3b']);
  }),

  test('waitForClusterHealthy reports progress and resolves on HEALTHY', async (ctx) => {
    const phases: string[] = [];
    const cluster = await waitForClusterHealthy(
      client(ctx, 'cluster-healthy').cluster,
      { clusterId: CLUSTER },
      {
        intervalMs: 5,
        onProgress: (p) => phases.push(String(p.phase)),
      },
    );
    assertEqual(cluster.state?.phase, 'CLUSTER_PHASE_HEALTHY');
    assertEqual(cluster.state?.nodesUp, 3);
    assertDeepEqual(phases, [
      'CLUSTER_PHASE_CREATING',
      'CLUSTER_PHASE_CREATING',
      'CLUSTER_PHASE_HEALTHY',
    ]);
  }),

  test('waitForClusterHealthy stops on FAILED_TO_CREATE', async (ctx) => {
    const error = await rejection(
      waitForClusterHealthy(
        client(ctx, 'cluster-failed_to_create').cluster,
        { clusterId: CLUSTER },
        { intervalMs: 5 },
      ),
    );
    assertEqual(error.kind, 'wait');
    assert(/CLUSTER_PHASE_FAILED_TO_CREATE: quota/.test(error.message), error.message);
  }),

  test('waitForDatabaseKey polls with the key until 2xx', async (ctx) => {
    const statuses: Array<number | undefined> = [];
    await waitForDatabaseKey(
      'db-key-0123456789',
      { url: `${server(ctx)}/s/key-3/${runId()}` },
      {
        intervalMs: 5,
        onProgress: (p) => statuses.push(p.status),
      },
    );
    assertDeepEqual(statuses, [401, 401, 200]);
    const error = await rejection(
      waitForDatabaseKey(
        'wrong-key-0123456789',
        { url: `${server(ctx)}/s/key-1/${runId()}` },
        { intervalMs: 5, timeoutMs: 60 },
      ),
    );
    assertEqual(error.kind, 'wait');
  }),

  test('database helpers read GET / and check a key', async (ctx) => {
    const url = `${server(ctx)}/s/key-1/${runId()}`;
    const info = await getClusterInfo({ url, apiKey: 'db-key-0123456789' });
    assertEqual(info.version, '1.16.2');
    assertDeepEqual(await checkDatabaseKey({ url, apiKey: 'db-key-0123456789' }), {
      ok: true,
      status: 200,
    });
    const refused = await checkDatabaseKey({ url, apiKey: 'wrong-key-0123456789' });
    assertMatch(refused, { ok: false, status: 401 });
    // A cluster answers `/` without checking the key, so reading it proves nothing about a key.
    assertEqual((await getClusterInfo({ url, apiKey: 'wrong-key-0123456789' })).version, '1.16.2');
    await assertRejects(
      () => getClusterInfo({ url: `${server(ctx)}/s/status-503-14/${runId()}`, apiKey: 'k' }),
      /HTTP 503/,
    );
  }),

  test('a client without apiKey is refused at creation', () => {
    let error: unknown;
    try {
      createCloudClient({ managementKey: '' });
    } catch (e) {
      error = e;
    }
    assert(error instanceof QdrantCloudError && error.kind === 'validation', String(error));
  }),
] satisfies TestCase[];
