/** Which origins may call the gateway from a browser: `'*'` or an exact list. */
export type CorsOrigins = '*' | readonly string[];

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

/** Adds `Access-Control-Allow-Origin` to a response unless the upstream already set one. */
export function withCorsHeaders(
  origins: CorsOrigins,
  request: Request,
  response: Response,
): Response {
  if (origins !== '*' && origins.length === 0) return response;
  const allow = allowedOrigin(origins, request.headers.get('origin'));
  if (allow === undefined || response.headers.has('access-control-allow-origin')) return response;
  try {
    response.headers.set('access-control-allow-origin', allow);
    if (allow !== '*') response.headers.append('vary', 'Origin');
    return response;
  } catch {
    // Immutable headers (a fetched Response on some runtimes): copy once.
    const copy = new Response(response.body, response);
    copy.headers.set('access-control-allow-origin', allow);
    return copy;
  }
}
