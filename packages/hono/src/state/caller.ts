import type { Context } from 'hono';

/** Who is calling, as the revocation and rate-limit middleware need it. */
export interface GatewayCaller {
  /**
   * Lower-case hex SHA-256 of the key presented (a JWT or a static key; an ECDSA-signed JWT in
   * its low-s spelling, see `canonicalTokenText`): what a token
   * revocation stores, and the rate-limit key of callers without a subject. `qdrantAuth` sets it
   * as `credentialId`.
   */
  readonly credentialId: string;
  /**
   * The database key's `subject` claim, when it has one; an identity-provider token's `sub`
   * prefixed with `oidc:` (see `IDENTITY_PROVIDER_SUBJECT_PREFIX`), so the two never meet.
   */
  readonly subject?: string | undefined;
  /**
   * An admin key of the gateway (`QDRANT__SERVICE__API_KEY` / `..._ALT_API_KEY`): never
   * revoked (they cannot be) and never rate limited.
   */
  readonly admin: boolean;
}

/**
 * Reads the caller of a request that `qdrantAuth` let through; `undefined` when no key was
 * checked (authentication off, or a path the cluster serves without a key), which both
 * middleware let pass.
 */
export type CallerReader = (c: Context) => GatewayCaller | undefined;
