// Cloudflare Workers: the gateway as a module worker, configured from the Worker's bindings.
// Also wrangler's `main` (wrangler.toml): its default export is the ready-made handler.
import {
  type CreateGatewayOptions,
  createGateway,
  createSharedState,
  type GatewayConfig,
  GatewayConfigError,
  type GatewayEnv,
  gatewayCaller,
  parseGatewayConfig,
  parseSharedStateConfig,
  sharedStateGatewayOptions,
  unsharedStateGatewayOptions,
} from '@qdrant-kit/hono';
import {
  createDurableObjectStore,
  type DurableObjectNamespaceLike,
} from '@qdrant-kit/hono/durable-object';
import type { Hono } from 'hono';

// The Durable Object class the `QDRANT_GATEWAY_STATE` binding names (wrangler.toml): Workers
// find it among the main module's exports.
export { QdrantGatewayState } from '@qdrant-kit/hono/durable-object';

// Name of the Durable Object binding that holds revocations and rate limits. Not exported:
// Workers take every export of the main module for a handler or a class.
const STATE_BINDING = 'QDRANT_GATEWAY_STATE';

function isNamespace(value: unknown): value is DurableObjectNamespaceLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { idFromName?: unknown }).idFromName === 'function' &&
    typeof (value as { get?: unknown }).get === 'function'
  );
}

/**
 * Revocations and rate limits on the `QDRANT_GATEWAY_STATE` Durable Object. Without the binding
 * nothing can be shared between isolates: revocations are refused (503) and a rate limit is a
 * configuration error.
 */
function sharedStateOf(
  config: GatewayConfig,
  env: GatewayEnv,
): Pick<CreateGatewayOptions, 'routes' | 'afterAuth'> {
  const shared = parseSharedStateConfig(env);
  const binding = env[STATE_BINDING];
  if (!isNamespace(binding)) {
    if (shared.rateLimit !== undefined || shared.rateLimitOverrides !== undefined) {
      throw new GatewayConfigError([
        `QDRANT_GATEWAY_RATE_LIMIT needs the ${STATE_BINDING} Durable Object binding on Workers`,
      ]);
    }
    return unsharedStateGatewayOptions(
      `revocations need the ${STATE_BINDING} Durable Object binding on Workers`,
    );
  }
  const state = createSharedState({
    store: createDurableObjectStore(binding),
    adminKeys: [config.apiKey, config.altApiKey],
    caller: gatewayCaller,
    rateLimit: shared.rateLimit,
    rateLimitOverrides: shared.rateLimitOverrides,
    // No timers between requests: an isolate confirms its copy on the request path.
    list: { pollIntervalMs: false, maxStalenessMs: shared.revocationMaxStalenessMs },
  });
  return sharedStateGatewayOptions(state);
}

/** The shape Workers expect from a module's default export. */
export interface GatewayWorker {
  fetch(
    request: Request,
    env: Record<string, unknown>,
    ctx?: unknown,
  ): Response | Promise<Response>;
}

/**
 * Builds a Workers handler. The configuration is read from `env` (vars and secrets with the
 * Qdrant names) on the first request, then reused by the isolate.
 *
 * @example
 * ```ts
 * import { createWorkerHandler } from '@qdrant-kit/gateway/worker';
 * export default createWorkerHandler();
 * ```
 */
export function createWorkerHandler(options: CreateGatewayOptions = {}): GatewayWorker {
  let app: Hono | undefined;
  return {
    fetch(request, env, ctx) {
      if (app === undefined) {
        try {
          const config = parseGatewayConfig(env);
          const shared = sharedStateOf(config, env);
          // The caller's routes and middleware add to the shared state's, never replace them:
          // a replaced `afterAuth` would drop the revocation check and the rate limit.
          app = createGateway(config, {
            ...options,
            routes: (gateway) => {
              shared.routes?.(gateway);
              options.routes?.(gateway);
            },
            afterAuth: [...(shared.afterAuth ?? []), ...(options.afterAuth ?? [])],
          });
        } catch (error) {
          // Workers have no start-up to stop: answer 503 naming the variables (never values).
          const message =
            error instanceof GatewayConfigError ? error.message : 'Invalid gateway configuration';
          console.error(message);
          return new Response(message, {
            status: 503,
            headers: { 'content-type': 'text/plain; charset=utf-8' },
          });
        }
      }
      return app.fetch(request, env, ctx as never);
    },
  };
}

/** A ready-made handler with the default options: `export { gatewayWorker as default }`. */
export const gatewayWorker: GatewayWorker = createWorkerHandler();

export default gatewayWorker;
