// qdrantAuth inside an existing Hono app, with its own routes and its own forwarding.
import { createKeyVerifier, signDatabaseKey } from '@qdrant-kit/core';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { qdrantAuth, type QdrantAuthVariables } from '../src/index.js';

const ADMIN = 'middleware-admin-key';

function userApp() {
  const app = new Hono<{ Variables: QdrantAuthVariables }>();
  app.get('/health', (c) => c.text('mine'));
  app.use(
    '/qdrant/*',
    qdrantAuth({
      verifier: createKeyVerifier({ apiKey: ADMIN, jwtRbac: true }),
      stripPrefix: '/qdrant',
    }),
  );
  app.all('/qdrant/*', (c) => {
    const auth = c.get('qdrantAuth');
    return c.json({
      path: auth.pathAndQuery,
      collections: auth.collections,
      kind: auth.keyKind,
      body: auth.body.kind,
    });
  });
  return app;
}

describe('qdrantAuth middleware', () => {
  it('leaves the app routes alone', async () => {
    expect(await (await userApp().request('/health')).text()).toBe('mine');
  });

  it('refuses with the cluster answer', async () => {
    const res = await userApp().request('/qdrant/collections');
    expect(res.status).toBe(401);
    expect(await res.text()).toBe('Must provide an API key or an Authorization bearer token');
  });

  it('passes the decision on to the next handler', async () => {
    const token = await signDatabaseKey(ADMIN, { access: [{ collection: 'docs', access: 'r' }] });
    const res = await userApp().request('/qdrant/collections/docs/points/query?x=1', {
      method: 'POST',
      headers: { 'api-key': token },
      body: '{"query":1}',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      path: '/collections/docs/points/query?x=1',
      collections: ['docs'],
      kind: 'jwt',
      body: 'bytes',
    });
  });

  it('denies access to another collection with 403 JSON', async () => {
    const token = await signDatabaseKey(ADMIN, { access: [{ collection: 'docs', access: 'r' }] });
    const res = await userApp().request('/qdrant/collections/other', {
      headers: { 'api-key': token },
    });
    expect(res.status).toBe(403);
    expect((await res.json()).status.error).toBe(
      'Forbidden: Access to collection other is required',
    );
  });
});
