import { describe, expect, it } from 'vitest';
import { GATEWAY_DEFAULTS, GatewayConfigError, parseGatewayConfig } from '../src/config.js';
import { runCli } from './support/child.js';

describe('parseGatewayConfig', () => {
  it('reads the Qdrant names and applies defaults', () => {
    const config = parseGatewayConfig({
      QDRANT_UPSTREAM_URL: 'http://127.0.0.1:6333/',
      QDRANT__SERVICE__API_KEY: 'a',
      QDRANT__SERVICE__ALT_API_KEY: '',
      QDRANT__SERVICE__READ_ONLY_API_KEY: 'r',
    });
    expect(config).toMatchObject({
      upstreamUrl: 'http://127.0.0.1:6333',
      apiKey: 'a',
      altApiKey: undefined,
      readOnlyApiKey: 'r',
      jwtRbac: true,
      port: 8787,
      upstreamTimeoutMs: GATEWAY_DEFAULTS.upstreamTimeoutMs,
      corsOrigins: '*',
    });
  });

  it('refuses credentials in the upstream URL without printing them', () => {
    let error: unknown;
    try {
      parseGatewayConfig({ QDRANT_UPSTREAM_URL: 'http://admin:hunter2@127.0.0.1:6333' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GatewayConfigError);
    expect(String((error as Error).message)).toContain('QDRANT_UPSTREAM_URL');
    expect(String((error as Error).message)).not.toContain('hunter2');
  });

  it('parses booleans, numbers and origin lists', () => {
    const config = parseGatewayConfig({
      QDRANT_UPSTREAM_URL: 'https://x.cloud.qdrant.io:6333',
      QDRANT__SERVICE__JWT_RBAC: 'false',
      PORT: '9000',
      QDRANT_GATEWAY_UPSTREAM_TIMEOUT_MS: '1500',
      QDRANT_GATEWAY_CORS_ORIGINS: 'https://a.example, https://b.example',
      QDRANT_GATEWAY_MAX_BODY_BYTES: '1024',
      SOME_BINDING: { kv: true },
    });
    expect(config).toMatchObject({
      jwtRbac: false,
      port: 9000,
      upstreamTimeoutMs: 1500,
      corsOrigins: ['https://a.example', 'https://b.example'],
      maxBufferedBodyBytes: 1024,
    });
  });

  it('names the bad variables and never prints a value', () => {
    let error: unknown;
    try {
      parseGatewayConfig({
        QDRANT_UPSTREAM_URL: 'ftp://secret-host-name',
        QDRANT__SERVICE__API_KEY: 'top-secret',
        PORT: 'eighty',
        QDRANT__SERVICE__JWT_RBAC: 'top-secret',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GatewayConfigError);
    const message = (error as Error).message;
    expect(message).toContain('QDRANT_UPSTREAM_URL');
    expect(message).toContain('PORT');
    expect(message).toContain('QDRANT__SERVICE__JWT_RBAC');
    expect(message).not.toContain('top-secret');
    expect(message).not.toContain('secret-host-name');
  });

  it('requires QDRANT_UPSTREAM_URL', () => {
    expect(() => parseGatewayConfig({})).toThrow(/QDRANT_UPSTREAM_URL is required/);
  });
});

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

  it('--dev with a real admin key prints no key signed with it', async () => {
    const { child, out, exited } = runCli(
      {
        QDRANT_UPSTREAM_URL: 'http://127.0.0.1:9',
        QDRANT__SERVICE__API_KEY: 'real-admin-key-0123',
      },
      ['--dev'],
    );
    const deadline = Date.now() + 10_000;
    while (!out.stderr.includes('listening on') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out.stderr).toContain('DEVELOPMENT MODE');
    expect(out.stderr).not.toContain('eyJ');
    expect(out.stderr).not.toContain('real-admin-key-0123');
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
