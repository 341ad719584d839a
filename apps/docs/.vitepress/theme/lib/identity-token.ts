import type { Access } from '@qdrant-kit/core';
import { decodeIdentityToken, parseAccessMapping } from '@qdrant-kit/hono';

/**
 * The workbench's identity-provider mode: what a gateway with `QDRANT_GATEWAY_OIDC_ACCESS` set
 * to a mapping would grant a pasted IdP token. Decoding only: the signature, issuer, audience
 * and expiry are the gateway's to check. Runs in the browser; nothing touches the network.
 */

/** The mapping the workbench starts with, as the guide writes it. */
export const EXAMPLE_MAPPING =
  '[{"collection":"tenant-{org_id}","access":"rw"},{"collection":"shared-docs","access":"r"}]';

/** What the workbench shows for an identity-provider token and a mapping. */
export interface IdentityInspection {
  readonly ok: true;
  readonly header: Readonly<Record<string, unknown>>;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly access: Access;
  readonly issuer: string | undefined;
  readonly subject: string | undefined;
  readonly audience: readonly string[];
  /** Unix seconds, when the token has `exp`. */
  readonly expiresAt: number | undefined;
  /** True when `exp` is more than the gateway's 30 s leeway in the past. */
  readonly expired: boolean;
  /** False when the gateway refuses the header's algorithm whatever the key (HS256, none). */
  readonly algorithmAccepted: boolean;
}

/** Why the token or the mapping cannot be inspected; `field` says which box is wrong. */
export interface IdentityInspectionFailure {
  readonly ok: false;
  readonly field: 'token' | 'mapping';
  readonly message: string;
}

const LEEWAY_SECONDS = 30;

/** Decodes a pasted IdP token and applies the mapping. Never throws. */
export function inspectIdentityToken(
  pastedToken: string,
  mappingText: string,
  nowMs: number = Date.now(),
): IdentityInspection | IdentityInspectionFailure {
  const decoded = decodeIdentityToken(pastedToken);
  if (!decoded.ok) return { ok: false, field: 'token', message: decoded.message };
  let access: Access;
  try {
    access = parseAccessMapping(mappingText.trim()).accessFor(decoded.claims);
  } catch (error) {
    return {
      ok: false,
      field: 'mapping',
      message: error instanceof Error ? error.message : String(error),
    };
  }
  const claims = decoded.claims as Readonly<Record<string, unknown>>;
  const exp = typeof claims.exp === 'number' ? claims.exp : undefined;
  const aud = claims.aud;
  return {
    ok: true,
    header: decoded.header as Readonly<Record<string, unknown>>,
    claims,
    access,
    issuer: typeof claims.iss === 'string' ? claims.iss : undefined,
    subject: typeof claims.sub === 'string' ? claims.sub : undefined,
    audience:
      typeof aud === 'string'
        ? [aud]
        : Array.isArray(aud)
          ? aud.filter((a): a is string => typeof a === 'string')
          : [],
    expiresAt: exp,
    expired: exp !== undefined && exp <= nowMs / 1000 - LEEWAY_SECONDS,
    algorithmAccepted: decoded.algorithmAccepted,
  };
}
