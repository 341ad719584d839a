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
  /**
   * What the upstream may compress with. `caller`: the caller's own `accept-encoding`, as sent.
   * `decodable`: the caller's, less codings the runtime's `fetch` may not decode (only gzip and
   * br stay; {@link DECODED_CODINGS}). `identity`: nothing (an answer the gateway must read).
   */
  readonly acceptEncoding?: 'caller' | 'decodable' | 'identity';
}

/** Codings every decoding `fetch` (undici, Deno, workerd) decodes. */
export const DECODED_CODINGS: ReadonlySet<string> = new Set(['gzip', 'br']);

/**
 * The caller's `accept-encoding` with only {@link DECODED_CODINGS} (and `identity`) left in it,
 * q-values kept; `identity` when nothing is left. `*` is dropped: it would let the upstream pick
 * a coding the runtime passes undecoded.
 */
export function decodableAcceptEncoding(value: string | null): string {
  if (value === null) return 'identity';
  const kept = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => {
      const coding = part.split(';')[0]!.trim().toLowerCase();
      return DECODED_CODINGS.has(coding) || coding === 'identity';
    });
  return kept.length === 0 ? 'identity' : kept.join(', ');
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
  if (
    (policy.acceptEncoding === 'identity' || policy.acceptEncoding === 'decodable') &&
    lowerName === 'accept-encoding'
  ) {
    return false;
  }
  return true;
}

/** Whether a (lower-case) response header name travels back to the caller. */
export function isForwardedResponseHeader(
  lowerName: string,
  listedInConnection: ReadonlySet<string>,
): boolean {
  return !HOP_BY_HOP.has(lowerName) && !listedInConnection.has(lowerName);
}

/**
 * The headers to send upstream with `fetch`, from a standard `Headers`. `accept-encoding` is
 * always set (to `identity` when the caller sent none): fetch implementations would otherwise
 * ask for compression of their own accord.
 */
export function upstreamRequestHeaders(headers: Headers, policy: UpstreamHeaderPolicy): Headers {
  const listed = connectionTokens(headers.get('connection'));
  const out = new Headers();
  headers.forEach((value, name) => {
    if (isForwardedRequestHeader(name, listed, policy)) out.append(name, value);
  });
  if (policy.upstreamApiKey !== undefined) out.set('api-key', policy.upstreamApiKey);
  if (policy.acceptEncoding === 'decodable') {
    out.set('accept-encoding', decodableAcceptEncoding(headers.get('accept-encoding')));
  } else if (!out.has('accept-encoding')) out.set('accept-encoding', 'identity');
  return out;
}

/**
 * The upstream's response headers minus hop-by-hop ones. `bodyDecoded`: the body the caller
 * gets is not the one on the wire (fetch decoded it), so `content-encoding` and
 * `content-length`, which describe the wire bytes, are left out too.
 */
export function callerResponseHeaders(headers: Headers, bodyDecoded = false): Headers {
  const listed = connectionTokens(headers.get('connection'));
  const out = new Headers();
  headers.forEach((value, name) => {
    if (bodyDecoded && (name === 'content-encoding' || name === 'content-length')) return;
    if (isForwardedResponseHeader(name, listed)) out.append(name, value);
  });
  return out;
}
