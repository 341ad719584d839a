// The start-up check of the upstream: a gateway in front of nothing says so, plainly, with what
// to do; one in front of a Qdrant says which.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeUpstreamProbe, GET_A_QDRANT_URL, probeUpstream } from '../src/upstream-probe.js';
import { runCli } from './support/child.js';
import { deadPort } from '@qdrant-kit/test-support/upstream';

let qdrantLike: Server;
let qdrantUrl = '';
let silent: Server;
let silentUrl = '';
const seenKeys: Array<string | undefined> = [];

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  // What a Qdrant node answers on `/` (its VersionInfo, lib/api/src/rest/models.rs:26).
  qdrantLike = createServer((req, res) => {
    seenKeys.push(req.headers['api-key'] as string | undefined);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ title: 'qdrant - vector search engine', version: '1.19.0' }));
  });
  qdrantUrl = await listen(qdrantLike);
  // Accepts the connection and never answers.
  silent = createServer(() => {});
  silentUrl = await listen(silent);
});

afterAll(async () => {
  for (const server of [qdrantLike, silent]) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

describe('probeUpstream', () => {
  it('a refused connection is unreachable, with the reason in words', async () => {
    const probe = await probeUpstream(await deadPort());
    expect(probe).toEqual({
      reachable: false,
      reason: 'connection refused: nothing listens there',
    });
  });

  it('an upstream that never answers is unreachable after the timeout', async () => {
    const started = Date.now();
    const probe = await probeUpstream(silentUrl, { timeoutMs: 300 });
    expect(probe).toEqual({ reachable: false, reason: 'no answer within 300 ms' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a Qdrant root is recognised, with its version; no key is sent', async () => {
    expect(await probeUpstream(qdrantUrl)).toEqual({
      reachable: true,
      status: 200,
      qdrantVersion: '1.19.0',
    });
    expect(seenKeys.every((key) => key === undefined)).toBe(true);
  });

  it('a fetch that throws something odd still gives a result', async () => {
    const odd = (() => Promise.reject('not an error')) as unknown as typeof fetch;
    expect(await probeUpstream(qdrantUrl, { fetch: odd })).toEqual({
      reachable: false,
      reason: 'unknown error',
    });
  });
});

describe('the message', () => {
  it('unreachable: says 502 will follow and how to get a Qdrant', () => {
    const text = describeUpstreamProbe('http://localhost:6333', {
      reachable: false,
      reason: 'connection refused: nothing listens there',
    });
    expect(text).toContain('upstream http://localhost:6333 cannot be reached (connection refused');
    expect(text).toContain('502');
    expect(text).toContain('docker run -p 6333:6333 qdrant/qdrant');
    expect(text).toContain(GET_A_QDRANT_URL);
  });

  it('reachable but not Qdrant: says so', () => {
    expect(describeUpstreamProbe('http://x', { reachable: true, status: 404 })).toBe(
      'upstream http://x answers (HTTP 404, not a Qdrant root)\n',
    );
  });
});

describe('the CLI banner', () => {
  async function bannerOf(upstream: string, extraEnv: Record<string, string> = {}) {
    const { child, out, exited } = runCli({ QDRANT_UPSTREAM_URL: upstream, ...extraEnv });
    // Generous: forking workers on a loaded machine takes seconds.
    const deadline = Date.now() + 45_000;
    while (!/upstream \S+ (answers|cannot be reached)/.test(out.stderr) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGTERM');
    await exited;
    return out.stderr;
  }

  it('in front of nothing, says so after the listening line', async () => {
    const dead = await deadPort();
    const stderr = await bannerOf(dead);
    expect(stderr).toMatch(/listening on [\s\S]*cannot be reached \(connection refused/);
    expect(stderr).toContain('docker run -p 6333:6333 qdrant/qdrant');
  });

  it('in front of a Qdrant, names it', async () => {
    expect(await bannerOf(qdrantUrl)).toContain(`upstream ${qdrantUrl} answers (Qdrant 1.19.0)`);
  });

  it('with several workers, the primary probes once', async () => {
    const stderr = await bannerOf(await deadPort(), { QDRANT_GATEWAY_WORKERS: '2' });
    expect(stderr.match(/cannot be reached/g)).toHaveLength(1);
  });
});
