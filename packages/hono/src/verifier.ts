import { createKeyVerifier, type KeyVerifier } from '@qdrant-kit/core';
import type { GatewayConfig } from './config/gateway.js';
import { createUpstreamValueExistsChecker } from './value-exists.js';

/**
 * The key verifier a gateway uses: the configured keys, JWT RBAC as configured, and
 * `value_exists` claims checked against the upstream with the gateway's own key.
 */
export function createGatewayVerifier(
  config: GatewayConfig,
  options: { readonly fetch?: typeof fetch } = {},
): KeyVerifier {
  return createKeyVerifier({
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
