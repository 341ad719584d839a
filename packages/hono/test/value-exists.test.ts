// The value_exists checker against real loopback servers: redirects are never followed, so the
// gateway's key never reaches another origin and an answer from elsewhere is never believed.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreamValueExistsChecker } from '../src/value-exists.js';

const KEY = 'value-exists-admin-key';
const claim = { collection: 'tenants', matches: [{ key: 'tenant', value: 'acme' }] };

interface Recorded {
  readonly url: string;
  readonly apiKey: string | undefined;
}

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ server: Server; url: string; seen: Recorded[] }> {
  const seen: Recorded[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', apiKey: req.headers['api-key'] as string | undefined });
    req.resume();
    req.on('end', () => handler(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, seen };
}

const match = (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"result":{"points":[{"id":1}]},"status":"ok","time":0}');
};

let elsewhere: Awaited<ReturnType<typeof listen>>;
let upstream: Awaited<ReturnType<typeof listen>>;
let redirectStatus = 307;
let redirectTo = '';

beforeAll(async () => {
  elsewhere = await listen(match);
  upstream = await listen((req, res) => {
    if (req.url?.startsWith('/redirect/')) {
      res.writeHead(redirectStatus, { location: `${redirectTo}${req.url}` });
      res.end();
      return;
    }
    match(req, res);
  });
});
afterAll(async () => {
  await new Promise((resolve) => upstream?.server.close(resolve));
  await new Promise((resolve) => elsewhere?.server.close(resolve));
});

function checker(upstreamUrl: string) {
  return createUpstreamValueExistsChecker({
    upstreamUrl,
    upstreamApiKey: KEY,
    cacheMs: 0,
    timeoutMs: 2000,
  });
}

describe('value_exists checker and redirects', () => {
  it('asks the upstream with the gateway key and believes a direct answer', async () => {
    expect(await checker(upstream.url)(claim)).toBe('match');
    expect(upstream.seen.at(-1)).toEqual({
      url: '/collections/tenants/points/scroll',
      apiKey: KEY,
    });
  });

  for (const status of [301, 302, 303, 307, 308]) {
    it(`a ${status} to another origin is a failed check, and the key is not sent there`, async () => {
      redirectStatus = status;
      redirectTo = elsewhere.url;
      const before = elsewhere.seen.length;
      expect(await checker(`${upstream.url}/redirect`)(claim)).toBe('no-match');
      expect(elsewhere.seen.length).toBe(before);
    });
  }

  it('a redirect back to the same origin is not followed either', async () => {
    redirectStatus = 307;
    redirectTo = `${upstream.url}/back`;
    const before = upstream.seen.length;
    expect(await checker(`${upstream.url}/redirect`)(claim)).toBe('no-match');
    expect(upstream.seen.length).toBe(before + 1);
  });

  it('remembers answers in a bounded cache', async () => {
    let now = 0;
    const check = createUpstreamValueExistsChecker({
      upstreamUrl: upstream.url,
      upstreamApiKey: KEY,
      cacheMs: 1000,
      maxEntries: 2,
      timeoutMs: 2000,
      now: () => now,
    });
    const before = upstream.seen.length;
    const other = (value: string) => ({ collection: 'tenants', matches: [{ key: 'k', value }] });
    expect(await check(claim)).toBe('match');
    expect(await check(claim)).toBe('match');
    expect(upstream.seen.length).toBe(before + 1);
    for (const v of ['a', 'b', 'c']) await check(other(v));
    expect(upstream.seen.length).toBe(before + 4);
    now = 2000;
    expect(await check(claim)).toBe('match');
    expect(upstream.seen.length).toBe(before + 5);
  });
});
