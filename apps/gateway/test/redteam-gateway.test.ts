// Red-team findings against key-hiding mode (QDRANT_UPSTREAM_API_KEY): each test failed on the
// code before its fix. The cluster behind the gateway sees only the gateway's key, so any gap
// here is access the cluster itself would never grant.
import { describe, expect, it } from 'vitest';
import {
  createGateway,
  GatewayConfigError,
  gatewayConfig,
  parseGatewayConfig,
} from '../src/index.js';
import { createNodeGateway } from '../src/node.js';

const UPSTREAM_KEY = 'redteam-upstream-key';

describe('key hiding without a caller key', () => {
  // A cluster with a key refuses anonymous requests (src/actix/auth.rs); a gateway with no key
  // of its own checked nothing and sent them upstream with the hidden key. A lower-case or
  // misspelt QDRANT__SERVICE__API_KEY leads there: the cluster's env reader (`config` crate,
  // src/settings.rs:329) matches names case-insensitively, the gateway reads exact names.
  it('parseGatewayConfig refuses QDRANT_UPSTREAM_API_KEY without any caller key', () => {
    expect(() =>
      parseGatewayConfig({
        QDRANT_UPSTREAM_URL: 'http://127.0.0.1:6333',
        QDRANT_UPSTREAM_API_KEY: UPSTREAM_KEY,
        qdrant__service__api_key: 'lower-case-is-not-read',
      }),
    ).toThrow(GatewayConfigError);
    expect(() =>
      parseGatewayConfig({
        QDRANT_UPSTREAM_URL: 'http://127.0.0.1:6333',
        QDRANT_UPSTREAM_API_KEY: UPSTREAM_KEY,
        QDRANT__SERVICE__API_KEY: '',
      }),
    ).toThrow(/QDRANT_UPSTREAM_API_KEY/);
    // Any one caller key is enough.
    expect(
      parseGatewayConfig({
        QDRANT_UPSTREAM_URL: 'http://127.0.0.1:6333',
        QDRANT_UPSTREAM_API_KEY: UPSTREAM_KEY,
        QDRANT__SERVICE__READ_ONLY_API_KEY: 'ro',
      }).upstreamApiKey,
    ).toBe(UPSTREAM_KEY);
  });

  it('createGateway and createNodeGateway refuse a hand-written config of that kind', () => {
    const config = gatewayConfig({
      upstreamUrl: 'http://127.0.0.1:9',
      upstreamApiKey: UPSTREAM_KEY,
    });
    expect(() => createGateway(config)).toThrow(GatewayConfigError);
    expect(() => createNodeGateway(config)).toThrow(GatewayConfigError);
    // Without key hiding, no key still means "forward everything", as a cluster without keys.
    expect(() => createGateway(gatewayConfig({ upstreamUrl: 'http://127.0.0.1:9' }))).not.toThrow();
  });
});
