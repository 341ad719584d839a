// The shared state of a gateway on Node, Bun or Deno, from its configuration: Redis when
// `QDRANT_GATEWAY_REDIS_URL` is set, else this process's memory. Part of the `./redis` entry.
import { GatewayConfigError, type GatewayConfig, type GatewayEnv } from '../config/gateway.js';
import type { CreateGatewayOptions } from '../gateway.js';
import {
  createSharedState,
  gatewayCaller,
  parseSharedStateConfig,
  type SharedState,
  sharedStateGatewayOptions,
  unsharedStateGatewayOptions,
} from '../shared-state.js';
import { createInProcessStore } from './memory.js';
import { createRedisStore } from './redis.js';

/** Options of {@link startGatewaySharedState}. */
export interface GatewaySharedStateOptions {
  /**
   * Processes serving the same port (`QDRANT_GATEWAY_WORKERS`). Above 1 without a Redis URL
   * nothing can be shared: revocations are refused (503) and a rate limit is a configuration
   * error, since each process would apply it in full.
   */
  readonly processes?: number;
}

/** A gateway's running shared state. */
export interface GatewaySharedState {
  /** Pass to `createGateway` / `createNodeGateway` / `startNodeGateway`. */
  readonly options: Pick<CreateGatewayOptions, 'routes' | 'afterAuth'>;
  /** The state, when there is one (not in the refused multi-process case). */
  readonly state: SharedState | undefined;
  /** Stops watching and closes the store's connections. */
  close(): Promise<void>;
}

/**
 * Checks the revocation and rate-limit variables for a gateway of `processes` processes, as
 * {@link startGatewaySharedState} would, without starting anything (for a primary process
 * that only forks workers).
 *
 * @throws {@link GatewayConfigError} for bad variables, or a rate limit that cannot be shared.
 */
export function checkGatewaySharedState(env: GatewayEnv, processes = 1): void {
  const shared = parseSharedStateConfig(env);
  if (shared.redisUrl === undefined && processes > 1) {
    if (shared.rateLimit !== undefined || shared.rateLimitOverrides !== undefined) {
      throw new GatewayConfigError([
        'QDRANT_GATEWAY_RATE_LIMIT needs QDRANT_GATEWAY_REDIS_URL when QDRANT_GATEWAY_WORKERS is above 1: each process would apply the full limit',
      ]);
    }
  }
}

/**
 * Reads the revocation and rate-limit variables and starts the shared state they describe:
 * waits up to 2 s for the store and the first load of the revocation list (requests get 503
 * until it has loaded).
 *
 * @throws {@link GatewayConfigError} for bad variables.
 */
export async function startGatewaySharedState(
  config: GatewayConfig,
  env: GatewayEnv,
  options: GatewaySharedStateOptions = {},
): Promise<GatewaySharedState> {
  checkGatewaySharedState(env, options.processes);
  const shared = parseSharedStateConfig(env);
  if (shared.redisUrl === undefined && (options.processes ?? 1) > 1) {
    return {
      options: unsharedStateGatewayOptions(
        'revocations need QDRANT_GATEWAY_REDIS_URL when the gateway runs in several processes (QDRANT_GATEWAY_WORKERS)',
      ),
      state: undefined,
      close: async () => undefined,
    };
  }
  const store =
    shared.redisUrl === undefined
      ? createInProcessStore()
      : createRedisStore({ url: shared.redisUrl });
  const state = createSharedState({
    store,
    adminKeys: [config.apiKey, config.altApiKey],
    caller: gatewayCaller,
    rateLimit: shared.rateLimit,
    rateLimitOverrides: shared.rateLimitOverrides,
    list: { maxStalenessMs: shared.revocationMaxStalenessMs },
  });
  await state.start();
  return { options: sharedStateGatewayOptions(state), state, close: () => state.close() };
}
