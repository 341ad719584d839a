// Characters a path may carry literally (RFC 3986 pchar plus `/`), and `%`: the raw path's
// escapes are forwarded as they came.
const NEEDS_ENCODING = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/u;
const NEEDS_ENCODING_ALL = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/gu;

/**
 * The path sent upstream: the caller's raw path with repeated slashes merged and trailing ones
 * trimmed (which the cluster does itself, so nothing changes for it), and nothing decoded. It must
 * stay raw: the cluster decodes a path once to route it and once more for its parameters, so
 * forwarding an already decoded path would make it see another path than the one authorized.
 * Characters that cannot appear in a request line at all (spaces, non-ASCII) are escaped.
 */
export function upstreamPath(rawPath: string): string {
  let path = rawPath.includes('//') ? rawPath.replace(/\/{2,}/g, '/') : rawPath;
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return NEEDS_ENCODING.test(path)
    ? path.replace(NEEDS_ENCODING_ALL, (c) => encodeURIComponent(c))
    : path;
}
