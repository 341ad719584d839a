/**
 * Log-safe names for keys.
 *
 * @module
 */
import { isHeaderRefusal } from './keys/header.js';
import { readTokenParts } from './keys/jwt.js';
import type { KeyKind } from './keys/verifier.js';

function tail(key: string): string {
  // Enough characters to tell keys apart, never enough to matter: none for very short keys.
  const count = key.length >= 16 ? 4 : key.length >= 8 ? 2 : 0;
  let out = '';
  for (let i = key.length - count; i < key.length; i++) {
    const c = key.charCodeAt(i);
    out += c > 0x20 && c < 0x7f ? key[i] : '?';
  }
  return out;
}

/**
 * A log-safe name for a key: its kind and last characters, like the Cloud console's postfix
 * (e.g. `jwt:…Zk3Q`, `api-key:…a1b2`). Without `kind`, a key that reads as a JWT is labelled
 * `jwt` and any other `key`. Never includes the secret or, for a JWT, its claims.
 */
export function redactKey(key: string, kind?: KeyKind): string {
  if (typeof key !== 'string') return 'key:(none)';
  const resolved = kind ?? (isHeaderRefusal(readTokenParts(key)) ? 'key' : 'jwt');
  if (key.length === 0) return `${resolved}:(empty)`;
  const end = tail(key);
  return end === '' ? `${resolved}:(short)` : `${resolved}:…${end}`;
}
