/**
 * Where identity-provider keys may be fetched from.
 *
 * @module
 */

function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]') return true;
  // 127.0.0.0/8, written the way the URL parser normalises IPv4 hosts.
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * True for an absolute `https:` URL, or `http:` on a loopback host (a test or local IdP), with
 * no credentials and no fragment. Keys fetched over plain HTTP from anywhere else could be
 * replaced on the way, which would let anyone mint tokens.
 */
export function isAllowedKeyUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '' || url.hash !== '') return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && isLoopbackHost(url.hostname);
}
