// Which HMAC-SHA256 the gateway verifies database keys with: node:crypto's (nodeHs256) by
// default from ./node, Web Crypto from the runtime-neutral entry, either when asked.
import { readdirSync, readFileSync } from 'node:fs';
import { signDatabaseKey, webCryptoHs256 } from '@qdrant-kit/core';
import { nodeHs256 } from '@qdrant-kit/core/node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { gatewayConfig } from '../src/config/gateway.js';
import { createGateway } from '../src/gateway.js';
import { createNodeGateway } from '../src/node.js';

const SECRET = 'gateway-hs256-secret';
// Nothing listens on port 9: an accepted request fails upstream (502), a refused one never gets there.
const config = gatewayConfig({
  upstreamUrl: 'http://127.0.0.1:9',
  apiKey: SECRET,
  jwtRbac: true,
  logRequests: false,
});

async function statuses(app: {
  request: (path: string, init: RequestInit) => Response | Promise<Response>;
}) {
  const good = await signDatabaseKey(SECRET, { access: 'r' });
  const forged = `${good.slice(0, -2)}${good.endsWith('A') ? 'B' : 'A'}A`;
  const status = async (key: string) =>
    (await app.request('/collections', { headers: { 'api-key': key } })).status;
  return { good: await status(good), forged: await status(forged) };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('gateway HS256 provider', () => {
  it('createNodeGateway verifies with nodeHs256 by default', async () => {
    const verify = vi.spyOn(nodeHs256, 'verify');
    const { app, forwarder } = createNodeGateway(config);
    try {
      const result = await statuses(app);
      expect(result.good).not.toBe(401);
      expect(result.good).not.toBe(403);
      expect(result.forged).toBe(403);
      expect(verify).toHaveBeenCalledTimes(2);
    } finally {
      forwarder.close();
    }
  });

  it('createNodeGateway on Web Crypto when asked', async () => {
    const node = vi.spyOn(nodeHs256, 'verify');
    const web = vi.spyOn(webCryptoHs256, 'verify');
    const { app, forwarder } = createNodeGateway(config, { hs256: webCryptoHs256 });
    try {
      const result = await statuses(app);
      expect(result.forged).toBe(403);
      expect([401, 403]).not.toContain(result.good);
      expect(node).not.toHaveBeenCalled();
      expect(web).toHaveBeenCalledTimes(2);
    } finally {
      forwarder.close();
    }
  });

  it('createGateway (every runtime) stays on Web Crypto unless given a provider', async () => {
    const node = vi.spyOn(nodeHs256, 'verify');
    const web = vi.spyOn(webCryptoHs256, 'verify');
    const neutral = await statuses(createGateway(config));
    expect(neutral.forged).toBe(403);
    expect(node).not.toHaveBeenCalled();
    expect(web).toHaveBeenCalledTimes(2);
    const given = await statuses(createGateway(config, { hs256: nodeHs256 }));
    expect(given.forged).toBe(403);
    expect(node).toHaveBeenCalledTimes(2);
  });

  it('the runtime-neutral build never reaches @qdrant-kit/core/node or node:crypto', () => {
    const dist = new URL('../dist/', import.meta.url);
    const files = readdirSync(dist).filter((f) => /\.(c?js)$/.test(f));
    const reaching = files.filter((f) =>
      /@qdrant-kit\/core\/node|node:crypto/.test(readFileSync(new URL(f, dist), 'utf8')),
    );
    expect(reaching.sort()).toEqual(['node.cjs', 'node.js']);
  });
});
