// Checks a server URL given as an option, before any request is made: only http: and https:, no
// user name or password (it would travel in every request and show in errors), and a message
// that names the option without echoing a value that may hold a secret.
import { QdrantCloudError } from './errors.js';

/** `value` as a URL without a trailing slash, or a validation error naming `option`. */
export function checkServerUrl(option: string, value: unknown, where: string): URL {
  const fail = (problem: string) =>
    new QdrantCloudError({
      kind: 'validation',
      code: 3,
      rpc: where,
      message: `${where}: ${option} ${problem}`,
      issues: [{ field: option, message: problem }],
    });
  if (typeof value !== 'string' || value.trim() === '') {
    throw fail('must be an http: or https: URL such as https://api.cloud.qdrant.io');
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw fail(
      'is not an absolute URL: give the scheme and host, e.g. https://api.cloud.qdrant.io',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw fail(
      `must use http: or https:, not ${url.protocol.slice(0, 16)} (e.g. https://api.cloud.qdrant.io)`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw fail('must not contain a user name or password: pass keys as options instead');
  }
  if (url.search !== '' || url.hash !== '') {
    throw fail('must not contain a query or fragment');
  }
  return url;
}

/** The URL text without a trailing slash, to put paths after. */
export function urlPrefix(url: URL): string {
  return url.href.replace(/\/+$/, '');
}
