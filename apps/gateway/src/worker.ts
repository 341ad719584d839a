// Cloudflare Workers: the gateway as a module worker, configured from the Worker's bindings.
import type { Hono } from 'hono';
import { type CreateGatewayOptions, createGateway } from './app.js';
import { parseGatewayConfig } from './config.js';

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
      app ??= createGateway(parseGatewayConfig(env), options);
      return app.fetch(request, env, ctx as never);
    },
  };
}

/** A ready-made handler with the default options: `export default gatewayWorker`. */
export const gatewayWorker: GatewayWorker = createWorkerHandler();
