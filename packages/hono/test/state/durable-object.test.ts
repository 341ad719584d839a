// The Durable Object store under Miniflare (workerd): two Workers share one namespace, as two
// isolates of the gateway would.
import { fileURLToPath } from 'node:url';
import { startTwoWorkers, type TwoWorkers } from '@qdrant-kit/test-support/workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY } from '../helpers/guarded-app.js';

let workers: TwoWorkers;

beforeAll(async () => {
  workers = await startTwoWorkers({
    entry: fileURLToPath(new URL('../fixtures/durable-object-worker.ts', import.meta.url)),
    stateBinding: 'STATE',
  });
});

afterAll(async () => {
  await workers?.dispose();
});

async function send(
  worker: 'a' | 'b',
  path: string,
  init: { method?: string; key: string; subject?: string; body?: string },
) {
  const headers: Record<string, string> = { 'api-key': init.key };
  if (init.subject) headers['x-test-subject'] = init.subject;
  const response = await workers.fetch(worker, path, {
    method: init.method ?? 'GET',
    headers,
    body: init.body,
  });
  const text = await response.text();
  return { status: response.status, text };
}

describe('Durable Object store (Miniflare)', () => {
  it('a revocation made through one isolate is refused by the other within about 1 s', async () => {
    expect((await send('b', '/collections', { key: 'leaked' })).status).toBe(200);
    const created = await send('a', '/gateway/v1/revocations', {
      method: 'POST',
      key: ADMIN_KEY,
      body: JSON.stringify({ token: 'leaked' }),
    });
    expect(created.status).toBe(201);
    const revokedAt = Date.now();
    expect((await send('a', '/collections', { key: 'leaked' })).status).toBe(401);
    let status = 0;
    while (Date.now() - revokedAt < 3000) {
      status = (await send('b', '/collections', { key: 'leaked' })).status;
      if (status === 401) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(status).toBe(401);
    // confirmAfterMs (1000) plus one round trip and the test's own polling.
    expect(Date.now() - revokedAt).toBeLessThan(1500);
    const listed = await send('b', '/gateway/v1/revocations', { key: ADMIN_KEY });
    expect(JSON.parse(listed.text).result.revocations).toHaveLength(1);
    expect(listed.text).not.toContain('"leaked"');
    const subject = await send('b', '/gateway/v1/revocations', {
      method: 'POST',
      key: ADMIN_KEY,
      body: JSON.stringify({ subject: 'churned' }),
    });
    expect(subject.status).toBe(201);
    expect((await send('b', '/x', { key: 'k', subject: 'churned' })).status).toBe(401);
    const id = JSON.parse(subject.text).result.id as string;
    expect(
      (await send('a', `/gateway/v1/revocations/${id}`, { method: 'DELETE', key: ADMIN_KEY }))
        .status,
    ).toBe(200);
    expect((await send('a', '/x', { key: 'k', subject: 'churned' })).status).toBe(200);
  });

  it('20 concurrent requests of one key at 5/s across both isolates let at most 7 through', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => send(i % 2 === 0 ? 'a' : 'b', '/x', { key: 'hot-key' })),
    );
    const passed = statuses.filter((s) => s.status === 200).length;
    expect(passed).toBeGreaterThanOrEqual(5);
    expect(passed).toBeLessThanOrEqual(7);
    const refused = statuses.find((s) => s.status === 429);
    expect(JSON.parse(refused?.text ?? '{}').status.error).toMatch(/^Rate limiting exceeded/);
  });
});
