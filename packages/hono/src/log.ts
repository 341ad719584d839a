import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { QdrantAuthError } from './auth.js';
import './context.js';
import { requestStart } from './request-start.js';

/** What the gateway decided about one request. */
export type GatewayDecision = 'allowed' | 'denied' | 'exempt' | 'preflight' | 'unchecked';

/** One structured log line. Never carries a secret: `keyId` is redacted by @qdrant-kit/core. */
export interface RequestLogEntry {
  readonly time: string;
  readonly method: string;
  /** Matched route pattern, e.g. `/collections/{collection_name}/points/search`. */
  readonly route: string | null;
  readonly collection: string | null;
  readonly decision: GatewayDecision;
  readonly status: number;
  readonly latencyMs: number;
  readonly keyKind: string | null;
  readonly keyId: string | null;
  /** Why a request was denied or failed (the cluster's message, never a key). */
  readonly reason?: string;
}

/** Receives one entry per request. */
export type RequestLogger = (entry: RequestLogEntry) => void;

/** Writes each entry as one JSON line with `console.log`. */
export const jsonLineLogger: RequestLogger = (entry) => {
  console.log(JSON.stringify(entry));
};

/** Drops every entry. */
export const silentLogger: RequestLogger = () => undefined;

/**
 * Hono middleware that writes one {@link RequestLogEntry} per request after it was answered,
 * with the latency from the request's start. It reads what the other stages left: the
 * `qdrantAuth` decision, a refusal thrown as an `HTTPException` (a {@link QdrantAuthError}
 * names route and key), and `c.var.qdrantOutcome` (preflights, filter refusals, the forwarded
 * status). A `silentLogger` costs nothing: the middleware then only calls `next`.
 */
export function qdrantRequestLog(logger: RequestLogger): MiddlewareHandler {
  if (logger === silentLogger) return (_c, next) => next();
  return async function qdrantRequestLog(c, next) {
    const startedAt = requestStart(c);
    await next();
    logger(requestLogEntry(c, startedAt));
  };
}

function requestLogEntry(c: Context, startedAt: number): RequestLogEntry {
  const auth = c.var.qdrantAuth;
  const outcome = c.var.qdrantOutcome;
  const error = c.error;
  let decision: GatewayDecision = outcome?.decision ?? auth?.decision ?? 'denied';
  let route = auth?.route;
  let keyKind = auth?.keyKind ?? null;
  let keyId = auth?.keyId ?? null;
  let collection = auth?.route?.collection ?? null;
  let reason = outcome?.reason;
  if (error instanceof QdrantAuthError) {
    decision = 'denied';
    ({ route, keyKind, keyId } = error.refusal);
    collection = route?.collection ?? null;
    reason = error.refusal.reason;
  } else if (error instanceof HTTPException) {
    decision = 'denied';
    reason = error.message;
  } else if (error !== undefined) {
    // A bug in the gateway: name it, never its message (which may quote a request).
    decision = 'denied';
    route = undefined;
    collection = null;
    keyKind = null;
    keyId = null;
    reason = `gateway error: ${error.name}`;
  } else if (outcome?.decision === 'preflight') {
    route = undefined;
  } else if (outcome?.decision === 'denied') {
    collection = null;
  }
  const entry: { -readonly [K in keyof RequestLogEntry]: RequestLogEntry[K] } = {
    time: new Date().toISOString(),
    method: c.req.method,
    route: route?.pattern ?? null,
    collection,
    decision,
    status: outcome?.status ?? c.res.status,
    latencyMs: Math.round((performance.now() - startedAt) * 1000) / 1000,
    keyKind,
    keyId,
  };
  if (reason !== undefined) entry.reason = reason;
  return entry;
}
