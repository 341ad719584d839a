import { qdrantErrorBody } from '@qdrant-kit/core';
import type { MiddlewareHandler } from 'hono';
import type { CallerReader, GatewayCaller } from '../state/caller.js';
import type { RevocationList, RevocationVerdict } from './list.js';

/** Body of the 401 a revoked key gets (plain text, like the cluster's own 401s). */
export const MESSAGE_REVOKED = 'Invalid API key or JWT: this key was revoked';

/** Options of {@link revocationCheck}. */
export interface RevocationCheckOptions {
  readonly list: RevocationList;
  /** Who is calling (set by the authentication middleware before this one). */
  readonly caller: CallerReader;
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
  return async (c, next) => {
    const caller = readCaller(c);
    if (caller !== undefined && !caller.admin) {
      let refusal = revocationRefusal(list, caller);
      if (refusal instanceof Promise) refusal = await refusal;
      if (refusal !== undefined) return refusal;
    }
    await next();
    return undefined;
  };
}

const REFUSAL_HEADERS = { 'content-type': 'text/plain; charset=utf-8' };

/**
 * The answer to a non-admin caller the list refuses (401 revoked, 503 list unknown), or
 * `undefined` to let it through; what {@link revocationCheck} does, for composing guards.
 * Synchronous when the copy is confirmed.
 */
export function revocationRefusal(
  list: RevocationList,
  caller: GatewayCaller,
): Response | undefined | Promise<Response | undefined> {
  if (!list.isConfirmed()) {
    return list.refresh().then(() => answer(list.check(caller.credentialId, caller.subject)));
  }
  return answer(list.check(caller.credentialId, caller.subject));
}

function answer(verdict: RevocationVerdict): Response | undefined {
  if (verdict === 'allowed') return undefined;
  if (verdict === 'revoked') {
    return new Response(MESSAGE_REVOKED, { status: 401, headers: REFUSAL_HEADERS });
  }
  return new Response(
    qdrantErrorBody(
      'Service unavailable: the gateway cannot confirm its revocation list; try again shortly',
    ),
    { status: 503, headers: { 'content-type': 'application/json', 'retry-after': '1' } },
  );
}
