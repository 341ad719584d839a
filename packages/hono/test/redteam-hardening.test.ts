// Red-team cases against three hardenings: the shared budget of buffered filtered answers, the
// identity-provider subject namespace (`oidc:<sub>`), and how additional credential verifiers
// meet revocations and rate limits. Each case failed on the code it came with.
import { createServer, request as httpRequest, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { claimsFor, createKeyVerifier, signDatabaseKey } from '@qdrant-kit/core';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CredentialVerifier,
  createGateway,
  createResponseBufferBudget,
  createSharedState,
  type GatewayConfig,
  gatewayCaller,
  gatewayConfig,
  gatewayErrorHandler,
  qdrantAuth,
  type ResponseBufferBudget,
  type SharedState,
} from '../src/index.js';
import { createNodeGateway } from '../src/node.js';
import { createInProcessStore } from '../src/state/memory.js';
import type { Forwarder } from '../src/upstream/forwarder.js';
import { oidcStateGateway } from './helpers/oidc-state-gateway.js';
import { type KeyServer, startKeyServer } from './oidc/key-server.js';
import { makeKey, sign, standardClaims, type TestKey } from './oidc/keys.js';

const ADMIN = 'redteam-hardening-admin-key-0123456789';
const UPSTREAM_KEY = 'redteam-hardening-upstream-key-012345';
const KIB = 1024;

async function waitFor(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the buffer budget and a caller that goes away', () => {
  // Sends 8 KiB of a list answer and never the rest: only the caller's going away (or the
  // 20 s upstream timeout) can end the read.
  let upstream: Server;
  let upstreamUrl: string;
  const held: ServerResponse[] = [];
  let scoped: string;

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(`{"result":{"collections":[{"name":"secret-${'x'.repeat(8 * KIB)}"}`);
      held.push(res);
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    scoped = await signDatabaseKey(ADMIN, claimsFor({ access: { docs: 'r' } }));
  });
  afterAll(async () => {
    for (const res of held) res.destroy();
    upstream.closeAllConnections();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  });

  const config = (): GatewayConfig =>
    gatewayConfig({
      upstreamUrl,
      apiKey: ADMIN,
      upstreamApiKey: UPSTREAM_KEY,
      jwtRbac: true,
      logRequests: false,
      upstreamTimeoutMs: 20_000,
    });

  const forwarders = {
    fetch: (budget: ResponseBufferBudget) =>
      createGateway(config(), { filterBufferBudget: budget }).fetch,
    'Node pool': (budget: ResponseBufferBudget) =>
      createNodeGateway(config(), { filterBufferBudget: budget }).app.fetch,
  } as const;

  it.each(Object.keys(forwarders) as (keyof typeof forwarders)[])(
    '%s forwarder: the share of a caller that disconnects mid-read comes back at once, not at the upstream timeout',
    async (name) => {
      const budget = createResponseBufferBudget(64 * KIB);
      const gateway = await new Promise<ServerType>((resolve) => {
        const s = serve({ fetch: forwarders[name](budget), port: 0, hostname: '127.0.0.1' }, () =>
          resolve(s),
        );
      });
      try {
        const { port } = gateway.address() as AddressInfo;
        const caller = httpRequest({
          host: '127.0.0.1',
          port,
          path: '/collections',
          headers: { 'api-key': scoped },
        });
        caller.on('error', () => undefined);
        caller.end();
        await waitFor(() => budget.usedBytes >= 8 * KIB, 'the held answer');
        caller.destroy();
        // Before: the Node pool kept reading for the caller that left, holding its share
        // until the upstream ended or the 20 s timeout fired.
        await waitFor(() => budget.usedBytes === 0, 'the share to come back', 3_000);
      } finally {
        gateway.close();
      }
    },
  );
});

describe('error answers of a filtered route', () => {
  const answering = (status: number, body: string): Forwarder => ({
    async forward() {
      return {
        ok: true,
        status,
        response: new Response(body, { status, headers: { 'content-type': 'application/json' } }),
      };
    },
  });
  const list =
    '{"result":{"collections":[{"name":"docs"},{"name":"secret-1"}]},"status":"ok","time":0}';
  /** A key-hiding gateway in front of `forwarder`. */
  const hidingGateway = (forwarder: Forwarder) =>
    createGateway(
      gatewayConfig({
        upstreamUrl: 'http://127.0.0.1:9',
        apiKey: ADMIN,
        upstreamApiKey: UPSTREAM_KEY,
        jwtRbac: true,
        logRequests: false,
      }),
      { forwarder },
    );

  it.each([500, 404, 302])(
    'a %i carrying a result is refused (502), never passed on unfiltered',
    async (status) => {
      const app = hidingGateway(answering(status, list));
      const scoped = await signDatabaseKey(ADMIN, claimsFor({ access: { docs: 'r' } }));
      const res = await app.request('/collections', { headers: { 'api-key': scoped } });
      // Before: the upstream's status with every collection's name.
      expect(res.status).toBe(502);
      expect(await res.text()).not.toContain('secret-');
    },
  );

  it("the cluster's own error shape still passes as it came", async () => {
    const error = '{"status":{"error":"Service internal error: disk full"},"time":0.1}';
    const app = hidingGateway(answering(500, error));
    const scoped = await signDatabaseKey(ADMIN, claimsFor({ access: { docs: 'r' } }));
    const res = await app.request('/collections', { headers: { 'api-key': scoped } });
    expect(res.status).toBe(500);
    expect(await res.text()).toBe(error);
  });
});

describe('identity-provider subjects in the revocation admin API', () => {
  let server: KeyServer;
  let key: TestKey;
  let app: ReturnType<typeof createGateway>;
  let state: SharedState;

  beforeAll(async () => {
    key = await makeKey('ES256');
    server = await startKeyServer({ keys: [key.publicJwk] });
    const forwarder: Forwarder = {
      async forward() {
        return { ok: true, status: 200, response: Response.json({ result: {}, status: 'ok' }) };
      },
    };
    ({ app, state } = await oidcStateGateway({
      issuer: server.issuer,
      adminKey: ADMIN,
      upstreamKey: UPSTREAM_KEY,
      mapping: '[{"collection":"tenant-{org_id}","access":"rw"}]',
      forwarder,
    }));
  });
  afterAll(async () => {
    await state?.close();
    await server?.close();
  });

  const revoke = (body: object) =>
    app.request('/gateway/v1/revocations', {
      method: 'POST',
      headers: { 'api-key': ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const statusOf = async (token: string) =>
    (
      await app.request('/collections/tenant-acme', {
        headers: { authorization: `Bearer ${token}` },
      })
    ).status;

  it('a user whose sub is 1020 characters (1025 with oidc:) can still be revoked by subject', async () => {
    const sub = `u${'s'.repeat(1019)}`;
    const token = await sign(key, standardClaims(server.issuer, { org_id: 'acme', sub }));
    expect(await statusOf(token)).toBe(200);
    // Before: 400, the admin API took subjects of at most 1024 characters, so the prefix put
    // this user out of reach of a subject revocation.
    expect((await revoke({ subject: `oidc:${sub}` })).status).toBe(201);
    expect(await statusOf(token)).toBe(401);
  });

  it('a sub with a lone surrogate is refused: two such users would share one revocation entry', async () => {
    // A database key cannot carry one (serde_json refuses a lone surrogate escape, as core
    // does); an identity provider's token, read by JSON.parse, can.
    const token = (sub: string) =>
      sign(key, standardClaims(server.issuer, { org_id: 'acme', sub }));
    const first = await token('lone-\ud800');
    const second = await token('lone-\udbff');
    // Before: 200 for both; revoking `oidc:lone-\ud800` then `oidc:lone-\udbff` gave both one
    // entry id (SHA-256 of their UTF-8, where a lone surrogate is U+FFFD), so the second
    // revocation replaced the first and `first` passed again. Now such a sub is refused.
    expect(await statusOf(first)).toBe(401);
    expect(await statusOf(second)).toBe(401);
    // A paired surrogate (a character beyond U+FFFF) is an ordinary sub.
    expect(await statusOf(await token('pair-\ud83d\ude00'))).toBe(200);
  });

  it('a sub that is not a string is refused: its user could be neither revoked nor limited as one', async () => {
    for (const sub of [123, ['a'], { id: 'a' }, true]) {
      const token = await sign(key, {
        ...standardClaims(server.issuer, { org_id: 'acme' }),
        sub,
      } as unknown as Parameters<typeof sign>[1]);
      // Before: 200, with no subject (each token its own budget, revocable one by one only).
      expect(await statusOf(token), JSON.stringify(sub)).toBe(401);
    }
  });

  it('an identity-provider token of the longest length the gateway accepts can be revoked', async () => {
    const base = standardClaims(server.issuer, { org_id: 'acme', sub: 'long-token-user' });
    const empty = await sign(key, { ...base, pad: '' });
    // The ES256 signature has one length, so padding the claims gives an exact token length.
    const pad = 'p'.repeat(Math.floor(((16_384 - empty.length) * 3) / 4));
    let token = await sign(key, { ...base, pad });
    while (token.length > 16_384)
      token = await sign(key, { ...base, pad: pad.slice(token.length - 16_384) });
    expect(token.length).toBeGreaterThan(16_370);
    expect(await statusOf(token)).toBe(200);
    // Before: 413, the 16 KiB body limit was smaller than `{"token":"..."}` of such a token.
    expect((await revoke({ token })).status).toBe(201);
    expect(await statusOf(token)).toBe(401);
  });
});

describe('additional credential verifiers and the shared state', () => {
  const answering = (keyKind: string, subject: string): CredentialVerifier => ({
    async verify(token) {
      if (!token.startsWith('custom.')) return null;
      return {
        ok: true,
        access: { kind: 'collections', collections: [{ collection: 'docs', access: 'r' }] },
        keyKind,
        keyId: 'custom',
        subject,
      };
    },
  });

  async function stackWith(credential: CredentialVerifier) {
    const state = createSharedState({
      store: createInProcessStore(),
      adminKeys: [ADMIN],
      caller: gatewayCaller,
      rateLimit: { quota: 1, windowSeconds: 3600 },
      rateLimitOverrides: new Map([['tenant-a', null]]),
    });
    await state.start();
    const app = new Hono();
    app.onError(gatewayErrorHandler);
    app.use(
      qdrantAuth({
        verifier: createKeyVerifier({ apiKey: ADMIN, jwtRbac: true }),
        credentials: [credential],
      }),
    );
    app.use(state.guard);
    app.all('*', (c) => c.text('forwarded'));
    const statuses = async (n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const res = await app.request('/collections/docs', {
          headers: { authorization: 'Bearer custom.token' },
        });
        out.push(res.status);
      }
      return out;
    };
    return { state, statuses };
  }

  it.each(['api-key', 'alt-api-key', 'none'])(
    'a verifier that names its credential with the cluster key kind %s is a composition error (502), never an admin or an unchecked caller',
    async (keyKind) => {
      const { state, statuses } = await stackWith(answering(keyKind, 'someone'));
      try {
        // Before: 200 each time: `api-key`/`alt-api-key` made the caller an admin (never rate
        // limited, never revoked), `none` left it without a credential id (neither checked).
        expect(await statuses(3)).toEqual([502, 502, 502]);
      } finally {
        await state.close();
      }
    },
  );

  it("a custom credential kind's subjects are apart from database-key subjects too", async () => {
    const { state, statuses } = await stackWith(answering('saml', 'tenant-a'));
    try {
      // Before: `tenant-a` of a SAML verifier got the database tenant's `off` override.
      expect(await statuses(3)).toEqual([200, 429, 429]);
    } finally {
      await state.close();
    }
  });
});

describe('the Ed25519 key guard, decided once per key', () => {
  // A reference written straight from the curve's definition: y decoded, canonical, x^2 a
  // square, and [8]A not the identity (y of 2Q from y alone, three times).
  const P = 2n ** 255n - 19n;
  const D = 37095705934669439343138083508754565189542113879843219016388785533085940283555n;
  const mod = (n: bigint) => ((n % P) + P) % P;
  const power = (base: bigint, exponent: bigint): bigint => {
    let result = 1n;
    let b = mod(base);
    for (let e = exponent; e > 0n; e >>= 1n) {
      if (e & 1n) result = (result * b) % P;
      b = (b * b) % P;
    }
    return result;
  };
  const inverse = (n: bigint) => power(n, P - 2n);
  const xSquared = (y: bigint) => mod((y * y - 1n) * inverse(D * y * y + 1n));
  const doubledY = (y: bigint) => {
    const xx = xSquared(y);
    const yy = mod(y * y);
    return mod((yy + xx) * inverse(2n + xx - yy));
  };
  function reference(bytes: Uint8Array): boolean {
    let y = 0n;
    for (let i = 31; i >= 0; i--)
      y = (y << 8n) | BigInt((bytes[i] as number) & (i === 31 ? 0x7f : 0xff));
    if (y >= P) return false;
    const xx = xSquared(y);
    if (xx !== 0n && power(xx, (P - 1n) / 2n) !== 1n) return false;
    if (xx === 0n && ((bytes[31] as number) & 0x80) !== 0) return false;
    let eightfold = y;
    for (let i = 0; i < 3; i++) eightfold = doubledY(eightfold);
    return eightfold !== 1n;
  }
  const encode = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
  function fromY(y: bigint, sign: number): Uint8Array {
    const out = new Uint8Array(32);
    let rest = y;
    for (let i = 0; i < 32; i++) {
      out[i] = Number(rest & 0xffn);
      rest >>= 8n;
    }
    out[31] = (out[31] as number) | (sign << 7);
    return out;
  }

  it('agrees with the reference on every small-order spelling and on random encodings', async () => {
    const { isSafeEd25519PublicKey } = await import('../src/oidc/ed25519.js');
    const sqrt = (a: bigint) => {
      const r = power(a, (P + 3n) / 8n);
      const root = mod(r * r - a) === 0n ? r : mod(r * power(2n, (P - 1n) / 4n));
      return mod(root * root - a) === 0n ? root : undefined;
    };
    const s = sqrt(mod(1n + D)) as bigint;
    const smallY = [1n, P - 1n, 0n];
    for (const r of [s, P - s]) {
      const y = sqrt(mod((r - 1n) * inverse(D)));
      if (y !== undefined) smallY.push(y, P - y);
    }
    expect(smallY).toHaveLength(5);
    const cases: Uint8Array[] = [];
    for (const y of smallY)
      for (const spelling of [y, y + P])
        if (spelling < 2n ** 255n) for (const sign of [0, 1]) cases.push(fromY(spelling, sign));
    for (const bytes of cases) expect(isSafeEd25519PublicKey(encode(bytes))).toBe(false);
    for (let i = 0; i < 19; i++) cases.push(fromY(P + BigInt(i), 0), fromY(P + BigInt(i), 1));
    for (let i = 0; i < 1500; i++) cases.push(crypto.getRandomValues(new Uint8Array(32)));
    for (let i = 0; i < 100; i++) {
      const { publicKey } = await crypto.subtle.generateKey('Ed25519', true, ['sign', 'verify']);
      cases.push(new Uint8Array(await crypto.subtle.exportKey('raw', publicKey)));
    }
    let accepted = 0;
    for (const bytes of cases) {
      const expected = reference(bytes);
      expect(isSafeEd25519PublicKey(encode(bytes)), encode(bytes)).toBe(expected);
      // Remembered: the same answer again.
      expect(isSafeEd25519PublicKey(encode(bytes))).toBe(expected);
      if (expected) accepted++;
    }
    expect(accepted).toBeGreaterThan(100);
  });
});
