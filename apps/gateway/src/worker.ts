// Cloudflare Workers: the gateway as a module worker, configured from the Worker's bindings.
// Also wrangler's `main` (wrangler.toml): its default export is the ready-made handler.
import {
  type CreateGatewayOptions,
  createGateway,
  GatewayConfigError,
  parseGatewayConfig,
} from '@qdrant-kit/hono';
import type { Hono } from 'hono';

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
          app = createGateway(parseGatewayConfig(env), options);
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
