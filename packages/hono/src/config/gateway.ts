import * as z from 'zod/mini';
import { type OidcSettings, readOidcSettings } from '../oidc/config.js';
import {
  booleanVariable,
  type ConfigEnv,
  defineConfigSection,
  integerVariable,
  readConfigSection,
  type SectionConfig,
  type SectionDefaults,
  sectionDefaults,
  textVariable,
  type VariableType,
  variable,
} from './table.js';

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      url.search === '' &&
      url.hash === '' &&
      // Credentials in the URL would be printed at start-up; fetch refuses them anyway.
      url.username === '' &&
      url.password === ''
    );
  } catch {
    return false;
  }
}

const upstreamUrlVariable: VariableType<string> = {
  schema: z
    .string()
    .check(
      z.refine(
        (v) => isHttpUrl(v),
        'must be an absolute http:// or https:// URL without credentials, query or fragment',
      ),
    ),
  read: (text) => text.replace(/\/+$/, ''),
  show: (value) => value,
};

/** Which origins may call the gateway from a browser: `'*'` or an exact list. */
export type CorsOrigins = '*' | readonly string[];

const corsOriginsVariable: VariableType<CorsOrigins> = {
  schema: z.string(),
  read: (text) => {
    const trimmed = text.trim();
    if (trimmed === '*') return '*';
    return trimmed
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== '');
  },
  show: (value) => (value === '*' ? '*' : value.join(',')),
};

const MIB_32 = 32 * 1024 * 1024;

/**
 * The variables the gateway reads, with the same names as a Qdrant node (one secret store
 * serves both). The README's and the docs' variable tables are checked against this.
 */
export const GATEWAY_VARIABLES = defineConfigSection('gateway', {
  upstreamUrl: variable({
    name: 'QDRANT_UPSTREAM_URL',
    type: upstreamUrlVariable,
    required: true,
    description: 'The cluster, e.g. `https://xyz.eu-central-1-0.aws.cloud.qdrant.io:6333`',
  }),
  apiKey: variable({
    name: 'QDRANT__SERVICE__API_KEY',
    type: textVariable,
    description: 'Admin key; also the first secret for JWT keys',
  }),
  altApiKey: variable({
    name: 'QDRANT__SERVICE__ALT_API_KEY',
    type: textVariable,
    description: 'Second admin key and JWT secret, for rotation',
  }),
  readOnlyApiKey: variable({
    name: 'QDRANT__SERVICE__READ_ONLY_API_KEY',
    type: textVariable,
    description: 'Global read key',
  }),
  jwtRbac: variable({
    name: 'QDRANT__SERVICE__JWT_RBAC',
    type: booleanVariable,
    default: false,
    description: 'Accept granular (JWT) keys; off by default like a cluster, `--dev` turns it on',
  }),
  upstreamApiKey: variable({
    name: 'QDRANT_UPSTREAM_API_KEY',
    type: textVariable,
    description:
      "Sent upstream _instead of_ the caller's key, so callers never hold the cluster's admin key; needs a `QDRANT__SERVICE__*` key",
  }),
  upstreamTimeoutMs: variable({
    name: 'QDRANT_GATEWAY_UPSTREAM_TIMEOUT_MS',
    type: integerVariable(1),
    default: 30_000,
    description: "Wait for the upstream's response headers, then 504",
  }),
  corsOrigins: variable({
    name: 'QDRANT_GATEWAY_CORS_ORIGINS',
    type: corsOriginsVariable,
    default: '*' as CorsOrigins,
    description:
      '`*`, a comma-separated list, or empty for no CORS; preflights are answered before auth, like the cluster',
  }),
  maxBufferedBodyBytes: variable({
    name: 'QDRANT_GATEWAY_MAX_BODY_BYTES',
    type: integerVariable(),
    default: MIB_32,
    description: 'Largest body buffered to authorize a query (others stream); beyond it, 413',
  }),
  maxFilteredResponseBytes: variable({
    name: 'QDRANT_GATEWAY_MAX_FILTERED_RESPONSE_BYTES',
    type: integerVariable(),
    default: MIB_32,
    description:
      'With key hiding: largest list answer read to filter it for a collection-scoped key; beyond it, 502',
  }),
  filterBufferBytes: variable({
    name: 'QDRANT_GATEWAY_FILTER_BUFFER_BYTES',
    type: integerVariable(1),
    default: 64 * 1024 * 1024,
    description:
      'With key hiding: most bytes of such answers being read at once, over all requests; beyond it, 503 with `Retry-After`',
  }),
  valueExistsCacheMs: variable({
    name: 'QDRANT_GATEWAY_VALUE_EXISTS_CACHE_MS',
    type: integerVariable(),
    default: 10_000,
    description: 'How long a `value_exists` check is reused',
  }),
  port: variable({
    name: 'PORT',
    type: integerVariable(0, 65_535, 'must be between 0 and 65535 (0 picks a free port)'),
    default: 8787,
    description: 'Port (Node, Bun, Deno); `0` picks a free one',
  }),
  hostname: variable({
    name: 'QDRANT_GATEWAY_HOST',
    type: textVariable,
    default: '127.0.0.1',
    description: 'Address to bind; `0.0.0.0` in a container',
  }),
  logRequests: variable({
    name: 'QDRANT_GATEWAY_LOG',
    type: booleanVariable,
    default: true,
    description: 'One JSON line per request on stdout (redacted key id, never a secret)',
  }),
});

/**
 * Everything the gateway needs to run, already validated: one field per variable of
 * {@link GATEWAY_VARIABLES} (see its descriptions). Build it with {@link parseGatewayConfig}
 * from an environment, or with {@link gatewayConfig} by hand when embedding the gateway.
 */
export type GatewayConfig = SectionConfig<typeof GATEWAY_VARIABLES> & {
  /**
   * Identity-provider tokens (`OIDC_VARIABLES`); unset: the feature is off. Needs
   * `upstreamApiKey` (key hiding): the cluster cannot check such tokens.
   */
  readonly oidc?: OidcSettings | undefined;
};

/** Default values of the optional settings (from {@link GATEWAY_VARIABLES}). */
export const GATEWAY_DEFAULTS: SectionDefaults<typeof GATEWAY_VARIABLES> =
  sectionDefaults(GATEWAY_VARIABLES);

/** Thrown by {@link parseGatewayConfig}; `issues` name the variables, never their values. */
export class GatewayConfigError extends Error {
  override name = 'GatewayConfigError';
  constructor(readonly issues: readonly string[]) {
    super(`Invalid gateway configuration:\n  - ${issues.join('\n  - ')}`);
  }
}

/** An environment as the runtimes hand it over (`process.env`, Workers `env`, `Deno.env.toObject()`). */
export type GatewayEnv = ConfigEnv;

/**
 * Reads and validates the gateway's settings ({@link GATEWAY_VARIABLES}, and
 * `OIDC_VARIABLES` for identity-provider tokens) from an environment.
 * Non-string values (Workers bindings such as KV namespaces) are ignored.
 *
 * @throws {@link GatewayConfigError} naming each bad variable; secrets are never printed.
 */
export function parseGatewayConfig(env: GatewayEnv): GatewayConfig {
  const read = readConfigSection(GATEWAY_VARIABLES, env);
  const oidc = readOidcSettings(env);
  const issues = [...(read.ok ? [] : read.issues), ...(oidc.ok ? [] : oidc.issues)];
  if (!read.ok || !oidc.ok) throw new GatewayConfigError(issues);
  const hiding = keyHidingIssue(read.config);
  if (hiding !== undefined) throw new GatewayConfigError([hiding]);
  return oidc.settings === undefined ? read.config : { ...read.config, oidc: oidc.settings };
}

/**
 * Why a configuration must not start, when it hides a key upstream without checking callers:
 * with no key of its own the gateway would check nothing and send every anonymous request
 * upstream with `QDRANT_UPSTREAM_API_KEY`, far weaker than the cluster that key belongs to (a
 * misspelt or lower-case `QDRANT__SERVICE__API_KEY`, which the cluster's own env reader would
 * accept, leads there). `undefined` when the configuration is fine.
 */
export function keyHidingIssue(
  config: Pick<GatewayConfig, 'upstreamApiKey' | 'apiKey' | 'altApiKey' | 'readOnlyApiKey'>,
): string | undefined {
  if (config.upstreamApiKey === undefined || config.upstreamApiKey === '') return undefined;
  const callerKeys = [config.apiKey, config.altApiKey, config.readOnlyApiKey];
  if (callerKeys.some((key) => key !== undefined && key !== '')) return undefined;
  return (
    'QDRANT_UPSTREAM_API_KEY is set but none of QDRANT__SERVICE__API_KEY, ' +
    'QDRANT__SERVICE__ALT_API_KEY, QDRANT__SERVICE__READ_ONLY_API_KEY is: the gateway would ' +
    'send every unauthenticated request upstream with the hidden key'
  );
}

/** Fills the optional settings of a hand-written configuration with {@link GATEWAY_DEFAULTS}. */
export function gatewayConfig(
  config: Pick<GatewayConfig, 'upstreamUrl'> & Partial<GatewayConfig>,
): GatewayConfig {
  return { ...GATEWAY_DEFAULTS, ...config, upstreamUrl: config.upstreamUrl.replace(/\/+$/, '') };
}
