import type { MiddlewareHandler } from 'hono';
import type { CorsOrigins } from './config/gateway.js';
import './context.js';
import type { ResponseHeaderEditor } from './upstream/forwarder.js';

/** The `Access-Control-Allow-Origin` value for an origin, or `undefined` when it is not allowed. */
export function allowedOrigin(origins: CorsOrigins, origin: string | null): string | undefined {
  if (origin === null) return undefined;
  if (origins === '*') return '*';
  return origins.includes(origin) ? origin : undefined;
}

/** A CORS preflight: `OPTIONS` with `Origin` and `Access-Control-Request-Method`. */
export function isPreflight(request: Request): boolean {
  return (
    request.method === 'OPTIONS' &&
    request.headers.has('origin') &&
    request.headers.has('access-control-request-method')
  );
}

/**
 * Answers a preflight before any key check, as the cluster does. A disallowed origin gets a
 * 204 without CORS headers, which browsers treat as a refusal.
 */
export function preflightResponse(origins: CorsOrigins, request: Request): Response {
  const allow = allowedOrigin(origins, request.headers.get('origin'));
  const headers = new Headers();
  if (allow !== undefined) {
    headers.set('access-control-allow-origin', allow);
    headers.set(
      'access-control-allow-methods',
      request.headers.get('access-control-request-method') ?? 'GET',
    );
    const requested = request.headers.get('access-control-request-headers');
    if (requested) headers.set('access-control-allow-headers', requested);
    headers.set('access-control-max-age', '3600');
    if (allow !== '*') headers.set('vary', 'Origin');
  }
  return new Response(null, { status: 204, headers });
}

/**
 * Adds `Access-Control-Allow-Origin: allow` (and `Vary: Origin` for a listed origin) unless the
 * answer carries its own: the one place the gateway writes CORS headers on an answer.
 */
export function addCorsHeaders(headers: ResponseHeaderEditor, allow: string): void {
  if (headers.has('access-control-allow-origin')) return;
  headers.set('access-control-allow-origin', allow);
  if (allow !== '*') headers.append('vary', 'Origin');
}

// `@hono/node-server` marks an answer a handler already wrote to the socket with this header
// (one shared Response object, which must never be edited).
const ALREADY_SENT = 'x-hono-already-sent';

/**
 * Hono middleware for the gateway's CORS, as the cluster does it: preflights (`OPTIONS` with
 * `Origin` and `Access-Control-Request-Method`) are answered before any key check, and every
 * other answer to an allowed origin gets `Access-Control-Allow-Origin` unless the upstream set
 * one. `[]` turns CORS off (preflights then reach the checks like any request). The allowed
 * origin is also left in `c.var.qdrantCorsOrigin`, for forwarders that write answers to the
 * socket themselves.
 */
export function qdrantCors(origins: CorsOrigins): MiddlewareHandler {
  const enabled = origins === '*' || origins.length > 0;
  return async function qdrantCors(c, next) {
    if (!enabled) return next();
    const request = c.req.raw;
    if (isPreflight(request)) {
      c.set('qdrantOutcome', { decision: 'preflight' });
      return preflightResponse(origins, request);
    }
    const allow = allowedOrigin(origins, request.headers.get('origin'));
    if (allow === undefined) return next();
    c.set('qdrantCorsOrigin', allow);
    await next();
    const response = c.res;
    if (response.headers.has(ALREADY_SENT)) return;
    try {
      addCorsHeaders(response.headers, allow);
    } catch {
      // Immutable headers (a fetched Response on some runtimes): copy once.
      const copy = new Response(response.body, response);
      addCorsHeaders(copy.headers, allow);
      // Unset first: assigning over a response merges the old one's headers back in.
      c.res = undefined;
      c.res = copy;
    }
  };
}
