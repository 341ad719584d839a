// The Workers entry (src/worker.ts, wrangler's `main`) under Miniflare with its Durable Object
// bound as wrangler.toml binds it: revocations and rate limits across two Workers sharing the
// object, in front of a real loopback upstream.
import { fileURLToPath } from 'node:url';
import { claimsFor, signDatabaseKey } from '@qdrant-kit/core';
import { type RecordingUpstream, startRecordingUpstream } from '@qdrant-kit/test-support/upstream';
import { startTwoWorkers, type TwoWorkers } from '@qdrant-kit/test-support/workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ADMIN = 'worker-state-admin-key-0123456789';
let workers: TwoWorkers;
let upstream: RecordingUpstream;

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  workers = await startTwoWorkers({
    entry: fileURLToPath(new URL('../src/worker.ts', import.meta.url)),
    stateBinding: 'QDRANT_GATEWAY_STATE',
    bindings: {
      QDRANT_UPSTREAM_URL: upstream.url,
      QDRANT__SERVICE__API_KEY: ADMIN,
      QDRANT__SERVICE__JWT_RBAC: 'true',
      QDRANT_GATEWAY_LOG: 'false',
      QDRANT_GATEWAY_RATE_LIMIT: '5/s',
    },
  });
});
afterAll(async () => {
  await workers?.dispose();
  await upstream?.close();
});

async function send(worker: 'a' | 'b', path: string, key: string, body?: unknown) {
  const response = await workers.fetch(worker, path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'api-key': key, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

describe('the Workers gateway with its Durable Object', () => {
  it('revokes a subject through one Worker; the other refuses it within about a second', async () => {
    const key = await signDatabaseKey(ADMIN, claimsFor({ access: 'r', subject: 'tenant-9' }));
    expect((await send('b', '/collections', key)).status).toBe(200);
    expect((await send('a', '/gateway/v1/revocations', key, { subject: 'tenant-9' })).status).toBe(
      403,
    );
    expect(
      (await send('a', '/gateway/v1/revocations', ADMIN, { subject: 'tenant-9' })).status,
    ).toBe(201);
    expect((await send('a', '/collections', key)).status).toBe(401);
    const startedAt = Date.now();
    let status = 0;
    while (Date.now() - startedAt < 3000) {
      status = (await send('b', '/collections', key)).status;
      if (status === 401) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(401);
    expect(Date.now() - startedAt).toBeLessThan(1500);
    expect(upstream.requests.some((r) => r.url.startsWith('/gateway'))).toBe(false);
  });

  it('20 concurrent requests of one key at 5/s across both Workers let at most 7 through', async () => {
    const key = await signDatabaseKey(ADMIN, claimsFor({ access: 'r', subject: 'hot' }));
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => send(i % 2 === 0 ? 'a' : 'b', '/collections', key)),
    );
    const passed = statuses.filter((s) => s.status === 200).length;
    expect(passed).toBeGreaterThanOrEqual(5);
    expect(passed).toBeLessThanOrEqual(7);
  });
});
