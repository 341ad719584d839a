/** The raw (still percent-encoded) path and the query string (with its `?`, or empty) of a URL. */
export interface RequestTarget {
  readonly rawPath: string;
  readonly query: string;
}

/** Splits a request URL without building a `URL` object (this runs on every request). */
export function splitRequestTarget(url: string, stripPrefix = ''): RequestTarget {
  const schemeEnd = url.indexOf('://');
  let pathStart = url.indexOf('/', schemeEnd === -1 ? 0 : schemeEnd + 3);
  const queryStart = url.indexOf('?', pathStart === -1 ? 0 : pathStart);
  const hashStart = url.indexOf('#');
  const end = hashStart === -1 ? url.length : hashStart;
  if (pathStart === -1 || (queryStart !== -1 && queryStart < pathStart)) pathStart = -1;
  let rawPath = pathStart === -1 ? '/' : url.slice(pathStart, queryStart === -1 ? end : queryStart);
  if (stripPrefix !== '' && rawPath.startsWith(stripPrefix)) {
    rawPath = rawPath.slice(stripPrefix.length) || '/';
    if (!rawPath.startsWith('/')) rawPath = `/${rawPath}`;
  }
  const query = queryStart === -1 ? '' : url.slice(queryStart, end);
  return { rawPath, query };
}
