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
  findPackage,
  getClusterInfo,
  paginateItems,
  retentionDays,
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
        accessType: 'COLLECTION_ACCESS_RULE_ACCESS_TYPE_READ_ONLY' as const,
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

  test('the time limit also covers a body that stops halfway', async (ctx) => {
    const started = Date.now();
    const error = await rejection(
      client(ctx, 'stall-3000', { timeoutMs: 150 }).cluster.getCluster({ clusterId: CLUSTER }),
    );
    assertEqual(error.kind, 'timeout');
    assertEqual(error.attempts, 1);
    assert(Date.now() - started < 2500, 'gave up well before the body was complete');
  }),

  test('each retry gets a time limit of its own', async (ctx) => {
    // The first attempt never gets an answer; the retry must not inherit its spent signal.
    const answer = await client(ctx, 'hang-1', { timeoutMs: 300 }).cluster.getCluster({
      clusterId: CLUSTER,
    });
    assertEqual(answer.cluster?.id, 'x');
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

  test('each mistake is refused before sending, with a message that says how to fix it', async (ctx) => {
    let sent = 0;
    const cloud = createCloudClient({
      managementKey: KEY,
      baseUrl: `${server(ctx)}/s/ok/${runId()}`,
      fetch: (input, init) => {
        sent++;
        return fetch(input, init);
      },
    });
    const withAccount = client(ctx, 'ok', {
      fetch: (input: RequestInfo | URL, init?: RequestInit) => {
        sent++;
        return fetch(input, init);
      },
    });
    const message = async (promise: Promise<unknown>) => (await rejection(promise)).message;
    assertMatch(
      { m: await message(cloud.cluster.listClusters({})) },
      {
        m: 'cluster.listClusters: invalid request: accountId is required (pass it in the request or as the client option accountId)',
      },
    );
    // @ts-expect-error clusterId is required
    const typo = await message(withAccount.cluster.getCluster({ clusterID: CLUSTER }));
    assert(
      /clusterId is required \(the request has clusterID: field names are case-sensitive, use clusterId\)/.test(
        typo,
      ),
      typo,
    );
    // @ts-expect-error pageSize is a number
    const size = await message(withAccount.cluster.listClusters({ pageSize: '100' }));
    assert(/pageSize must be a number, not a string: write 100 without quotes/.test(size), size);
    const retention = await message(
      withAccount.backup.createBackupSchedule({
        backupSchedule: {
          clusterId: CLUSTER,
          schedule: '0 3 * * *',
          // @ts-expect-error a Duration is a string
          retentionPeriod: 604800,
          displayName: 'nightly',
        },
      }),
    );
    assert(
      /retentionPeriod must be a duration string in seconds like "604800s"/.test(retention),
      retention,
    );
    const noCluster = await message(
      // @ts-expect-error clusterId and name are required
      withAccount.databaseApiKey.createDatabaseApiKey({ databaseApiKey: {} }),
    );
    assert(/databaseApiKey\.clusterId is required/.test(noCluster), noCluster);
    assert(/databaseApiKey\.name is required/.test(noCluster), noCluster);
    const bare = await rejection(
      withAccount.cluster.createCluster({
        // @ts-expect-error name, region and package are required
        cluster: { cloudProviderId: 'aws', configuration: { numberOfNodes: 1 } },
      }),
    );
    const fields = bare.issues.map((i) => i.field);
    for (const f of [
      'cluster.name',
      'cluster.cloudProviderRegionId',
      'cluster.configuration.packageId',
    ]) {
      assert(fields.includes(f), `${f} in ${fields.join(', ')}`);
    }
    const accessType = await message(
      withAccount.databaseApiKey.createDatabaseApiKey({
        databaseApiKey: {
          clusterId: CLUSTER,
          name: 'reader',
          // @ts-expect-error READ_WRITE is not an access type
          accessRules: [{ collectionAccess: { collectionName: 'docs', accessType: 'READ_WRITE' } }],
        },
      }),
    );
    assert(
      /accessRules\.0\.collectionAccess\.accessType "READ_WRITE" is not allowed: use COLLECTION_ACCESS_RULE_ACCESS_TYPE_READ_ONLY or COLLECTION_ACCESS_RULE_ACCESS_TYPE_READ_WRITE/.test(
        accessType,
      ),
      accessType,
    );
    const unspecified = await message(
      withAccount.databaseApiKey.createDatabaseApiKey({
        databaseApiKey: {
          clusterId: CLUSTER,
          name: 'reader',
          accessRules: [
            // @ts-expect-error UNSPECIFIED is refused by the Cloud
            { globalAccess: { accessType: 'GLOBAL_ACCESS_RULE_ACCESS_TYPE_UNSPECIFIED' } },
          ],
        },
      }),
    );
    assert(/globalAccess\.accessType/.test(unspecified), unspecified);
    const both = await message(
      withAccount.databaseApiKey.createDatabaseApiKey({
        databaseApiKey: {
          clusterId: CLUSTER,
          name: 'reader',
          accessRules: [
            {
              globalAccess: { accessType: 'GLOBAL_ACCESS_RULE_ACCESS_TYPE_MANAGE' },
              collection_access: { collectionName: 'docs', accessType: 1 },
            } as never,
          ],
        },
      }),
    );
    assert(/accessRules\.0 must set only one of globalAccess or collectionAccess/.test(both), both);
    const nbsp = await message(
      withAccount.databaseApiKey.createDatabaseApiKey({
        databaseApiKey: { clusterId: CLUSTER, name: 'my\u00a0key' },
      }),
    );
    assert(/databaseApiKey\.name may only contain ASCII letters/.test(nbsp), nbsp);
    assertEqual(sent, 0);
  }),

  test('a hanging poll does not end the wait: it is cut off and polled again', async (ctx) => {
    const progress: (string | undefined)[] = [];
    const cluster = await waitForClusterHealthy(
      client(ctx, 'hang-2').cluster,
      { clusterId: CLUSTER },
      {
        intervalMs: 10,
        pollTimeoutMs: 1_000,
        timeoutMs: 20_000,
        onProgress: (p) => progress.push(p.error?.kind ?? p.phase),
      },
    );
    assertEqual(cluster.state?.phase, 'CLUSTER_PHASE_HEALTHY');
    // The two hanging polls are cut off; on a loaded machine a slow answer may be cut off too,
    // so only the order is fixed: timeouts first, then the healthy answer.
    assertEqual(progress.at(-1), 'CLUSTER_PHASE_HEALTHY');
    const cutOff = progress.slice(0, -1);
    assert(
      cutOff.length >= 2 && cutOff.every((p) => p === 'timeout'),
      `progress ${progress.join(',')}`,
    );
  }),

  test('a burst of 503s does not end the wait', async (ctx) => {
    const progress: (number | undefined)[] = [];
    const cluster = await waitForClusterHealthy(
      client(ctx, 'burst-12').cluster,
      { clusterId: CLUSTER },
      { intervalMs: 5, timeoutMs: 10_000, onProgress: (p) => progress.push(p.error?.status) },
    );
    assertEqual(cluster.state?.phase, 'CLUSTER_PHASE_HEALTHY');
    assertEqual(progress.length, 13);
    assertEqual(progress.filter((s) => s === 503).length, 12);
  }),

  test("the wait's own deadline is hard, even with a poll in flight", async (ctx) => {
    const started = Date.now();
    const error = await rejection(
      waitForClusterHealthy(
        client(ctx, 'hang-99').cluster,
        { clusterId: CLUSTER },
        { intervalMs: 10, pollTimeoutMs: 60_000, timeoutMs: 300 },
      ),
    );
    assertEqual(error.kind, 'wait');
    assert(Date.now() - started < 3_000, `took ${Date.now() - started} ms`);
  }),

  test('baseUrl is checked at construction: http(s) only, no user name or password', () => {
    for (const baseUrl of [
      'api.cloud.qdrant.io',
      'file:///etc/passwd',
      'data:,x',
      'https://me:hunter2secret@api.cloud.qdrant.io',
    ]) {
      let error: unknown;
      try {
        createCloudClient({ managementKey: KEY, baseUrl });
      } catch (e) {
        error = e;
      }
      assert(
        error instanceof QdrantCloudError && error.kind === 'validation',
        `${baseUrl}: ${String(error)}`,
      );
      assert(/baseUrl/.test(error.message) && !error.message.includes('hunter2'), error.message);
    }
  }),

  test('errors name the host and carry the trace id; a 500 is not retried', async (ctx) => {
    const error = await rejection(client(ctx, 'trace').cluster.getCluster({ clusterId: CLUSTER }));
    assertEqual(error.traceId, 'trace-abc123');
    assertEqual(error.attempts, 1);
    assertEqual(error.origin, new URL(server(ctx)).origin);
    assert(
      error.message.includes(new URL(server(ctx)).host) && error.message.includes('trace-abc123'),
      error.message,
    );
    assertNoKey(error);
  }),

  test('a redirect to another origin is never followed with a key', async (ctx) => {
    const url = `${server(ctx)}/s/redirect/${runId()}`;
    const api = await rejection(client(ctx, 'redirect').cluster.getCluster({ clusterId: CLUSTER }));
    assert(
      /redirect to http:\/\/localhost:\d+; it was not followed/.test(api.message),
      api.message,
    );
    const check = await checkDatabaseKey({ url, apiKey: 'db-key-0123456789' });
    assertEqual(check.ok, false);
    const wait = await rejection(
      waitForDatabaseKey('db-key-0123456789', { url }, { intervalMs: 10, timeoutMs: 200 }),
    );
    assertEqual(wait.kind, 'wait');
  }),

  test('what the CLI and Terraform users rely on: Date timestamps, retentionDays, ignoreNotFound, findPackage', async (ctx) => {
    const expiresAt = new Date(Date.UTC(2030, 0, 2, 3, 4, 5));
    const created = (await client(ctx, 'ok').databaseApiKey.createDatabaseApiKey({
      databaseApiKey: { clusterId: CLUSTER, name: 'expiring key', expiresAt },
    })) as unknown as { echoBody: string };
    assertEqual(JSON.parse(created.echoBody).databaseApiKey.expiresAt, '2030-01-02T03:04:05.000Z');
    assertEqual(retentionDays(7), '604800s');
    const gone = client(ctx, 'status-404-5').cluster;
    assertDeepEqual(await gone.deleteCluster({ clusterId: CLUSTER }, { ignoreNotFound: true }), {});
    assertEqual((await rejection(gone.deleteCluster({ clusterId: CLUSTER }))).status, 404);
    assertEqual(
      (await rejection(gone.getCluster({ clusterId: CLUSTER }, { ignoreNotFound: true }))).status,
      404,
    );
    const booking = {
      listPackages: async () => ({
        items: [
          {
            id: 'p1',
            name: 'small',
            unitIntPricePerHour: 1,
            resourceConfiguration: { cpu: '500m', ram: '1GiB' },
          },
          {
            id: 'p3',
            name: 'large',
            unitIntPricePerHour: 9,
            resourceConfiguration: { cpu: '4000m', ram: '16GiB' },
          },
          {
            id: 'p2',
            name: 'medium',
            unitIntPricePerHour: 3,
            resourceConfiguration: { cpu: '2000m', ram: '8GiB' },
          },
          {
            id: 'p4',
            name: 'old',
            status: 'PACKAGE_STATUS_DEACTIVATED',
            resourceConfiguration: { cpu: '8000m', ram: '64GiB' },
          },
        ],
      }),
    };
    const where = { cloudProviderId: 'aws', cloudProviderRegionId: 'eu-central-1' };
    assertEqual((await findPackage(booking, where, { name: 'large' })).id, 'p3');
    assertEqual((await findPackage(booking, where, { cpu: '1', ram: '2GiB' })).id, 'p2');
    const none = await rejection(findPackage(booking, where, { cpu: '8', ram: '64GiB' }));
    assert(
      /no active package with at least 8 CPU and 64GiB RAM in aws\/eu-central-1; on offer: small/.test(
        none.message,
      ),
      none.message,
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
