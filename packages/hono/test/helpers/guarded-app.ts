// A stand-in gateway for the phase before the real one is wired: the admin API, then the
// revocation check and the rate limit after a fake authentication that reads the key from
// `api-key` and the subject from `x-test-subject`; allowed requests get 200 `forwarded`.
import { Hono, type MiddlewareHandler } from 'hono';
import { sha256Hex } from '../../src/revocation/entry.js';
import { RateLimiter } from '../../src/rate-limit/limiter.js';
import { rateLimit } from '../../src/rate-limit/middleware.js';
import type { RateLimitOverrides } from '../../src/rate-limit/policy.js';
import { revocationAdmin } from '../../src/revocation/admin.js';
import { RevocationList, type RevocationListOptions } from '../../src/revocation/list.js';
import { revocationCheck } from '../../src/revocation/middleware.js';
import type { CallerReader, GatewayCaller } from '../../src/state/caller.js';
import type { RateLimitPolicy, SharedStateStore } from '../../src/state/types.js';

export const ADMIN_KEY = 'admin-key-0123456789';
export const ALT_ADMIN_KEY = 'alt-admin-key-0123456789';

const callers = new WeakMap<Request, GatewayCaller>();

/**
 * Stands in for `qdrantAuth`: the key from `api-key`, its SHA-256 as the credential id, the
 * subject from `x-test-subject`.
 */
export const testAuth: MiddlewareHandler = async (c, next) => {
  const token = c.req.header('api-key');
  if (token !== undefined) {
    callers.set(c.req.raw, {
      credentialId: await sha256Hex(token),
      subject: c.req.header('x-test-subject'),
      admin: token === ADMIN_KEY || token === ALT_ADMIN_KEY,
    });
  }
  await next();
};

export const testCaller: CallerReader = (c) => callers.get(c.req.raw);

export interface GuardedApp {
  readonly app: Hono;
  readonly list: RevocationList;
  readonly limiter: RateLimiter;
}

export async function guardedApp(
  store: SharedStateStore,
  options: {
    readonly policy?: RateLimitPolicy;
    readonly overrides?: RateLimitOverrides;
    readonly list?: Omit<RevocationListOptions, 'store'>;
    readonly now?: () => number;
  } = {},
): Promise<GuardedApp> {
  const now = options.now ?? Date.now;
  const list = new RevocationList({ store, now, onError: () => undefined, ...options.list });
  await list.start();
  const limiter = new RateLimiter({ store, now, onError: () => undefined });
  const app = new Hono();
  app.route(
    '/',
    revocationAdmin({ store, list, now, adminKeys: [ADMIN_KEY, ALT_ADMIN_KEY, undefined, ''] }),
  );
  app.use('*', testAuth);
  app.use('*', revocationCheck({ list, caller: testCaller }));
  if (options.policy) {
    app.use(
      '*',
      rateLimit({
        limiter,
        policy: options.policy,
        overrides: options.overrides,
        caller: testCaller,
      }),
    );
  }
  app.all('*', (c) => c.text('forwarded'));
  return { app, list, limiter };
}

export function call(
  app: Hono,
  path: string,
  init: { method?: string; key?: string; subject?: string; body?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (init.key !== undefined) headers['api-key'] = init.key;
  if (init.subject !== undefined) headers['x-test-subject'] = init.subject;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  return Promise.resolve(
    app.fetch(
      new Request(`http://gateway${path}`, {
        method: init.method ?? 'GET',
        headers,
        body: init.body,
      }),
    ),
  );
}
