// Cloudflare Workers entry: configure with wrangler vars/secrets (`.dev.vars` locally).
import type { Hono } from 'hono';
import { createGateway } from '../app.js';
import { parseGatewayConfig } from '../config.js';

let app: Hono | undefined;

/** The Workers module: builds the gateway from the bindings on the first request. */
const worker = {
  fetch(request: Request, env: Record<string, unknown>, ctx: unknown): Response | Promise<Response> {
    app ??= createGateway(parseGatewayConfig(env));
    return app.fetch(request, env, ctx as never);
  },
};
export default worker;
