import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/revocation/entry.js';
import { MESSAGE_REVOKED } from '../../src/revocation/middleware.js';
import { createInProcessStore } from '../../src/state/memory.js';
import { flakyStore } from '../helpers/flaky-store.js';
import { ADMIN_KEY, ALT_ADMIN_KEY, call, guardedApp } from '../helpers/guarded-app.js';

const PATH = '/gateway/v1/revocations';

async function revoke(app: Parameters<typeof call>[0], body: unknown, key = ADMIN_KEY) {
  return call(app, PATH, { method: 'POST', key, body: JSON.stringify(body) });
}

describe('revocation admin API', () => {
  it('only the admin keys may call it, and nothing under it is forwarded', async () => {
    const { app } = await guardedApp(createInProcessStore());
    const anonymous = await call(app, PATH);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toMatch(/^text\/plain/);
    const tenant = await revoke(app, { subject: 'someone-else' }, 'tenant-key');
    expect(tenant.status).toBe(403);
    expect(await tenant.text()).toMatch(/admin keys/);
    // The refusal did not revoke anything.
    expect((await call(app, '/collections', { key: 'x', subject: 'someone-else' })).status).toBe(
      200,
    );
    expect((await call(app, PATH, { key: ALT_ADMIN_KEY })).status).toBe(200);
    expect(
      (
        await call(app, `${PATH}/rv_000000000000000000000000`, {
          method: 'DELETE',
          key: 'tenant-key',
        })
      ).status,
    ).toBe(403);
    const put = await call(app, PATH, { method: 'PUT', key: ADMIN_KEY });
    expect(put.status).toBe(405);
    expect(await put.text()).not.toBe('forwarded');
    expect((await call(app, `${PATH}/x/y`, { key: ADMIN_KEY })).status).toBe(405);
  });

  it('revokes a token: 401 with a plain-text body, listed by hash only, lifted by DELETE', async () => {
    const { app } = await guardedApp(createInProcessStore());
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWJqZWN0IjoidCJ9.c2ln';
    expect((await call(app, '/collections', { key: token })).status).toBe(200);
    const created = await revoke(app, { token });
    expect(created.status).toBe(201);
    const entry = (await created.json()) as {
      result: { id: string; kind: string; tokenHash: string };
      status: string;
    };
    expect(entry.status).toBe('ok');
    expect(entry.result).toMatchObject({ kind: 'token', tokenHash: await sha256Hex(token) });
    expect(entry.result.id).toMatch(/^rv_[0-9a-f]{24}$/);

    const refused = await call(app, '/collections', { key: token });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await refused.text()).toBe(MESSAGE_REVOKED);
    expect((await call(app, '/collections', { key: `${token}x` })).status).toBe(200);

    const listed = await (await call(app, PATH, { key: ADMIN_KEY })).text();
    expect(listed).not.toContain(token);
    expect(JSON.parse(listed).result.revocations).toHaveLength(1);

    // Revoking again replaces the entry (same id), it does not add one.
    const again = (await (await revoke(app, { token })).json()) as { result: { id: string } };
    expect(again.result.id).toBe(entry.result.id);
    expect(
      JSON.parse(await (await call(app, PATH, { key: ADMIN_KEY })).text()).result.revocations,
    ).toHaveLength(1);

    const lifted = await call(app, `${PATH}/${entry.result.id}`, {
      method: 'DELETE',
      key: ADMIN_KEY,
    });
    expect(lifted.status).toBe(200);
    expect((await call(app, '/collections', { key: token })).status).toBe(200);
    const missing = await call(app, `${PATH}/${entry.result.id}`, {
      method: 'DELETE',
      key: ADMIN_KEY,
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      status: { error: expect.stringMatching(/no revocation/) },
    });
  });

  it('revokes every key of a subject, until a given time', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const store = createInProcessStore({ now: () => now });
    const { app, list } = await guardedApp(store, { now: () => now });
    {
      const created = await revoke(app, {
        subject: 'tenant-42',
        until: '2030-01-01T01:00:00+01:00',
      });
      expect(created.status).toBe(400);
      expect(await created.text()).toMatch(/future/);
      const ok = await revoke(app, { subject: 'tenant-42', until: Math.floor(now / 1000) + 60 });
      expect(ok.status).toBe(201);
      expect(((await ok.json()) as { result: { until: string } }).result.until).toBe(
        '2030-01-01T00:01:00.000Z',
      );
      for (const key of ['key-one', 'key-two']) {
        expect((await call(app, '/collections', { key, subject: 'tenant-42' })).status).toBe(401);
      }
      expect(
        (await call(app, '/collections', { key: 'key-one', subject: 'tenant-43' })).status,
      ).toBe(200);
      // Admin keys are never checked against the list.
      expect(
        (await call(app, '/collections', { key: ADMIN_KEY, subject: 'tenant-42' })).status,
      ).toBe(200);
      now += 61_000;
      await list.refresh();
      expect(
        (await call(app, '/collections', { key: 'key-one', subject: 'tenant-42' })).status,
      ).toBe(200);
      expect(
        JSON.parse(await (await call(app, PATH, { key: ADMIN_KEY })).text()).result.revocations,
      ).toEqual([]);
    }
    list.close();
  });

  it('hostile bodies get clear 4xx answers in the cluster JSON shape, never a 500', async () => {
    const { app } = await guardedApp(createInProcessStore());
    const cases: Array<[string, RegExp, number?]> = [
      ['not json', /must be JSON/],
      ['[]', /JSON object/],
      ['"token"', /JSON object/],
      ['null', /JSON object/],
      ['{}', /exactly one/],
      ['{"token":"a","subject":"b"}', /exactly one/],
      ['{"token":""}', /token must be a non-empty string/],
      ['{"token":42}', /token must be/],
      ['{"subject":{"$ne":1}}', /subject must be/],
      ['{"token":"a","extra":1}', /unknown field\(s\) extra/],
      ['{"token":"a","__proto__":{"admin":true}}', /unknown field/],
      ['{"subject":"a","until":"tomorrow"}', /until must be/],
      ['{"subject":"a","until":1.5}', /until must be/],
      ['{"subject":"a","until":-1}', /until must be/],
      ['{"subject":"a","until":"2030-01-01T00:00:00"}', /until must be/],
      ['{"subject":"a","until":99999999999999}', /out of range/],
      ['{"subject":"a","until":1}', /future/],
      [`{"token":"${ADMIN_KEY}"}`, /admin keys cannot be revoked/],
      [`{"token":"${'x'.repeat(200_000)}"}`, /Payload too large/, 413],
      [`{"token":"${'x'.repeat(16_385)}"}`, /token must be .* at most 16384 characters/],
      [`{"subject":"${'s'.repeat(16_385)}"}`, /subject must be .* at most 16384 characters/],
    ];
    for (const [body, message, status] of cases) {
      const response = await call(app, PATH, { method: 'POST', key: ADMIN_KEY, body });
      expect(response.status, body.slice(0, 40)).toBe(status ?? 400);
      expect(response.headers.get('content-type')).toBe('application/json');
      const json = (await response.json()) as { status: { error: string }; time: number };
      expect(json.status.error, body.slice(0, 40)).toMatch(message);
      expect(typeof json.time).toBe('number');
    }
    expect(
      (await call(app, `${PATH}/not-an-id`, { method: 'DELETE', key: ADMIN_KEY })).status,
    ).toBe(400);
    expect(
      JSON.parse(await (await call(app, PATH, { key: ADMIN_KEY })).text()).result.revocations,
    ).toEqual([]);
  });

  it('an unreachable store: admin calls get 503; requests use the fresh list, then get 503', async () => {
    const store = flakyStore(createInProcessStore());
    let now = 1_000_000;
    const { app, list } = await guardedApp(store, {
      list: { now: () => now, pollIntervalMs: false, maxStalenessMs: 3000, confirmAfterMs: 1000 },
    });
    await revoke(app, { subject: 'churned' });
    store.down = true;
    expect((await revoke(app, { subject: 'other' })).status).toBe(503);
    expect((await call(app, PATH, { key: ADMIN_KEY })).status).toBe(503);
    now += 2500;
    expect((await call(app, '/collections', { key: 'k', subject: 'churned' })).status).toBe(401);
    expect((await call(app, '/collections', { key: 'k', subject: 'fine' })).status).toBe(200);
    now += 600;
    const refused = await call(app, '/collections', { key: 'k', subject: 'fine' });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(((await refused.json()) as { status: { error: string } }).status.error).toMatch(
      /revocation list/,
    );
    // Admin keys still reach the cluster (they cannot be revoked).
    expect((await call(app, '/collections', { key: ADMIN_KEY })).status).toBe(200);
    store.down = false;
    now += 200;
    expect((await call(app, '/collections', { key: 'k', subject: 'fine' })).status).toBe(200);
    list.close();
  });
});

describe('revoking a JWT without until', () => {
  it('lapses once the JWT would be refused anyway (its exp plus leeway), not before', async () => {
    const { signDatabaseKey, claimsFor } = await import('@qdrant-kit/core');
    const now = Date.parse('2030-01-01T00:00:00Z');
    const { app } = await guardedApp(createInProcessStore({ now: () => now }), { now: () => now });
    const exp = Math.floor(now / 1000) + 3600;
    const jwt = await signDatabaseKey('secret-0123456789', claimsFor({ expiresAt: exp }));
    const created = (await (await revoke(app, { token: jwt })).json()) as {
      result: { until: string };
    };
    // exp + the largest leeway a verifier may use (300 s, identity-provider tokens) + 60 s margin.
    expect(Date.parse(created.result.until)).toBe((exp + 360) * 1000);
    const forever = (await (await revoke(app, { token: 'static-key' })).json()) as {
      result: { until?: string };
    };
    expect(forever.result.until).toBeUndefined();
  });
});
