import { claimsFor, signDatabaseKey } from '@qdrant-kit/core';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/child.js';
import { startRecordingUpstream } from '@qdrant-kit/test-support/upstream';

describe('the CLI', () => {
  it('stops with exit 1 and a message naming the variable, without the secret', async () => {
    const { out, exited } = runCli({
      QDRANT_UPSTREAM_URL: 'not a url',
      QDRANT__SERVICE__API_KEY: 'cli-top-secret',
    });
    expect(await exited).toBe(1);
    expect(out.stderr).toContain('QDRANT_UPSTREAM_URL');
    expect(out.stderr).not.toContain('cli-top-secret');
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  it('--dev generates a throwaway key and prints scoped keys marked development-only', async () => {
    const { child, out, exited } = runCli({ QDRANT_UPSTREAM_URL: 'http://127.0.0.1:9' }, ['--dev']);
    const deadline = Date.now() + 10_000;
    while (!out.stderr.includes('listening on') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out.stderr).toContain('DEVELOPMENT MODE');
    expect(out.stderr).toMatch(/generated admin key \(this process only\): dev-[0-9a-f]{48}/);
    expect(out.stderr).toMatch(/collection "demo" read \(12h\):\s+eyJ/);
    expect(out.stderr).toContain('auth on');
  });

  it('--dev turns JWT RBAC on: its printed scoped keys are accepted', async () => {
    const upstream = await startRecordingUpstream();
    const { child, out, exited } = runCli({ QDRANT_UPSTREAM_URL: upstream.url }, ['--dev']);
    try {
      const deadline = Date.now() + 10_000;
      while (!/listening on http/.test(out.stderr) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const url = /listening on (http:\/\/[^ ]+)/.exec(out.stderr)![1]!;
      const token = /collection "demo" read \(12h\):\s+(\S+)/.exec(out.stderr)![1]!;
      const response = await fetch(`${url}/collections/demo/exists`, {
        headers: { 'api-key': token },
      });
      expect(response.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await exited;
      await upstream.close();
    }
  });

  it('without QDRANT__SERVICE__JWT_RBAC a JWT is refused like a cluster refuses it: 401', async () => {
    const upstream = await startRecordingUpstream();
    const admin = 'rbac-default-admin-key';
    const { child, out, exited } = runCli({
      QDRANT_UPSTREAM_URL: upstream.url,
      QDRANT__SERVICE__API_KEY: admin,
      QDRANT_GATEWAY_LOG: '0',
    });
    try {
      const deadline = Date.now() + 10_000;
      while (!/listening on http/.test(out.stderr) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const url = /listening on (http:\/\/[^ ]+)/.exec(out.stderr)![1]!;
      const token = await signDatabaseKey(admin, claimsFor({ access: 'm' }));
      const response = await fetch(`${url}/collections`, { headers: { 'api-key': token } });
      expect(response.status).toBe(401);
      expect(await response.text()).toBe('Invalid API key or JWT');
      // The start-up probe's `GET /` is the only request the upstream may have seen.
      expect(upstream.requests.filter((r) => r.url !== '/')).toHaveLength(0);
    } finally {
      child.kill('SIGTERM');
      await exited;
      await upstream.close();
    }
  });

  // A throwaway admin key printed by --dev must never stand in front of a real cluster's key:
  // with key hiding it would delete collections on the real cluster through the gateway.
  for (const variable of [
    'QDRANT_UPSTREAM_API_KEY',
    'QDRANT__SERVICE__API_KEY',
    'QDRANT__SERVICE__ALT_API_KEY',
    'QDRANT__SERVICE__READ_ONLY_API_KEY',
  ]) {
    it(`--dev with ${variable} set refuses to start (exit 2), printing no key`, async () => {
      const { out, exited } = runCli(
        { QDRANT_UPSTREAM_URL: 'http://127.0.0.1:9', [variable]: 'real-key-0123456789' },
        ['--dev'],
      );
      expect(await exited).toBe(2);
      expect(out.stderr).toContain(`Development mode refused: ${variable} is set`);
      expect(out.stderr).not.toContain('real-key-0123456789');
      expect(out.stderr).not.toMatch(/dev-[0-9a-f]{48}|eyJ|listening on/);
      expect(out.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it('QDRANT_GATEWAY_DEV=1 with QDRANT_UPSTREAM_API_KEY refuses too', async () => {
    const { out, exited } = runCli({
      QDRANT_UPSTREAM_URL: 'http://127.0.0.1:9',
      QDRANT_UPSTREAM_API_KEY: 'real-upstream-key',
      QDRANT_GATEWAY_DEV: '1',
    });
    expect(await exited).toBe(2);
    expect(out.stderr).toContain('QDRANT_UPSTREAM_API_KEY');
    expect(out.stderr).not.toContain('real-upstream-key');
  });

  it('without keys and without --dev, auth stays off (no key is invented)', async () => {
    const { child, out, exited } = runCli({ QDRANT_UPSTREAM_URL: 'http://127.0.0.1:9' });
    const deadline = Date.now() + 10_000;
    while (!out.stderr.includes('listening on') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGTERM');
    await exited;
    expect(out.stderr).toContain('auth OFF');
    expect(out.stderr).not.toContain('DEVELOPMENT');
  });
});
