// The gateway as a stack of Hono middleware, and its extension points: additional credential
// verifiers, middleware between auth and forwarding, routes answered before auth.
import { createHash } from 'node:crypto';
import { createKeyVerifier, signDatabaseKey } from '@qdrant-kit/core';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import {
  type CredentialVerifier,
  createGateway,
  type Forwarder,
  type ForwardRequest,
  gatewayConfig,
  QdrantAuthError,
  qdrantAuth,
  type RequestLogEntry,
} from '../src/index.js';

const ADMIN = 'stack-admin-key';

/** A forwarder that records what it was asked to send and answers 200. */
function recordingForwarder(): Forwarder & { sent: ForwardRequest[] } {
  const sent: ForwardRequest[] = [];
  return {
    sent,
    async forward(request) {
      sent.push(request);
      return { ok: true, response: new Response('{"result":true}'), status: 200 };
    },
  };
}

function gateway(extra: Parameters<typeof createGateway>[1] = {}) {
  const logs: RequestLogEntry[] = [];
  const forwarder = recordingForwarder();
  const app = createGateway(
    gatewayConfig({ upstreamUrl: 'http://127.0.0.1:9', apiKey: ADMIN, jwtRbac: true }),
    { forwarder, logger: (entry) => logs.push(entry), ...extra },
  );
  return { app, logs, forwarder };
}

describe('qdrantAuth alone', () => {
  it('throws an HTTPException whose response is the cluster answer, byte for byte', async () => {
    const app = new Hono();
    let thrown: unknown;
    app.use(qdrantAuth({ verifier: createKeyVerifier({ apiKey: ADMIN }) }));
    app.all('*', (c) => c.text('forwarded'));
    app.onError((error) => {
      thrown = error;
      return (error as HTTPException).getResponse();
    });
    const res = await app.request('/collections', { headers: { 'api-key': 'wrong' } });
    expect(thrown).toBeInstanceOf(HTTPException);
    expect(thrown).toBeInstanceOf(QdrantAuthError);
    expect(res.status).toBe(401);
    expect([...res.headers]).toEqual([['content-type', 'text/plain; charset=utf-8']]);
    expect(await res.text()).toBe('Invalid API key or JWT');
  });

  it('sets c.var.qdrantAuth with access, key kind, subject and the SHA-256 credential id', async () => {
    const token = await signDatabaseKey(ADMIN, {
      access: [{ collection: 'docs', access: 'r' }],
      subject: 'tenant-7',
    });
    const app = new Hono();
    app.use(qdrantAuth({ verifier: createKeyVerifier({ apiKey: ADMIN, jwtRbac: true }) }));
    app.all('*', (c) => {
      const { access, keyKind, subject, credentialId } = c.var.qdrantAuth;
      return c.json({ access, keyKind, subject, credentialId });
    });
    const body = await (
      await app.request('/collections/docs', { headers: { authorization: `Bearer ${token}` } })
    ).json();
    expect(body).toEqual({
      access: { kind: 'collections', collections: [{ collection: 'docs', access: 'r' }] },
      keyKind: 'jwt',
      subject: 'tenant-7',
      credentialId: createHash('sha256').update(token).digest('hex'),
    });
  });
});

describe('additional credential verifiers', () => {
  const idpToken = 'idp.token.of-tenant';
  const idp: CredentialVerifier = {
    async verify(token) {
      if (!token.startsWith('idp.')) return null;
      if (token.endsWith('expired')) return { ok: false, status: 401, message: 'ExpiredSignature' };
      return {
        ok: true,
        access: { kind: 'collections', collections: [{ collection: 'docs', access: 'r' }] },
        keyKind: 'oidc',
        keyId: 'oidc:tenant',
        subject: 'alice',
      };
    },
  };

  it('a verified credential decides the access; its subject and id reach c.var.qdrantAuth', async () => {
    const { app, forwarder } = gateway({ credentials: [idp] });
    const allowed = await app.request('/collections/docs', { headers: { 'api-key': idpToken } });
    expect(allowed.status).toBe(200);
    const other = await app.request('/collections/other', { headers: { 'api-key': idpToken } });
    expect(other.status).toBe(403);
    expect(forwarder.sent).toHaveLength(1);
  });

  it('a refusal is answered in plain text; null falls through to the cluster check', async () => {
    const { app } = gateway({ credentials: [idp] });
    const expired = await app.request('/collections', { headers: { 'api-key': 'idp.expired' } });
    expect(expired.status).toBe(401);
    expect(await expired.text()).toBe('ExpiredSignature');
    const admin = await app.request('/collections', { headers: { 'api-key': ADMIN } });
    expect(admin.status).toBe(200);
    const wrong = await app.request('/collections', { headers: { 'api-key': 'not-mine' } });
    expect(await wrong.text()).toBe('Invalid API key or JWT');
  });
});

describe('createGateway extension points', () => {
  it('afterAuth middleware reads c.var.qdrantAuth and refuses by throwing; the log says why', async () => {
    const seen: (string | null)[] = [];
    const { app, logs, forwarder } = gateway({
      afterAuth: [
        async (c, next) => {
          seen.push(c.var.qdrantAuth.credentialId);
          if (c.req.header('x-over-limit')) {
            throw new HTTPException(429, {
              res: new Response('Too many requests', { status: 429 }),
            });
          }
          await next();
        },
      ],
    });
    expect((await app.request('/collections', { headers: { 'api-key': ADMIN } })).status).toBe(200);
    const limited = await app.request('/collections', {
      headers: { 'api-key': ADMIN, 'x-over-limit': '1' },
    });
    expect(limited.status).toBe(429);
    expect(await limited.text()).toBe('Too many requests');
    expect(forwarder.sent).toHaveLength(1);
    expect(seen[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(logs[1]).toMatchObject({ decision: 'denied', status: 429, keyKind: 'api-key' });
  });

  it('routes are answered before auth and never forwarded', async () => {
    const { app, forwarder, logs } = gateway({
      routes: (gatewayApp) => gatewayApp.get('/gateway/v1/health', (c) => c.json({ ok: true })),
    });
    const res = await app.request('/gateway/v1/health', {
      headers: { origin: 'https://a.example' },
    });
    expect(await res.json()).toEqual({ ok: true });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(forwarder.sent).toHaveLength(0);
    expect(logs).toHaveLength(1);
    // Everything else still goes through the key check.
    expect((await app.request('/collections')).status).toBe(401);
  });

  it('the forwarder gets a request description: raw path, headers, body, signal', async () => {
    const { app, forwarder } = gateway();
    await app.request('/collections//docs/points/search/?x=%2F', {
      method: 'POST',
      headers: { 'api-key': ADMIN, 'x-extra': '1' },
      body: '{"vector":[1]}',
    });
    const [sent] = forwarder.sent;
    expect(sent?.method).toBe('POST');
    expect(sent?.pathAndQuery).toBe('/collections/docs/points/search?x=%2F');
    expect(sent?.headers.get('x-extra')).toBe('1');
    expect(sent?.signal).toBeInstanceOf(AbortSignal);
    expect(sent?.body.kind).toBe('stream');
  });

  it('a gateway bug is a 502 whose log entry counts latency from the request start', async () => {
    const logs: RequestLogEntry[] = [];
    const app = createGateway(gatewayConfig({ upstreamUrl: 'http://127.0.0.1:9', apiKey: ADMIN }), {
      logger: (entry) => logs.push(entry),
      forwarder: {
        async forward() {
          await new Promise((resolve) => setTimeout(resolve, 60));
          throw new TypeError('bug');
        },
      },
    });
    const res = await app.request('/collections', { headers: { 'api-key': ADMIN } });
    expect(res.status).toBe(502);
    expect(logs[0]).toMatchObject({
      decision: 'denied',
      status: 502,
      reason: 'gateway error: TypeError',
    });
    expect(logs[0]?.latencyMs).toBeGreaterThanOrEqual(50);
  });
});
