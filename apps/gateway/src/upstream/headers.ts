// Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection and must not be forwarded.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

/** Header names listed in a `Connection` header are hop-by-hop for that message too. */
export function connectionTokens(connection: string | null | undefined): ReadonlySet<string> {
  if (!connection) return EMPTY;
  return new Set(
    connection
      .toLowerCase()
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
  );
}
const EMPTY: ReadonlySet<string> = new Set();

/** Options shared by the request-header filters. */
export interface UpstreamHeaderPolicy {
  /** Replaces the caller's `api-key`/`authorization` with `api-key: <this>` when set. */
  readonly upstreamApiKey?: string | undefined;
  /** Drop `accept-encoding` so fetch-based clients do not get bodies they would re-decode. */
  readonly dropAcceptEncoding?: boolean;
}

/** Whether a (lower-case) request header name travels to the upstream. */
export function isForwardedRequestHeader(
  lowerName: string,
  listedInConnection: ReadonlySet<string>,
  policy: UpstreamHeaderPolicy,
): boolean {
  if (HOP_BY_HOP.has(lowerName) || listedInConnection.has(lowerName)) return false;
  if (
    policy.upstreamApiKey !== undefined &&
    (lowerName === 'api-key' || lowerName === 'authorization')
  ) {
    return false;
  }
  if (policy.dropAcceptEncoding && lowerName === 'accept-encoding') return false;
  return true;
}

/** Whether a (lower-case) response header name travels back to the caller. */
export function isForwardedResponseHeader(
  lowerName: string,
  listedInConnection: ReadonlySet<string>,
): boolean {
  return !HOP_BY_HOP.has(lowerName) && !listedInConnection.has(lowerName);
}

/** The headers to send upstream, from a standard `Headers`. */
export function upstreamRequestHeaders(headers: Headers, policy: UpstreamHeaderPolicy): Headers {
  const listed = connectionTokens(headers.get('connection'));
  const out = new Headers();
  headers.forEach((value, name) => {
    if (isForwardedRequestHeader(name, listed, policy)) out.append(name, value);
  });
  if (policy.upstreamApiKey !== undefined) out.set('api-key', policy.upstreamApiKey);
  return out;
}

/** The upstream's response headers minus hop-by-hop ones. */
export function callerResponseHeaders(headers: Headers): Headers {
  const listed = connectionTokens(headers.get('connection'));
  const out = new Headers();
  headers.forEach((value, name) => {
    if (isForwardedResponseHeader(name, listed)) out.append(name, value);
  });
  return out;
}
