// Node-side unit tests: key redaction as seen by Node's inspectors, Retry-After actually
// honoured, back-off bounds, and fetch injection. Behaviour shared by all runtimes lives in
// conformance/client.ts.
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDatabaseKey, createCloudClient, QdrantCloudError } from '../src/index.ts';
import { delayBeforeRetry, parseRetryAfter, resolveRetry } from '../src/retry.ts';
import { type ScenarioServer, startScenarioServer } from './support/scenario-server.ts';

const KEY = 'mgmt-key-SECRET-unit-0123456789abcdef';
const ACCOUNT = '11111111-1111-4111-8111-111111111111';
const CLUSTER = '22222222-2222-4222-8222-222222222222';

let server: ScenarioServer;
beforeAll(async () => {
  server = await startScenarioServer();
});
afterAll(() => server.close());

function leaks(value: unknown): string[] {
  const error = value as QdrantCloudError;
  return [
    ['message', error.message],
    ['stack', String(error.stack)],
    ['JSON.stringify', JSON.stringify(error)],
    ['util.inspect', inspect(error, { depth: 10, showHidden: true })],
    ['cause', inspect(error.cause, { depth: 10, showHidden: true })],
    ['String', String(error)],
  ]
    .filter(([, text]) => (text as string).includes(KEY))
    .map(([where]) => where as string);
}

describe('the management key never leaks', () => {
  it('not from an error whose server body echoes the key', async () => {
    const cloud = createCloudClient({
      managementKey: KEY,
      accountId: ACCOUNT,
      baseUrl: `${server.url}/s/status-401-16/r1`,
    });
    const error = await cloud.cluster.getCluster({ clusterId: CLUSTER }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QdrantCloudError);
    expect((error as QdrantCloudError).codeName).toBe('UNAUTHENTICATED');
    // The server really did receive (and echo) the key: scrubbing is what keeps it out.
    expect(server.requests.at(-1)?.headers.authorization).toBe(`apikey ${KEY}`);
    expect(leaks(error)).toEqual([]);
  });

  it('not from a network error (the fetch error itself is not kept)', async () => {
    const cloud = createCloudClient({
      managementKey: KEY,
      accountId: ACCOUNT,
      baseUrl: 'http://127.0.0.1:1',
      retry: 0,
    });
    const error = await cloud.cluster.getCluster({ clusterId: CLUSTER }).catch((e: unknown) => e);
    expect((error as QdrantCloudError).kind).toBe('network');
    expect(leaks(error)).toEqual([]);
  });

  it('not from a fetch that throws an error mentioning the key', async () => {
    const cloud = createCloudClient({
      managementKey: KEY,
      accountId: ACCOUNT,
      retry: 0,
      fetch: async (_input, init) => {
        throw new TypeError(`boom with ${new Headers(init?.headers).get('authorization')}`);
      },
    });
    const error = await cloud.cluster.getCluster({ clusterId: CLUSTER }).catch((e: unknown) => e);
    expect((error as QdrantCloudError).message).toContain('[REDACTED]');
    expect(leaks(error)).toEqual([]);
  });

  it('not from the client object itself', () => {
    const cloud = createCloudClient({ managementKey: KEY, accountId: ACCOUNT });
    expect(inspect(cloud, { depth: 10, showHidden: true })).not.toContain(KEY);
    expect(JSON.stringify(cloud)).not.toContain(KEY);
  });
});

describe('hostile values', () => {
  it('refuses "." and ".." as path parameters, even without validation (fetch would resolve them)', async () => {
    const urls: string[] = [];
    const cloud = createCloudClient({
      managementKey: KEY,
      accountId: ACCOUNT,
      fetch: async (input) => {
        urls.push(String(input));
        return Response.json({});
      },
    });
    for (const clusterId of ['.', '..']) {
      const error = await cloud.cluster
        .getCluster({ clusterId }, { skipValidation: true })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(QdrantCloudError);
      expect((error as QdrantCloudError).message).toContain('clusterId');
    }
    expect(urls).toEqual([]);
  });

  it('survives a fetch error whose cause chain loops, without leaking the key', async () => {
    const cloud = createCloudClient({
      managementKey: KEY,
      accountId: ACCOUNT,
      retry: 0,
      fetch: async () => {
        const outer = new TypeError(`fetch failed for ${KEY}`);
        const inner = new Error(`socket closed (${KEY})`, { cause: outer });
        (outer as { cause?: unknown }).cause = inner;
        throw outer;
      },
    });
    const error = await cloud.cluster.getCluster({ clusterId: CLUSTER }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QdrantCloudError);
    expect(leaks(error)).toEqual([]);
  });

  it('scrubs a key that JSON escapes from error details', async () => {
    const quoted = 'mgmt"key\\with-escapes-0123456789';
    const cloud = createCloudClient({
      managementKey: quoted,
      accountId: ACCOUNT,
      retry: 0,
      fetch: async () =>
        Response.json(
          { code: 16, message: 'denied', details: [{ '@type': 'x', echoed: quoted }] },
          { status: 401 },
        ),
    });
    const error = (await cloud.cluster
      .getCluster({ clusterId: CLUSTER })
      .catch((e: unknown) => e)) as QdrantCloudError;
    expect(error).toBeInstanceOf(QdrantCloudError);
    expect(JSON.stringify(error.details)).not.toContain(JSON.stringify(quoted).slice(1, -1));
    expect(inspect(error, { depth: 10 })).not.toContain(quoted);
  });
});

describe('retries', () => {
  it('waits as long as Retry-After says before retrying', async () => {
    const cloud = createCloudClient({
      managementKey: KEY,
      accountId: ACCOUNT,
      baseUrl: `${server.url}/s/retry-after-1/r2`,
      retry: { retries: 1, maxDelayMs: 5_000 },
    });
    const started = Date.now();
    const error = (await cloud.cluster
      .getCluster({ clusterId: CLUSTER })
      .catch((e: unknown) => e)) as QdrantCloudError;
    expect(error.attempts).toBe(2);
    expect(error.retryAfter).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('backs off exponentially with full jitter, capped', () => {
    const policy = resolveRetry({ baseDelayMs: 100, maxDelayMs: 1_000 });
    for (let attempt = 1; attempt <= 8; attempt++) {
      for (let i = 0; i < 200; i++) {
        const delay = delayBeforeRetry(attempt, policy, undefined) as number;
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(Math.min(1_000, 100 * 2 ** (attempt - 1)));
      }
    }
    const spread = new Set(
      Array.from({ length: 50 }, () => delayBeforeRetry(4, policy, undefined)),
    );
    expect(spread.size).toBeGreaterThan(10);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('resolves retry options: 0 and false are off, counts are whole', () => {
    expect(resolveRetry(0).retries).toBe(0);
    expect(resolveRetry(false).retries).toBe(0);
    expect(resolveRetry(2.7).retries).toBe(2);
    expect(resolveRetry(undefined).retries).toBe(3);
  });
});

describe('injected fetch', () => {
  it('is used for every call, with the apikey scheme and JSON body', async () => {
    const seen: Array<{ url: string; method?: string; auth: string | null; body: unknown }> = [];
    const cloud = createCloudClient({
      managementKey: KEY,
      accountId: ACCOUNT,
      fetch: async (input, init) => {
        seen.push({
          url: String(input),
          method: init?.method,
          auth: new Headers(init?.headers).get('authorization'),
          body: init?.body,
        });
        return new Response(
          JSON.stringify({
            cluster: { id: CLUSTER, state: { nodesUp: 3, phase: 'CLUSTER_PHASE_SOMETHING_NEW' } },
          }),
          {
            status: 200,
            headers: { 'content-type': 'application/json' },
          },
        );
      },
    });
    const res = await cloud.cluster.getCluster({ clusterId: CLUSTER });
    expect(res.cluster?.state?.phase).toBe('CLUSTER_PHASE_SOMETHING_NEW');
    expect(seen[0]).toMatchObject({
      url: `https://api.cloud.qdrant.io/api/cluster/v1/accounts/${ACCOUNT}/clusters/${CLUSTER}`,
      method: 'GET',
      auth: `apikey ${KEY}`,
    });
  });

  it('sends client and per-call headers, but never lets them replace the management key', async () => {
    const seen: Headers[] = [];
    const cloud = createCloudClient({
      managementKey: KEY,
      accountId: ACCOUNT,
      headers: { 'User-Agent': 'unit/1', Authorization: 'Bearer client-level' },
      fetch: async (_input, init) => {
        seen.push(new Headers(init?.headers));
        return Response.json({});
      },
    });
    await cloud.cluster.getCluster({ clusterId: CLUSTER });
    await cloud.cluster.getCluster(
      { clusterId: CLUSTER },
      { headers: { 'X-Trace': 't-1', authorization: 'Bearer per-call', 'user-agent': 'unit/2' } },
    );
    expect(
      seen.map((h) => [h.get('authorization'), h.get('user-agent'), h.get('x-trace')]),
    ).toEqual([
      [`apikey ${KEY}`, 'unit/1', null],
      [`apikey ${KEY}`, 'unit/2', 't-1'],
    ]);
    expect(seen.every((h) => h.get('accept') === 'application/json')).toBe(true);
  });

  it('refuses a per-call timeoutMs that is not a time, before sending, naming the option', async () => {
    let sent = 0;
    const cloud = createCloudClient({
      managementKey: KEY,
      accountId: ACCOUNT,
      fetch: async () => {
        sent++;
        return Response.json({ cluster: {} });
      },
    });
    for (const timeoutMs of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const error = await cloud.cluster
        .getCluster({ clusterId: CLUSTER }, { timeoutMs })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'validation', issues: [{ field: 'timeoutMs' }] });
      expect((error as Error).message).toMatch(/^cluster\.getCluster: timeoutMs must be a number/);
    }
    expect(sent).toBe(0);
    // A fraction of a millisecond is a time: rounded up, not refused.
    expect(await cloud.cluster.getCluster({ clusterId: CLUSTER }, { timeoutMs: 0.5 })).toEqual({
      cluster: {},
    });
  });

  it('reads an empty answer (204, or 200 without a body) as an empty message', async () => {
    const answers = [new Response(null, { status: 204 }), new Response('', { status: 200 })];
    const cloud = createCloudClient({
      managementKey: KEY,
      accountId: ACCOUNT,
      fetch: async () => answers.shift() as Response,
    });
    expect(await cloud.cluster.deleteCluster({ clusterId: CLUSTER })).toEqual({});
    expect(await cloud.cluster.getCluster({ clusterId: CLUSTER })).toEqual({});
  });

  it('with checkResponses, turns int64 numbers into strings and refuses a malformed answer', async () => {
    const malformed = createCloudClient({
      managementKey: KEY,
      accountId: ACCOUNT,
      checkResponses: true,
      fetch: async () => Response.json({ cluster: { name: 42 } }),
    });
    await expect(malformed.cluster.getCluster({ clusterId: CLUSTER })).rejects.toThrow(
      /unexpected response .*cluster\.name/,
    );
    const cloud = createCloudClient({
      managementKey: KEY,
      accountId: ACCOUNT,
      checkResponses: true,
      fetch: async () =>
        Response.json({
          items: [{ amountMillicents: 12345, currency: 'EUR', billableEntityType: 'x' }],
        }),
    });
    const res = await cloud.metering.listMeterings({ year: 2025, month: 1 });
    expect(res.items?.[0]?.amountMillicents).toBe('12345');
  });

  it('by default returns the JSON as typed, and refuses an answer that is not an object', async () => {
    const bodies = [{ cluster: { name: 'c', futureField: 1 } }, [1, 2]];
    const cloud = createCloudClient({
      managementKey: KEY,
      accountId: ACCOUNT,
      retry: 0,
      fetch: async () => Response.json(bodies.shift()),
    });
    expect(await cloud.cluster.getCluster({ clusterId: CLUSTER })).toEqual({
      cluster: { name: 'c', futureField: 1 },
    });
    await expect(cloud.cluster.getCluster({ clusterId: CLUSTER })).rejects.toThrow(/not an object/);
  });
});

describe('issue 11: keys and failures', () => {
  it('sends no key to the other origin of a redirect (the server sees no follow-up)', async () => {
    const server = await startScenarioServer();
    try {
      const url = `${server.url}/s/redirect/${Math.random()}`;
      const check = await checkDatabaseKey({ url, apiKey: 'db-key-0123456789' });
      expect(check.ok).toBe(false);
      const cloud = createCloudClient({ managementKey: KEY, accountId: ACCOUNT, baseUrl: url });
      await expect(cloud.cluster.getCluster({ clusterId: CLUSTER })).rejects.toThrow(/redirect/);
      expect(server.requests.filter((r) => r.url.startsWith('/s/ok/x/'))).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('redacts a short key and a case-changed echo of it', async () => {
    const cloud = createCloudClient({
      managementKey: 'Ab1',
      accountId: ACCOUNT,
      retry: 0,
      fetch: async () =>
        Response.json({ code: 16, message: 'bad key AB1 / ab1 / Ab1' }, { status: 401 }),
    });
    const error = (await cloud.cluster
      .getCluster({ clusterId: CLUSTER })
      .catch((e: unknown) => e)) as QdrantCloudError;
    expect(error.message).toContain('[REDACTED] / [REDACTED] / [REDACTED]');
    expect(JSON.stringify(error).toLowerCase()).not.toContain('ab1');
  });

  it('does not retry a failure that cannot change (a bad certificate)', async () => {
    let calls = 0;
    const cloud = createCloudClient({
      managementKey: KEY,
      accountId: ACCOUNT,
      retry: { retries: 3, baseDelayMs: 1 },
      fetch: async () => {
        calls++;
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' }),
        });
      },
    });
    const error = (await cloud.cluster
      .getCluster({ clusterId: CLUSTER })
      .catch((e: unknown) => e)) as QdrantCloudError;
    expect(error.kind).toBe('network');
    expect(calls).toBe(1);
  });

  it('retries a refused connection, and names the host', async () => {
    let calls = 0;
    const cloud = createCloudClient({
      managementKey: KEY,
      accountId: ACCOUNT,
      baseUrl: 'https://api.example.test',
      retry: { retries: 2, baseDelayMs: 1 },
      fetch: async () => {
        calls++;
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
        });
      },
    });
    const error = (await cloud.cluster
      .getCluster({ clusterId: CLUSTER })
      .catch((e: unknown) => e)) as QdrantCloudError;
    expect(calls).toBe(3);
    expect(error.message).toContain('https://api.example.test/api/cluster/v1/');
  });

  it('tells a caller of the old option name what it is now', () => {
    expect(() => createCloudClient({ apiKey: KEY } as never)).toThrow(
      /apiKey was renamed managementKey/,
    );
  });
});
