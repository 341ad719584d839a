// Characters a path may carry literally (RFC 3986 pchar plus `/`), and `%` because the
// normalised path keeps `%25`, `%2F` and `%2B` encoded on purpose.
const NEEDS_ENCODING = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/u;
const NEEDS_ENCODING_ALL = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/gu;

/**
 * Turns core's normalised path (percent-decoded except `%25`, `%2F`, `%2B`) back into a
 * valid URL path for the upstream, re-encoding only what cannot appear literally (spaces,
 * `?`, `#`, non-ASCII...). The cluster normalises it to the very path the gateway authorized.
 */
export function upstreamPath(normalisedPath: string): string {
  return NEEDS_ENCODING.test(normalisedPath)
    ? normalisedPath.replace(NEEDS_ENCODING_ALL, (c) => encodeURIComponent(c))
    : normalisedPath;
}
