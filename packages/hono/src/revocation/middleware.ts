import { qdrantErrorBody } from '@qdrant-kit/core';
import type { MiddlewareHandler } from 'hono';
import type { CallerReader } from '../state/caller.js';
import { createTokenHasher } from './entry.js';
import type { RevocationList } from './list.js';

/** Body of the 401 a revoked key gets (plain text, like the cluster's own 401s). */
export const MESSAGE_REVOKED = 'Invalid API key or JWT: this key was revoked';

/** Options of {@link revocationCheck}. */
export interface RevocationCheckOptions {
  readonly list: RevocationList;
  /** Who is calling (set by the authentication middleware before this one). */
  readonly caller: CallerReader;
  /** Hashes tokens (default: a memoizing SHA-256). */
  readonly hashToken?: (token: string) => string | Promise<string>;
}

/**
 * Hono middleware that refuses revoked keys, after the key was verified: 401 with
 * {@link MESSAGE_REVOKED} when the token's hash or its `subject` is on the list. The check runs
 * on every request after the verified-token cache, so a cached verification never outlives a
 * revocation. Fails closed: while the list is not known fresh (never loaded, or unconfirmed
 * for longer than the list's `maxStalenessMs`), every non-admin request gets 503 with
 * `Retry-After: 1` in the cluster's JSON error shape. Admin keys are never checked.
 */
export function revocationCheck(options: RevocationCheckOptions): MiddlewareHandler {
  const { list, caller: readCaller } = options;
  const hashToken = options.hashToken ?? createTokenHasher();
  return async (c, next) => {
    const caller = readCaller(c);
    if (caller === undefined || caller.admin) {
      await next();
      return undefined;
    }
    if (!list.isConfirmed()) await list.refresh();
    // Hashing is skipped while no token is revoked by hash (subject entries need none); a
    // remembered hash comes back without a promise, so a hot key costs no await here.
    let tokenHash: string | Promise<string> | undefined = list.hasTokenEntries
      ? hashToken(caller.token)
      : undefined;
    if (typeof tokenHash === 'object') tokenHash = await tokenHash;
    const verdict = list.check(tokenHash, caller.subject);
    if (verdict === 'revoked') {
      return new Response(MESSAGE_REVOKED, {
        status: 401,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      });
    }
    if (verdict === 'unavailable') {
      return new Response(
        qdrantErrorBody(
          'Service unavailable: the gateway cannot confirm its revocation list; try again shortly',
        ),
        { status: 503, headers: { 'content-type': 'application/json', 'retry-after': '1' } },
      );
    }
    await next();
    return undefined;
  };
}
