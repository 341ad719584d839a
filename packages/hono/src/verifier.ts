import {
  createKeyVerifier,
  type Hs256Provider,
  type KeyVerifier,
  type VerifiedTokenCache,
} from '@qdrant-kit/core';
import type { GatewayConfig } from './config/gateway.js';
import { createUpstreamValueExistsChecker } from './value-exists.js';

/**
 * The key verifier a gateway uses: the configured keys, JWT RBAC as configured, and
 * `value_exists` claims checked against the upstream with the gateway's own key.
 */
export function createGatewayVerifier(
  config: GatewayConfig,
  options: {
    readonly fetch?: typeof fetch;
    /** Verified-token cache, e.g. one shared with identity-provider tokens. Default: its own. */
    readonly cache?: VerifiedTokenCache;
    /**
     * HMAC-SHA256 for database keys (`createKeyVerifier`'s `hs256`). Default: Web Crypto;
     * `createNodeGateway` passes `nodeHs256` from `@qdrant-kit/core/node`.
     */
    readonly hs256?: Hs256Provider;
  } = {},
): KeyVerifier {
  return createKeyVerifier({
    ...(options.cache === undefined ? {} : { cache: options.cache }),
    ...(options.hs256 === undefined ? {} : { hs256: options.hs256 }),
    apiKey: config.apiKey,
    altApiKey: config.altApiKey,
    readOnlyApiKey: config.readOnlyApiKey,
    jwtRbac: config.jwtRbac,
    checkValueExists: createUpstreamValueExistsChecker({
      upstreamUrl: config.upstreamUrl,
      upstreamApiKey: config.upstreamApiKey ?? config.apiKey ?? config.altApiKey,
      cacheMs: config.valueExistsCacheMs,
      timeoutMs: config.upstreamTimeoutMs,
      fetch: options.fetch,
    }),
  });
}
