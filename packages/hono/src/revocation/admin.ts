import {
  EXP_LEEWAY_SECONDS,
  MESSAGE_NO_KEY,
  qdrantErrorBody,
  readDatabaseKey,
} from '@qdrant-kit/core';
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import * as z from 'zod/mini';
import type { RevocationEntry, RevocationTarget, SharedStateStore } from '../state/types.js';
import { isInForce, REVOCATION_ID, revocationId, sha256Hex } from './entry.js';
import { OIDC_MAX_CLOCK_TOLERANCE_SECONDS } from '../oidc/verifier.js';
import { canonicalTokenText } from '../token-text.js';
import type { RevocationList } from './list.js';

/** Path of the revocation admin API. */
export const REVOCATIONS_PATH = '/gateway/v1/revocations';

/** Options of {@link revocationAdmin}. */
export interface RevocationAdminOptions {
  readonly store: SharedStateStore;
  /**
   * The gateway's admin keys (`QDRANT__SERVICE__API_KEY`, `QDRANT__SERVICE__ALT_API_KEY`); the
   * only keys accepted, compared in constant time. Empty ones are ignored; with none, every
   * call is refused.
   */
  readonly adminKeys: readonly (string | undefined)[];
  /** This instance's copy, confirmed right after each change so it applies here at once. */
  readonly list?: RevocationList;
  /**
   * Largest request body, in bytes (default 128 KiB: room for the longest token or subject the
   * admin API takes, even written with `\u` escapes).
   */
  readonly maxBodyBytes?: number;
  /** Clock, unix milliseconds (default `Date.now`). */
  readonly now?: () => number;
}

/** An entry as the API shows it: never the token, times in RFC 3339. */
export interface RevocationView {
  readonly id: string;
  readonly kind: 'token' | 'subject';
  /**
   * Hex SHA-256 of the revoked token (kind `token`); for an ES256/ES384 JWT, of its low-s
   * spelling (`canonicalTokenText`), which both spellings of its signature share.
   */
  readonly tokenHash?: string;
  /** The revoked `subject` claim (kind `subject`). */
  readonly subject?: string;
  readonly createdAt: string;
  /** When it lapses; absent = until lifted. */
  readonly until?: string;
}

const MAX_TOKEN_LENGTH = 16_384;
// A subject travels inside a token, so no accepted token carries a longer one; the `oidc:` of an
// identity-provider user (IDENTITY_PROVIDER_SUBJECT_PREFIX) must not put it out of reach either.
const MAX_SUBJECT_LENGTH = MAX_TOKEN_LENGTH;
// Year 9999: beyond it Date has no RFC 3339 form.
const MAX_TIME_MS = 253_402_300_799_000;

// `until`: unix seconds (an integer) or an RFC 3339 date-time with an offset.
const untilField = z.union([
  z.number().check(z.int(), z.positive()),
  z.iso.datetime({ offset: true, local: false }),
]);
const requestBody = z.strictObject({
  token: z.optional(z.string().check(z.minLength(1), z.maxLength(MAX_TOKEN_LENGTH))),
  subject: z.optional(z.string().check(z.minLength(1), z.maxLength(MAX_SUBJECT_LENGTH))),
  until: z.optional(untilField),
});

/**
 * When a revoked JWT could no longer pass anyway: its `exp` plus the verifier's leeway and a
 * minute of margin, in unix milliseconds; `undefined` for keys without a readable `exp`. The
 * signature is not checked: a forged `exp` only shortens an entry for a key that is invalid.
 */
function lapseOfJwt(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined || token.split('.').length !== 3) return undefined;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const claims: unknown = JSON.parse(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')));
    const exp = (claims as { exp?: unknown } | null)?.exp;
    if (typeof exp !== 'number' || !Number.isSafeInteger(exp) || exp < 0) return undefined;
    // The largest leeway any verifier here may use: an identity-provider verifier can be given
    // up to 300 s, and with the cluster's 30 s a revoked token would pass again from exp + 90 s.
    return (exp + Math.max(EXP_LEEWAY_SECONDS, OIDC_MAX_CLOCK_TOLERANCE_SECONDS) + 60) * 1000;
  } catch {
    return undefined;
  }
}

/**
 * Constant-time string equality, as the cluster compares its static keys (only a length
 * mismatch returns early). UTF-16 code units of well-formed strings compare like UTF-8 bytes.
 */
function sameKey(expected: string, candidate: string): boolean {
  if (candidate.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++)
    diff |= expected.charCodeAt(i) ^ candidate.charCodeAt(i);
  return diff === 0;
}

/** Shows an entry without anything secret. */
export function revocationView(entry: RevocationEntry): RevocationView {
  const view: { -readonly [K in keyof RevocationView]: RevocationView[K] } = {
    id: entry.id,
    kind: entry.tokenHash !== undefined ? 'token' : 'subject',
    createdAt: new Date(entry.createdAt).toISOString(),
  };
  if (entry.tokenHash !== undefined) view.tokenHash = entry.tokenHash;
  else view.subject = entry.subject;
  if (entry.until !== undefined) view.until = new Date(entry.until).toISOString();
  return view;
}

function json(status: number, result: unknown, startedAt: number): Response {
  return new Response(
    JSON.stringify({ result, status: 'ok', time: (performance.now() - startedAt) / 1000 }),
    { status, headers: { 'content-type': 'application/json' } },
  );
}

function error(status: number, message: string, startedAt?: number): Response {
  const seconds = startedAt === undefined ? 0 : (performance.now() - startedAt) / 1000;
  return new Response(qdrantErrorBody(message, seconds), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

function plain(status: number, message: string): Response {
  return new Response(message, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.join(', ')}`;
  const field = issue.path.length > 0 ? issue.path.join('.') : 'body';
  if (field === 'until') {
    return 'until must be unix seconds (a positive integer) or an RFC 3339 date-time with an offset';
  }
  if (field === 'body') return 'the body must be a JSON object';
  return `${field} must be a non-empty string of at most ${field === 'token' ? MAX_TOKEN_LENGTH : MAX_SUBJECT_LENGTH} characters`;
}

/**
 * The revocation admin API as a Hono app, to mount before the forwarding handler (nothing under
 * {@link REVOCATIONS_PATH} is ever forwarded):
 * - `POST /gateway/v1/revocations` `{"token": "<key>"}` or `{"subject": "<subject>"}`, optional
 *   `"until"` (unix seconds or RFC 3339): revokes that key, or every key whose `subject` claim
 *   is that value; 201 with the entry. Revoking the same target again replaces its entry. A
 *   JWT revoked without `until` is revoked until its own `exp` (plus leeway) has passed.
 * - `GET /gateway/v1/revocations`: the entries in force (token hashes, never tokens).
 * - `DELETE /gateway/v1/revocations/{id}`: lifts one; 404 when there is none.
 *
 * Answers are in the cluster's JSON shape (`{"result":...,"status":"ok","time":...}`, errors
 * `{"status":{"error":...},"time":...}`); only the admin keys may call it (401 without a key,
 * 403 with any other). Malformed bodies get 400, bodies over the size cap 413, and an
 * unreachable store 503.
 */
export function revocationAdmin(options: RevocationAdminOptions): Hono {
  const store = options.store;
  const now = options.now ?? Date.now;
  const adminKeys = options.adminKeys.filter(
    (key): key is string => typeof key === 'string' && key !== '',
  );
  const maxBodyBytes = options.maxBodyBytes ?? 128 * 1024;

  function isAdminKey(key: string): boolean {
    // Every admin key is compared, so timing does not tell which one matched.
    let match = false;
    for (const adminKey of adminKeys) if (sameKey(adminKey, key)) match = true;
    return match;
  }

  const requireAdminKey: MiddlewareHandler = async (c, next) => {
    let key: string | undefined;
    try {
      key = readDatabaseKey(c.req.raw.headers);
    } catch {
      key = undefined;
    }
    if (key === undefined) return plain(401, MESSAGE_NO_KEY);
    if (!isAdminKey(key)) {
      return plain(403, "Forbidden: only the gateway's admin keys may manage revocations");
    }
    await next();
    return undefined;
  };

  const app = new Hono();
  app.use(REVOCATIONS_PATH, requireAdminKey);
  app.use(`${REVOCATIONS_PATH}/*`, requireAdminKey);

  app.post(
    REVOCATIONS_PATH,
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: () =>
        error(413, `Payload too large: the body must be at most ${maxBodyBytes} bytes`),
    }),
    async (c) => {
      const startedAt = performance.now();
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch {
        return error(400, 'Bad request: the body must be JSON', startedAt);
      }
      const parsed = requestBody.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return error(
          400,
          `Bad request: ${issue ? describeIssue(issue) : 'invalid body'}`,
          startedAt,
        );
      }
      const { token, subject, until } = parsed.data;
      if ((token === undefined) === (subject === undefined)) {
        return error(400, 'Bad request: give exactly one of "token" and "subject"', startedAt);
      }
      if (token !== undefined && isAdminKey(token)) {
        return error(
          400,
          "Bad request: the gateway's admin keys cannot be revoked; rotate QDRANT__SERVICE__API_KEY / QDRANT__SERVICE__ALT_API_KEY instead",
          startedAt,
        );
      }
      const createdAt = now();
      let untilMs: number | undefined;
      if (until !== undefined) {
        untilMs = typeof until === 'number' ? until * 1000 : Date.parse(until);
        if (!Number.isFinite(untilMs) || untilMs > MAX_TIME_MS) {
          return error(400, 'Bad request: until is out of range', startedAt);
        }
        if (untilMs <= createdAt) {
          return error(400, 'Bad request: until must be in the future', startedAt);
        }
      } else if (token !== undefined) {
        // A JWT's entry lapses once the JWT itself would be refused, so the list does not grow
        // with keys that expired long ago.
        const lapse = lapseOfJwt(token);
        if (lapse !== undefined && lapse <= MAX_TIME_MS) {
          untilMs = Math.max(lapse, createdAt + 60_000);
        }
      }
      const target: RevocationTarget =
        token !== undefined
          ? // The id qdrantAuth gives this token (createCredentialIds): both ECDSA spellings at once.
            { tokenHash: await sha256Hex(canonicalTokenText(token)) }
          : { subject: subject as string };
      const entry: RevocationEntry = {
        ...target,
        id: await revocationId(target),
        createdAt,
        ...(untilMs === undefined ? {} : { until: untilMs }),
      };
      try {
        await store.putRevocation(entry);
      } catch {
        return error(
          503,
          'Service unavailable: the shared state store cannot be reached',
          startedAt,
        );
      }
      await options.list?.refreshAfterChange();
      return json(201, revocationView(entry), startedAt);
    },
  );

  app.get(REVOCATIONS_PATH, async () => {
    const startedAt = performance.now();
    try {
      const snapshot = await store.loadRevocations();
      const t = now();
      const revocations = snapshot.entries
        .filter((entry) => isInForce(entry, t))
        .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
        .map(revocationView);
      return json(200, { revocations }, startedAt);
    } catch {
      return error(503, 'Service unavailable: the shared state store cannot be reached', startedAt);
    }
  });

  app.delete(`${REVOCATIONS_PATH}/:id`, async (c) => {
    const startedAt = performance.now();
    const id = c.req.param('id');
    if (!REVOCATION_ID.test(id)) return error(400, 'Bad request: not a revocation id', startedAt);
    let existed: boolean;
    try {
      existed = await store.deleteRevocation(id);
    } catch {
      return error(503, 'Service unavailable: the shared state store cannot be reached', startedAt);
    }
    if (!existed) return error(404, `Not found: no revocation ${id}`, startedAt);
    await options.list?.refreshAfterChange();
    return json(200, true, startedAt);
  });

  // Anything else under the path is answered here too, never forwarded.
  app.all(REVOCATIONS_PATH, () => error(405, 'Method not allowed: use GET or POST'));
  app.all(`${REVOCATIONS_PATH}/*`, (c) =>
    c.req.method === 'DELETE'
      ? error(404, 'Not found')
      : error(405, 'Method not allowed: use DELETE'),
  );
  return app;
}
