import type { Hono, MiddlewareHandler } from 'hono';
import * as z from 'zod/mini';
import { qdrantErrorBody } from '@qdrant-kit/core';
import './context.js';
import type { CreateGatewayOptions } from './gateway.js';
import { GatewayConfigError } from './config/gateway.js';
import { CLUSTER_KEY_KINDS } from './credentials.js';
import {
  type ConfigEnv,
  defineConfigSection,
  integerVariable,
  readConfigSection,
  type SectionConfig,
  type VariableType,
  variable,
} from './config/table.js';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { RateLimiter, type RateLimiterOptions } from './rate-limit/limiter.js';
import { rateLimitRefusal } from './rate-limit/middleware.js';
import {
  formatRateLimit,
  parseRateLimit,
  parseRateLimitOverrides,
  type RateLimitOverrides,
} from './rate-limit/policy.js';
import { REVOCATIONS_PATH, revocationAdmin } from './revocation/admin.js';
import { RevocationList, type RevocationListOptions } from './revocation/list.js';
import { revocationRefusal } from './revocation/middleware.js';
import type { CallerReader } from './state/caller.js';
import type { RateLimitPolicy, SharedStateStore } from './state/types.js';

const REFUSAL_REASONS: Readonly<Record<number, string>> = {
  401: 'revoked',
  429: 'rate limited',
  503: 'revocation list not confirmed',
};

/**
 * A refusal as the gateway's stack expects it: an `HTTPException` carrying the response (Hono
 * answers with it; the gateway's request log records its message as the reason).
 */
function refusalOf(response: Response): HTTPException {
  return new HTTPException(response.status as ContentfulStatusCode, {
    res: response,
    message: REFUSAL_REASONS[response.status] ?? 'refused',
  });
}

function isRedisUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const redisUrlVariable: VariableType<string> = {
  schema: z
    .string()
    .check(
      z.refine((text) => text === '' || isRedisUrl(text), 'must be a redis:// or rediss:// URL'),
    ),
  read: (text) => (text === '' ? undefined : text),
  // Never shown: the URL may hold a password.
  show: () => 'set',
};

function parses(parse: (text: string) => unknown): (text: string) => boolean {
  return (text) => {
    if (text.trim() === '') return true;
    try {
      parse(text);
      return true;
    } catch {
      return false;
    }
  };
}

const rateLimitVariable: VariableType<RateLimitPolicy> = {
  schema: z
    .string()
    .check(
      z.refine(
        parses(parseRateLimit),
        'must be <requests>/<unit> with a unit of s, min or h (e.g. 100/s, 6000/min)',
      ),
    ),
  read: (text) => (text.trim() === '' ? undefined : parseRateLimit(text)),
  show: formatRateLimit,
};

const overridesVariable: VariableType<RateLimitOverrides> = {
  schema: z
    .string()
    .check(
      z.refine(
        parses(parseRateLimitOverrides),
        'must be a JSON object from subject to a limit or "off", e.g. {"tenant-a":"1000/min"}',
      ),
    ),
  read: (text) => (text.trim() === '' ? undefined : parseRateLimitOverrides(text)),
  show: (value) =>
    JSON.stringify(
      Object.fromEntries(
        [...value].map(([subject, policy]) => [subject, policy ? formatRateLimit(policy) : 'off']),
      ),
    ),
};

/**
 * The variables of revocation and rate limiting, a section of the gateway's configuration table
 * (documented with the gateway's own).
 */
export const SHARED_STATE_VARIABLES = defineConfigSection('revocation and rate limits', {
  redisUrl: variable({
    name: 'QDRANT_GATEWAY_REDIS_URL',
    type: redisUrlVariable,
    description:
      'Node, Bun, Deno: `redis://` or `rediss://` URL of the Redis that instances share revocations and rate limits through; unset = this process only (one instance)',
  }),
  rateLimit: variable({
    name: 'QDRANT_GATEWAY_RATE_LIMIT',
    type: rateLimitVariable,
    description:
      "Requests per key (a JWT's `subject`, else the token): `100/s`, `6000/min`, `50000/h`; 429 beyond; unset = no limit",
  }),
  rateLimitOverrides: variable({
    name: 'QDRANT_GATEWAY_RATE_LIMIT_OVERRIDES',
    type: overridesVariable,
    description:
      'Limits by `subject` (an identity-provider user as `oidc:<sub>`), a JSON object: `{"tenant-a":"1000/min","batch":"off"}`',
  }),
  revocationMaxStalenessMs: variable({
    name: 'QDRANT_GATEWAY_REVOCATION_MAX_STALENESS_MS',
    type: integerVariable(1000, 86_400_000, 'must be between 1000 and 86400000'),
    default: 5000,
    description:
      'While the shared store does not answer, the last known revocation list is used this long; then requests get 503',
  }),
});

/** What {@link parseSharedStateConfig} reads: the values of {@link SHARED_STATE_VARIABLES}. */
export type SharedStateConfig = SectionConfig<typeof SHARED_STATE_VARIABLES>;

/**
 * Reads {@link SHARED_STATE_VARIABLES} from an environment.
 *
 * @throws {@link GatewayConfigError} naming each bad variable, never its value.
 */
export function parseSharedStateConfig(env: ConfigEnv): SharedStateConfig {
  const read = readConfigSection(SHARED_STATE_VARIABLES, env);
  if (!read.ok) throw new GatewayConfigError(read.issues);
  return read.config;
}

/**
 * The caller as {@link qdrantAuth} left it on the context (`c.get('qdrantAuth')`): its credential
 * id and subject, and whether it is one of the gateway's admin keys. `undefined` when no
 * credential was checked (auth off, or a path the cluster never checks).
 */
export const gatewayCaller: CallerReader = (c) => {
  const auth = c.get('qdrantAuth');
  if (auth === undefined || auth.credentialId === null) return undefined;
  return {
    credentialId: auth.credentialId,
    // An identity provider's user is `oidc:<sub>`, the user of any other additional verifier
    // `<kind>:<subject>`: neither may meet a database key's subject.
    subject:
      auth.subject === undefined || auth.keyKind === null || CLUSTER_KEY_KINDS.has(auth.keyKind)
        ? auth.subject
        : `${auth.keyKind}:${auth.subject}`,
    admin: auth.keyKind === 'api-key' || auth.keyKind === 'alt-api-key',
  };
};

/**
 * What an identity-provider token's `sub` is prefixed with in revocations and rate limits
 * (`oidc:user-123`). The IdP chooses its users' subjects, the operator those of database keys;
 * without the prefix an IdP user whose `sub` is `tenant-a` would share tenant-a's budget, its
 * override (`"off"` included) and its revocations. The credentials of any other additional
 * verifier are prefixed with their own `keyKind` and a colon the same way.
 */
export const IDENTITY_PROVIDER_SUBJECT_PREFIX = 'oidc:';

/** Options of {@link createSharedState}. */
export interface SharedStateOptions {
  readonly store: SharedStateStore;
  /** The gateway's admin keys: the only ones that may call the admin API; never limited. */
  readonly adminKeys: readonly (string | undefined)[];
  /** Who is calling (from the authentication middleware's context variable). */
  readonly caller: CallerReader;
  readonly rateLimit?: RateLimitPolicy | undefined;
  readonly rateLimitOverrides?: RateLimitOverrides | undefined;
  /** Options of the revocation list (freshness, polling). */
  readonly list?: Omit<RevocationListOptions, 'store'>;
  /** Options of the rate limiter (leases, fail-open window). */
  readonly limiter?: Omit<RateLimiterOptions, 'store'>;
}

/** What {@link createSharedState} builds. */
export interface SharedState {
  /** The revocation admin API: mount it before forwarding. */
  readonly admin: Hono;
  /**
   * Revocation check then rate limit, as one middleware: put it after the authentication
   * middleware. Requests it lets through cost no round trip while the local budget lasts; it
   * refuses by throwing an `HTTPException` with the response (401, 429 or 503).
   */
  readonly guard: MiddlewareHandler;
  readonly list: RevocationList;
  readonly limiter: RateLimiter;
  /** Loads the list and starts watching it (requests are refused with 503 until loaded). */
  start(): Promise<void>;
  /** Stops watching and closes the store. */
  close(): Promise<void>;
}

/**
 * Builds revocation and rate limiting on one store: the admin API, the guard middleware and
 * their lifecycle.
 */
export function createSharedState(options: SharedStateOptions): SharedState {
  const { store, caller: readCaller } = options;
  const list = new RevocationList({ ...options.list, store });
  const limiter = new RateLimiter({ ...options.limiter, store });
  const limits = { policy: options.rateLimit, overrides: options.rateLimitOverrides };
  const limited = limits.policy !== undefined || (limits.overrides?.size ?? 0) > 0;
  const guard: MiddlewareHandler = async (c, next) => {
    const caller = readCaller(c);
    if (caller !== undefined && !caller.admin) {
      let revoked = revocationRefusal(list, caller);
      if (revoked instanceof Promise) revoked = await revoked;
      if (revoked !== undefined) throw refusalOf(revoked);
      if (limited) {
        let limitedResponse = rateLimitRefusal(limiter, limits, caller);
        if (limitedResponse instanceof Promise) limitedResponse = await limitedResponse;
        if (limitedResponse !== undefined) throw refusalOf(limitedResponse);
      }
    }
    await next();
  };
  return {
    admin: revocationAdmin({ store, list, adminKeys: options.adminKeys }),
    guard,
    list,
    limiter,
    start: () => list.start(),
    async close() {
      list.close();
      limiter.close();
      await store.close();
    },
  };
}

/**
 * The {@link CreateGatewayOptions} that put `state` into a gateway: its admin API among the
 * gateway's own routes (never forwarded) and its guard after `qdrantAuth`.
 *
 * @example
 * ```ts
 * const state = createSharedState({ store, adminKeys: [config.apiKey, config.altApiKey], caller: gatewayCaller });
 * await state.start();
 * const app = createGateway(config, sharedStateGatewayOptions(state));
 * ```
 */
export function sharedStateGatewayOptions(
  state: SharedState,
): Pick<CreateGatewayOptions, 'routes' | 'afterAuth'> {
  return {
    routes: (app) => {
      app.route('/', state.admin);
    },
    afterAuth: [state.guard],
  };
}

/**
 * Gateway options for a deployment without a shared store where a local one would be wrong
 * (several processes or isolates): the admin API answers 503 with `reason` (so a revocation is
 * never accepted that other instances would not apply) and is still never forwarded.
 */
export function unsharedStateGatewayOptions(reason: string): Pick<CreateGatewayOptions, 'routes'> {
  return {
    routes: (app) => {
      const refuse = () =>
        new Response(qdrantErrorBody(`Service unavailable: ${reason}`), {
          status: 503,
          headers: { 'content-type': 'application/json' },
        });
      app.all(REVOCATIONS_PATH, refuse);
      app.all(`${REVOCATIONS_PATH}/*`, refuse);
    },
  };
}
