/**
 * Building and reading the HTTP headers that carry Qdrant keys.
 *
 * Reading follows a Qdrant cluster (v1.19) exactly: `api-key` wins whenever it is present (even
 * empty), otherwise `Authorization: Bearer <key>` with a case-sensitive scheme and one space.
 *
 * @module
 */

/** Name of the header a Qdrant cluster reads the database key from first. */
export const API_KEY_HEADER = 'api-key';

/** Options of {@link databaseKeyHeaders}. */
export interface DatabaseKeyHeaderOptions {
  /** `api-key` (default) sends `api-key: <key>`; `bearer` sends `Authorization: Bearer <key>`. */
  readonly scheme?: 'api-key' | 'bearer';
}

/**
 * Headers that present a database key (static or JWT) to a Qdrant cluster.
 *
 * @example
 * ```ts
 * fetch(url, { headers: databaseKeyHeaders(key) }); // { 'api-key': key }
 * ```
 */
export function databaseKeyHeaders(
  key: string,
  options?: DatabaseKeyHeaderOptions,
): Record<string, string> {
  return options?.scheme === 'bearer' ? { authorization: `Bearer ${key}` } : { 'api-key': key };
}

/** Headers that present a Qdrant Cloud management key: `Authorization: apikey <key>`. */
export function managementKeyHeaders(key: string): Record<string, string> {
  return { authorization: `apikey ${key}` };
}

// The cluster reads header values with `HeaderValue::to_str`, which only accepts visible ASCII
// (and tab); any other byte makes the header count as absent.
function isVisibleAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c > 0x7e) return false;
  }
  return true;
}

function readHeader(headers: Headers, name: string): string | undefined {
  // Never split at ", ": the cluster reads one value whole (`HeaderMap::get`,
  // src/actix/auth.rs:145), so `key, junk` is a key that is not `key`. A fetch `Headers` joins
  // repeated values with ", "; the joined text is then the key, which refuses repeated key
  // headers outright (the cluster would take the first): the safe direction.
  const value = headers.get(name);
  if (value === null) return undefined;
  return isVisibleAscii(value) ? value : undefined;
}

/**
 * Reads the database key from request headers exactly as a Qdrant cluster does.
 *
 * - `api-key` (any case) wins whenever present and readable, even when empty.
 * - Otherwise `Authorization` must start with exactly `Bearer ` (case-sensitive, one space);
 *   the key is the rest, so `Bearer  k` yields ` k` and `bearer k` yields nothing.
 * - A value is read whole (`key, junk` is not `key`); a repeated header, which `Headers` joins
 *   with ", ", is therefore refused. A value that is not visible ASCII is absent.
 *
 * @returns the key, or `undefined` when none was presented (the cluster answers 401
 *   `Must provide an API key or an Authorization bearer token`).
 */
export function readDatabaseKey(headers: Headers): string | undefined {
  const apiKey = readHeader(headers, API_KEY_HEADER);
  if (apiKey !== undefined) return apiKey;
  const authorization = readHeader(headers, 'authorization');
  if (authorization?.startsWith('Bearer ')) return authorization.slice(7);
  return undefined;
}
