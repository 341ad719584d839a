import * as z from 'zod/mini';

/**
 * Everything the gateway needs to run, already validated. Build it with
 * {@link parseGatewayConfig} from an environment, or by hand when embedding the gateway.
 */
export interface GatewayConfig {
  /** Base URL of the one Qdrant cluster behind the gateway (`QDRANT_UPSTREAM_URL`). */
  readonly upstreamUrl: string;
  /** Read-write key (`QDRANT__SERVICE__API_KEY`); also the first JWT secret. */
  readonly apiKey?: string | undefined;
  /** Second read-write key for rotation (`QDRANT__SERVICE__ALT_API_KEY`); second JWT secret. */
  readonly altApiKey?: string | undefined;
  /** Read-only key (`QDRANT__SERVICE__READ_ONLY_API_KEY`). */
  readonly readOnlyApiKey?: string | undefined;
  /**
   * Accept JWT database keys (`QDRANT__SERVICE__JWT_RBAC`). Defaults to `false`, like a cluster
   * (which refuses every JWT with 401 unless told `JWT_RBAC=true`); `--dev` turns it on.
   */
  readonly jwtRbac: boolean;
  /**
   * Key sent upstream instead of the caller's (`QDRANT_UPSTREAM_API_KEY`), so callers never
   * hold the cluster's admin key. Unset: the caller's own key headers are forwarded.
   */
  readonly upstreamApiKey?: string | undefined;
  /** Milliseconds to wait for the upstream's response headers before answering 504. */
  readonly upstreamTimeoutMs: number;
  /** Origins allowed by CORS: `'*'`, a list, or an empty list to answer no preflight. */
  readonly corsOrigins: '*' | readonly string[];
  /** Largest request body the gateway buffers to authorize a query; larger ones get 413. */
  readonly maxBufferedBodyBytes: number;
  /**
   * Largest upstream answer the gateway reads to filter it for a collection-scoped key with key
   * hiding (`GET /collections`, `/aliases`, `/issues`, ...); larger ones get 502
   * (`QDRANT_GATEWAY_MAX_FILTERED_RESPONSE_BYTES`, default 32 MiB).
   */
  readonly maxFilteredResponseBytes: number;
  /** How long a `value_exists` check result is reused, in milliseconds. */
  readonly valueExistsCacheMs: number;
  /** Port the Node, Bun and Deno servers listen on (`PORT`). */
  readonly port: number;
  /** Address the servers bind to (`QDRANT_GATEWAY_HOST`). */
  readonly hostname: string;
  /** Whether one JSON line is logged per request (`QDRANT_GATEWAY_LOG`). */
  readonly logRequests: boolean;
  /**
   * Development mode (`QDRANT_GATEWAY_DEV=1` or `--dev`): generate a throwaway admin key and turn
   * JWT RBAC on. The CLI refuses it when `QDRANT_UPSTREAM_API_KEY` or a `QDRANT__SERVICE__*`
   * key is set, so it never stands in front of a real cluster's key.
   */
  readonly dev: boolean;
  /**
   * Node CLI only: processes serving the port (`QDRANT_GATEWAY_WORKERS`, a number or `auto`
   * for one per CPU). Default 1.
   */
  readonly workers: number | 'auto';
}

/** Default values of the optional settings. */
export const GATEWAY_DEFAULTS = {
  jwtRbac: false,
  upstreamTimeoutMs: 30_000,
  corsOrigins: '*',
  maxBufferedBodyBytes: 32 * 1024 * 1024,
  maxFilteredResponseBytes: 32 * 1024 * 1024,
  valueExistsCacheMs: 10_000,
  port: 8787,
  hostname: '127.0.0.1',
  logRequests: true,
  dev: false,
  workers: 1,
} as const satisfies Partial<GatewayConfig>;

/** Thrown by {@link parseGatewayConfig}; `issues` name the variables, never their values. */
export class GatewayConfigError extends Error {
  override name = 'GatewayConfigError';
  constructor(readonly issues: readonly string[]) {
    super(`Invalid gateway configuration:\n  - ${issues.join('\n  - ')}`);
  }
}

/** An environment as the runtimes hand it over (`process.env`, Workers `env`, `Deno.env.toObject()`). */
export type GatewayEnv = Readonly<Record<string, unknown>>;

const optionalSecret = z.optional(z.string());
const booleanText = z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', '']);
const positiveIntegerText = z.string().check(z.regex(/^\d+$/, 'must be a positive integer'));

// Every entry: variable name -> schema of its (string) value. Messages never echo the value.
const envSchema = z.object({
  QDRANT_UPSTREAM_URL: z
    .string()
    .check(
      z.refine(
        (v) => isHttpUrl(v),
        'must be an absolute http:// or https:// URL without credentials, query or fragment',
      ),
    ),
  QDRANT__SERVICE__API_KEY: optionalSecret,
  QDRANT__SERVICE__ALT_API_KEY: optionalSecret,
  QDRANT__SERVICE__READ_ONLY_API_KEY: optionalSecret,
  QDRANT__SERVICE__JWT_RBAC: z.optional(booleanText),
  QDRANT_UPSTREAM_API_KEY: optionalSecret,
  QDRANT_GATEWAY_UPSTREAM_TIMEOUT_MS: z.optional(positiveIntegerText),
  QDRANT_GATEWAY_CORS_ORIGINS: z.optional(z.string()),
  QDRANT_GATEWAY_MAX_BODY_BYTES: z.optional(positiveIntegerText),
  QDRANT_GATEWAY_MAX_FILTERED_RESPONSE_BYTES: z.optional(positiveIntegerText),
  QDRANT_GATEWAY_VALUE_EXISTS_CACHE_MS: z.optional(positiveIntegerText),
  PORT: z.optional(positiveIntegerText),
  QDRANT_GATEWAY_HOST: z.optional(z.string()),
  QDRANT_GATEWAY_LOG: z.optional(booleanText),
  QDRANT_GATEWAY_DEV: z.optional(booleanText),
  QDRANT_GATEWAY_WORKERS: z.optional(
    z.string().check(z.regex(/^(auto|[1-9]\d*)$/, 'must be a positive integer or "auto"')),
  ),
});

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

function readBoolean(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return value === 'true' || value === '1' || value === 'yes' || value === 'on';
}

function readInteger(value: string | undefined, fallback: number): number {
  return value === undefined || value === '' ? fallback : Number.parseInt(value, 10);
}

function emptyAsUnset(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function readCorsOrigins(value: string | undefined): '*' | readonly string[] {
  if (value === undefined) return GATEWAY_DEFAULTS.corsOrigins;
  const trimmed = value.trim();
  if (trimmed === '*') return '*';
  return trimmed
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
}

/**
 * Reads and validates the gateway's settings from an environment using a Qdrant node's
 * variable names. Non-string values (Workers bindings such as KV namespaces) are ignored.
 *
 * @throws {@link GatewayConfigError} naming each bad variable; secrets are never printed.
 */
export function parseGatewayConfig(env: GatewayEnv): GatewayConfig {
  const strings: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = env[key];
    if (typeof value === 'string') strings[key] = value;
  }
  const parsed = envSchema.safeParse(strings);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const reason = issue.code === 'invalid_type' ? 'is required' : issue.message;
      return `${name} ${reason}`;
    });
    throw new GatewayConfigError(issues);
  }
  const e = parsed.data;
  const config: GatewayConfig = {
    upstreamUrl: e.QDRANT_UPSTREAM_URL.replace(/\/+$/, ''),
    apiKey: emptyAsUnset(e.QDRANT__SERVICE__API_KEY),
    altApiKey: emptyAsUnset(e.QDRANT__SERVICE__ALT_API_KEY),
    readOnlyApiKey: emptyAsUnset(e.QDRANT__SERVICE__READ_ONLY_API_KEY),
    jwtRbac: readBoolean(e.QDRANT__SERVICE__JWT_RBAC, GATEWAY_DEFAULTS.jwtRbac),
    upstreamApiKey: emptyAsUnset(e.QDRANT_UPSTREAM_API_KEY),
    upstreamTimeoutMs: readInteger(
      e.QDRANT_GATEWAY_UPSTREAM_TIMEOUT_MS,
      GATEWAY_DEFAULTS.upstreamTimeoutMs,
    ),
    corsOrigins: readCorsOrigins(e.QDRANT_GATEWAY_CORS_ORIGINS),
    maxBufferedBodyBytes: readInteger(
      e.QDRANT_GATEWAY_MAX_BODY_BYTES,
      GATEWAY_DEFAULTS.maxBufferedBodyBytes,
    ),
    maxFilteredResponseBytes: readInteger(
      e.QDRANT_GATEWAY_MAX_FILTERED_RESPONSE_BYTES,
      GATEWAY_DEFAULTS.maxFilteredResponseBytes,
    ),
    valueExistsCacheMs: readInteger(
      e.QDRANT_GATEWAY_VALUE_EXISTS_CACHE_MS,
      GATEWAY_DEFAULTS.valueExistsCacheMs,
    ),
    port: readInteger(e.PORT, GATEWAY_DEFAULTS.port),
    hostname: emptyAsUnset(e.QDRANT_GATEWAY_HOST) ?? GATEWAY_DEFAULTS.hostname,
    logRequests: readBoolean(e.QDRANT_GATEWAY_LOG, GATEWAY_DEFAULTS.logRequests),
    dev: readBoolean(e.QDRANT_GATEWAY_DEV, GATEWAY_DEFAULTS.dev),
    workers:
      e.QDRANT_GATEWAY_WORKERS === undefined || e.QDRANT_GATEWAY_WORKERS === 'auto'
        ? (e.QDRANT_GATEWAY_WORKERS ?? GATEWAY_DEFAULTS.workers)
        : Number.parseInt(e.QDRANT_GATEWAY_WORKERS, 10),
  };
  const issues: string[] = [];
  if (config.port > 65_535) issues.push('PORT must be between 0 and 65535 (0 picks a free port)');
  if (config.upstreamTimeoutMs < 1) {
    issues.push('QDRANT_GATEWAY_UPSTREAM_TIMEOUT_MS must be at least 1');
  }
  const hiding = keyHidingIssue(config);
  if (hiding !== undefined) issues.push(hiding);
  if (issues.length > 0) throw new GatewayConfigError(issues);
  return config;
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
