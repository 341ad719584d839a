import { describe, expect, it } from 'vitest';
import { GATEWAY_DEFAULTS, GatewayConfigError, parseGatewayConfig } from '../src/config/gateway.js';

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
      // Like a cluster (`unwrap_or_default()` of `jwt_rbac`): JWTs only when asked for.
      jwtRbac: false,
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
