import { type Access, createBoundedCache, type KeyKind } from '@qdrant-kit/core';
import { canonicalTokenText } from './token-text.js';

/**
 * How an accepted credential was presented: one of the cluster's key kinds, or a name an
 * additional {@link CredentialVerifier} gives its own credentials (for example `oidc`).
 */
export type CredentialKind = KeyKind | (string & Record<never, never>);

/**
 * The key kinds of the cluster's own check. A credential of another kind (an additional
 * verifier's) has its `subject` prefixed with `<kind>:` in revocations and rate limits, apart
 * from database-key subjects.
 */
export const CLUSTER_KEY_KINDS: ReadonlySet<string> = new Set<KeyKind>([
  'none',
  'api-key',
  'alt-api-key',
  'read-only-api-key',
  'jwt',
]);

/**
 * Key kinds an additional {@link CredentialVerifier} may not give: an admin key is never
 * revoked nor rate limited, and `none` (no key) is neither checked at all. Such an answer is a
 * composition error (502).
 */
export const CLUSTER_ONLY_KEY_KINDS: ReadonlySet<string> = new Set<KeyKind>([
  'none',
  'api-key',
  'alt-api-key',
]);

/** A credential an additional verifier accepted, and what it may do. */
export interface VerifiedCredential {
  readonly ok: true;
  /** What the credential may do, in the cluster's access model; routes are authorized by it. */
  readonly access: Access;
  readonly keyKind: CredentialKind;
  /** Safe to log: never the credential itself (see `redactKey` in @qdrant-kit/core). */
  readonly keyId: string;
  /** The token's subject (`sub`/`subject` claim), when it names one. */
  readonly subject?: string | undefined;
  /** When the credential stops being valid, unix seconds. */
  readonly expiresAt?: number | undefined;
  /** Who issued it (an identity provider's `iss`), for the log. */
  readonly issuer?: string | undefined;
}

/** A credential an additional verifier refuses: the caller gets `status` with `message` as plain text. */
export interface CredentialRefusal {
  readonly ok: false;
  readonly status: 401 | 403;
  readonly message: string;
  /** The kind of credential refused (e.g. `oidc`), for the log. */
  readonly keyKind?: CredentialKind | undefined;
  /** Who issued the refused credential, for the log. */
  readonly issuer?: string | undefined;
  /** Why, in a word, for the log (the caller sees only `message`): e.g. `wrong-audience`. */
  readonly detail?: string | undefined;
}

/**
 * A second way to accept credentials besides the cluster's own keys, e.g. tokens of an identity
 * provider. {@link qdrantAuth} asks each verifier, in order, about the caller's token (`api-key`
 * header, else `Authorization: Bearer`) before the cluster's key check: the first answer that is
 * not `null` decides. `null` means "not mine" (for example: the token's `iss` is not this
 * verifier's issuer), and the next verifier, then the cluster's check, decides instead.
 * Implementations must not throw; a thrown error is answered 502 like any gateway bug, and so
 * is an accepted credential of a kind in {@link CLUSTER_ONLY_KEY_KINDS}.
 */
export interface CredentialVerifier {
  verify(token: string): Promise<VerifiedCredential | CredentialRefusal | null>;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Longest token whose id is remembered; longer ones are hashed on every request. */
const MAX_CACHED_TOKEN_LENGTH = 8192;

/**
 * Computes the stable id of a credential: the SHA-256 of the token's one text
 * ({@link canonicalTokenText}: the token itself, except for ECDSA-signed JWTs whose signature
 * is brought to low-s), in lower-case hex. Remembered
 * for the most recent tokens, so a hot key is hashed once. The id identifies a credential (to
 * revoke it, or to count its requests) without holding it; it is not a redaction: a guessable
 * static key can be found from its hash, so log `keyId`, never this.
 */
export function createCredentialIds(
  maxEntries = 10_000,
): (token: string) => string | Promise<string> {
  const cache = createBoundedCache<string, string>({ maxEntries });
  return (token) => {
    const hit = cache.get(token);
    if (hit !== undefined) return hit;
    // Both spellings of an ECDSA signature must get one id, or revoking one leaves the other.
    return crypto.subtle
      .digest('SHA-256', new TextEncoder().encode(canonicalTokenText(token)))
      .then((digest) => {
        let hex = '';
        for (const byte of new Uint8Array(digest)) hex += HEX[byte];
        if (token.length <= MAX_CACHED_TOKEN_LENGTH) cache.set(token, hex);
        return hex;
      });
  };
}
