/**
 * The gateway's identity-provider settings, read from its environment.
 *
 * @module
 */
import { type AccessMapping, parseAccessMapping } from './access-mapping.js';
import { OidcConfigError } from './errors.js';
import { isAllowedKeyUrl } from './urls.js';

/** The variables of the identity-provider feature, with what each one means. */
export const OIDC_VARIABLES = Object.freeze({
  QDRANT_GATEWAY_OIDC_ISSUER:
    'Issuer URL of your identity provider (exactly as in its tokens\u2019 `iss`); setting it turns identity-provider tokens on. https only, except loopback hosts.',
  QDRANT_GATEWAY_OIDC_JWKS_URI:
    'Where the provider publishes its keys; default: the `jwks_uri` of `{issuer}/.well-known/openid-configuration`.',
  QDRANT_GATEWAY_OIDC_AUDIENCE:
    'Accepted audiences, comma-separated; a token\u2019s `aud` must name one. Required with the issuer.',
  QDRANT_GATEWAY_OIDC_ACCESS:
    'How claims become access (JSON): `"r"`, `"m"`, or grants such as `[{"collection":"tenant-{org_id}","access":"rw"}]`. Required with the issuer.',
} as const);

/** Name of one identity-provider variable. */
export type OidcVariable = keyof typeof OIDC_VARIABLES;

/** The identity-provider settings, validated. */
export interface OidcSettings {
  readonly issuer: string;
  readonly jwksUri: string | undefined;
  readonly audiences: readonly string[];
  readonly access: AccessMapping;
}

const text = (env: Readonly<Record<string, unknown>>, name: OidcVariable): string | undefined => {
  const value = env[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

/**
 * Reads the identity-provider variables. `undefined` when `QDRANT_GATEWAY_OIDC_ISSUER` is unset
 * (and no other OIDC variable is set). The feature needs key hiding: the cluster cannot check an
 * identity-provider token, so `QDRANT_UPSTREAM_API_KEY` must be set.
 *
 * @throws {@link OidcConfigError} listing every problem, one per line, naming the variables.
 */
export function parseOidcSettings(
  env: Readonly<Record<string, unknown>>,
): OidcSettings | undefined {
  const issuer = text(env, 'QDRANT_GATEWAY_OIDC_ISSUER');
  const jwksUri = text(env, 'QDRANT_GATEWAY_OIDC_JWKS_URI');
  const audience = text(env, 'QDRANT_GATEWAY_OIDC_AUDIENCE');
  const access = text(env, 'QDRANT_GATEWAY_OIDC_ACCESS');
  if (issuer === undefined) {
    const stray = (
      [
        'QDRANT_GATEWAY_OIDC_JWKS_URI',
        'QDRANT_GATEWAY_OIDC_AUDIENCE',
        'QDRANT_GATEWAY_OIDC_ACCESS',
      ] as const
    ).filter((name) => text(env, name) !== undefined);
    if (stray.length === 0) return undefined;
    throw new OidcConfigError(`${stray.join(', ')} set without QDRANT_GATEWAY_OIDC_ISSUER`);
  }
  const issues: string[] = [];
  if (!isAllowedKeyUrl(issuer))
    issues.push(
      'QDRANT_GATEWAY_OIDC_ISSUER must be an https:// URL (http:// only on a loopback host)',
    );
  if (jwksUri !== undefined && !isAllowedKeyUrl(jwksUri))
    issues.push(
      'QDRANT_GATEWAY_OIDC_JWKS_URI must be an https:// URL (http:// only on a loopback host)',
    );
  const audiences = (audience ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  if (audiences.length === 0)
    issues.push('QDRANT_GATEWAY_OIDC_AUDIENCE is required with QDRANT_GATEWAY_OIDC_ISSUER');
  let mapping: AccessMapping | undefined;
  if (access === undefined)
    issues.push('QDRANT_GATEWAY_OIDC_ACCESS is required with QDRANT_GATEWAY_OIDC_ISSUER');
  else {
    try {
      mapping = parseAccessMapping(access);
    } catch (error) {
      issues.push(
        error instanceof OidcConfigError ? error.message : 'QDRANT_GATEWAY_OIDC_ACCESS is invalid',
      );
    }
  }
  const upstreamKey = env.QDRANT_UPSTREAM_API_KEY;
  if (typeof upstreamKey !== 'string' || upstreamKey === '')
    issues.push(
      'QDRANT_GATEWAY_OIDC_ISSUER needs QDRANT_UPSTREAM_API_KEY: the cluster cannot check identity-provider tokens, so the gateway must send its own key upstream',
    );
  if (issues.length > 0 || mapping === undefined) throw new OidcConfigError(issues.join('\n'));
  return Object.freeze({ issuer, jwksUri, audiences: Object.freeze(audiences), access: mapping });
}
