import {
  createGateway,
  createSharedState,
  gatewayCaller,
  parseGatewayConfig,
  type SharedState,
  sharedStateGatewayOptions,
} from '../../src/index.js';
import { createInProcessStore } from '../../src/state/memory.js';
import type { Forwarder } from '../../src/upstream/forwarder.js';

/** What {@link oidcStateGateway} builds a key-hiding gateway from. */
export interface OidcStateGatewayOptions {
  readonly issuer: string;
  readonly adminKey: string;
  readonly upstreamKey: string;
  /** `QDRANT_GATEWAY_OIDC_ACCESS`. */
  readonly mapping: string;
  readonly forwarder: Forwarder;
  readonly rateLimit?: { quota: number; windowSeconds: number };
  readonly overrides?: Record<string, { quota: number; windowSeconds: number } | null>;
}

/**
 * A key-hiding gateway that takes database keys (JWT RBAC on) and identity-provider tokens of
 * `issuer` (audience `qdrant`), with revocations and rate limits on the in-process store.
 * Close `state` when done.
 */
export async function oidcStateGateway(
  options: OidcStateGatewayOptions,
): Promise<{ app: ReturnType<typeof createGateway>; state: SharedState }> {
  const config = parseGatewayConfig({
    QDRANT_UPSTREAM_URL: 'http://127.0.0.1:9',
    QDRANT__SERVICE__API_KEY: options.adminKey,
    QDRANT__SERVICE__JWT_RBAC: 'true',
    QDRANT_UPSTREAM_API_KEY: options.upstreamKey,
    QDRANT_GATEWAY_OIDC_ISSUER: options.issuer,
    QDRANT_GATEWAY_OIDC_AUDIENCE: 'qdrant',
    QDRANT_GATEWAY_OIDC_ACCESS: options.mapping,
  });
  const state = createSharedState({
    store: createInProcessStore(),
    adminKeys: [options.adminKey],
    caller: gatewayCaller,
    rateLimit: options.rateLimit,
    rateLimitOverrides: options.overrides ? new Map(Object.entries(options.overrides)) : undefined,
  });
  await state.start();
  const app = createGateway(config, {
    forwarder: options.forwarder,
    ...sharedStateGatewayOptions(state),
  });
  return { app, state };
}
