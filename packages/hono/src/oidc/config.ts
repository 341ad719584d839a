/**
 * The gateway's identity-provider settings: their section of the configuration table, and the
 * checks that need more than one variable.
 *
 * @module
 */
import * as z from 'zod/mini';
import {
  type ConfigEnv,
  defineConfigSection,
  readConfigSection,
  textVariable,
  type VariableType,
  variable,
} from '../config/table.js';
import { type AccessMapping, parseAccessMapping } from './access-mapping.js';
import { OidcConfigError } from './errors.js';
import { isAllowedKeyUrl } from './urls.js';

const keyUrlVariable: VariableType<string> = {
  schema: z
    .string()
    .check(
      z.refine(
        (text) => text.trim() === '' || isAllowedKeyUrl(text.trim()),
        'must be an https:// URL (http:// only on a loopback host), without credentials or fragment',
      ),
    ),
  read: (text) => (text.trim() === '' ? undefined : text.trim()),
  show: (value) => value,
};

const audiencesVariable: VariableType<readonly string[]> = {
  schema: z.string(),
  read: (text) => {
    const list = text
      .split(',')
      .map((audience) => audience.trim())
      .filter((audience) => audience !== '');
    return list.length === 0 ? undefined : Object.freeze(list);
  },
  show: (value) => value.join(','),
};

/**
 * The identity-provider variables. Setting the issuer turns the feature on; it then needs the
 * audience, the access mapping and key hiding (`QDRANT_UPSTREAM_API_KEY`).
 */
export const OIDC_VARIABLES = defineConfigSection('identity-provider tokens', {
  issuer: variable({
    name: 'QDRANT_GATEWAY_OIDC_ISSUER',
    type: keyUrlVariable,
    description:
      "Your identity provider's issuer, exactly as in its tokens' `iss`; turns identity-provider tokens on (needs `QDRANT_UPSTREAM_API_KEY`)",
  }),
  jwksUri: variable({
    name: 'QDRANT_GATEWAY_OIDC_JWKS_URI',
    type: keyUrlVariable,
    description:
      "The provider's key set; unset: the `jwks_uri` of `{issuer}/.well-known/openid-configuration`",
  }),
  audiences: variable({
    name: 'QDRANT_GATEWAY_OIDC_AUDIENCE',
    type: audiencesVariable,
    description:
      "Accepted audiences, comma-separated (a token's `aud` must name one); required with the issuer",
  }),
  access: variable({
    name: 'QDRANT_GATEWAY_OIDC_ACCESS',
    type: textVariable,
    description:
      'How claims become access (JSON): `"r"`, `"m"` or grants like `[{"collection":"tenant-{org_id}","access":"rw"}]`; required with the issuer',
  }),
});

/** The identity-provider settings, validated. */
export interface OidcSettings {
  readonly issuer: string;
  readonly jwksUri: string | undefined;
  readonly audiences: readonly string[];
  readonly access: AccessMapping;
}

/** What {@link readOidcSettings} found: the settings (`undefined` when the feature is off), or the issues. */
export type OidcSettingsRead =
  | { readonly ok: true; readonly settings: OidcSettings | undefined }
  | { readonly ok: false; readonly issues: readonly string[] };

/**
 * Reads {@link OIDC_VARIABLES} and checks what needs several of them. Never throws; issues name
 * the variables, never their values (a mapping's own error is named, not quoted).
 */
export function readOidcSettings(env: ConfigEnv): OidcSettingsRead {
  const read = readConfigSection(OIDC_VARIABLES, env);
  if (!read.ok) return read;
  const { issuer, jwksUri, audiences, access } = read.config;
  if (issuer === undefined) {
    const stray = [
      jwksUri === undefined ? undefined : OIDC_VARIABLES.variables.jwksUri.name,
      audiences === undefined ? undefined : OIDC_VARIABLES.variables.audiences.name,
      access === undefined ? undefined : OIDC_VARIABLES.variables.access.name,
    ].filter((name) => name !== undefined);
    return stray.length === 0
      ? { ok: true, settings: undefined }
      : { ok: false, issues: [`${stray.join(', ')} set without QDRANT_GATEWAY_OIDC_ISSUER`] };
  }
  const issues: string[] = [];
  if (audiences === undefined)
    issues.push('QDRANT_GATEWAY_OIDC_AUDIENCE is required with QDRANT_GATEWAY_OIDC_ISSUER');
  let mapping: AccessMapping | undefined;
  if (access === undefined)
    issues.push('QDRANT_GATEWAY_OIDC_ACCESS is required with QDRANT_GATEWAY_OIDC_ISSUER');
  else {
    try {
      mapping = parseAccessMapping(access.trim());
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
  if (issues.length > 0 || mapping === undefined || audiences === undefined)
    return { ok: false, issues };
  return { ok: true, settings: Object.freeze({ issuer, jwksUri, audiences, access: mapping }) };
}

/**
 * {@link readOidcSettings}, throwing.
 *
 * @throws {@link OidcConfigError} listing every problem, one per line.
 */
export function parseOidcSettings(env: ConfigEnv): OidcSettings | undefined {
  const read = readOidcSettings(env);
  if (!read.ok) throw new OidcConfigError(read.issues.join('\n'));
  return read.settings;
}
