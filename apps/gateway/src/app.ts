import type { KeyVerifier } from '@qdrant-kit/core';
import { Hono } from 'hono';
import { type GatewayConfig, GatewayConfigError, keyHidingIssue } from './config.js';
import { allowedOrigin, isPreflight, preflightResponse, withCorsHeaders } from './cors.js';
import { applyResponseFilter, responseFilterRule } from './filter/apply.js';
import { checkRequest, type GateOptions } from './gate.js';
import { jsonLineLogger, type RequestLogger, silentLogger } from './log.js';
import { qdrantErrorResponse } from './responses.js';
import { createFetchForwarder } from './upstream/fetch.js';
import type { Forwarder } from './upstream/forwarder.js';
import { createGatewayVerifier } from './verifier.js';

/** Replaceable parts of a gateway; defaults suit every runtime. */
export interface CreateGatewayOptions {
  /** How requests reach the upstream. Default: `fetch` ({@link createFetchForwarder}). */
  readonly forwarder?: Forwarder;
  /** Where the per-request JSON lines go. Default: `console.log` when `config.logRequests`. */
  readonly logger?: RequestLogger;
  /** Key verifier. Default: built from the config ({@link createGatewayVerifier}). */
  readonly verifier?: KeyVerifier;
  /** `fetch` used by the default forwarder and the `value_exists` checks. */
  readonly fetch?: typeof fetch;
  /** Path prefix to remove before matching, when the gateway is mounted under one. */
  readonly stripPrefix?: string;
}

/**
 * Builds the whole gateway as a Hono app for one upstream cluster: CORS preflight, key
 * verification, route authorization, then forwarding. Mount it, or serve its `fetch` on any
 * runtime.
 *
 * @example
 * ```ts
 * const app = createGateway(parseGatewayConfig(process.env));
 * export default app; // Bun, Deno, Workers: app.fetch
 * ```
 */
export function createGateway(config: GatewayConfig, options: CreateGatewayOptions = {}): Hono {
  const hidingIssue = keyHidingIssue(config);
  if (hidingIssue !== undefined) throw new GatewayConfigError([hidingIssue]);
  const verifier = options.verifier ?? createGatewayVerifier(config, { fetch: options.fetch });
  // A replaced verifier that checks nothing would open the hidden key to everyone just the same.
  if (config.upstreamApiKey !== undefined && !verifier.authEnabled) {
    throw new GatewayConfigError([
      'QDRANT_UPSTREAM_API_KEY is set but the verifier checks no key: every request would reach the upstream with the hidden key',
    ]);
  }
  const forwarder =
    options.forwarder ??
    createFetchForwarder({
      upstreamUrl: config.upstreamUrl,
      upstreamApiKey: config.upstreamApiKey,
      timeoutMs: config.upstreamTimeoutMs,
      fetch: options.fetch,
    });
  const log = options.logger ?? (config.logRequests ? jsonLineLogger : silentLogger);
  const gateOptions: GateOptions = {
    verifier,
    maxBufferedBodyBytes: config.maxBufferedBodyBytes,
    stripPrefix: options.stripPrefix,
  };
  const keyHiding = config.upstreamApiKey !== undefined;
  const cors = config.corsOrigins;
  const corsEnabled = cors === '*' || cors.length > 0;

  const app = new Hono();
  app.all('*', async (c) => {
    const startedAt = performance.now();
    const request = c.req.raw;
    if (corsEnabled && isPreflight(request)) {
      const response = preflightResponse(cors, request);
      log(entry(request.method, null, null, 'preflight', response.status, startedAt, null, null));
      return response;
    }

    const outcome = await checkRequest(request, gateOptions, startedAt);
    if (outcome.kind === 'deny') {
      log({
        ...entry(
          request.method,
          outcome.route?.pattern ?? null,
          outcome.route?.collection ?? null,
          'denied',
          outcome.status,
          startedAt,
          outcome.keyKind,
          outcome.keyId,
        ),
        reason: outcome.reason,
      });
      return corsEnabled ? withCorsHeaders(cors, request, outcome.response) : outcome.response;
    }

    // With key hiding the cluster answers with our key's access, so what it would leave out for
    // the caller's collection-scoped key is left out here (or the route is refused).
    const rule = keyHiding ? responseFilterRule(request.method, outcome) : undefined;
    if (rule?.kind === 'refuse') {
      const response = qdrantErrorResponse(403, rule.reason, startedAt);
      log({
        ...entry(
          request.method,
          outcome.route?.pattern ?? null,
          null,
          'denied',
          403,
          startedAt,
          outcome.keyKind,
          outcome.keyId,
        ),
        reason: rule.reason,
      });
      return corsEnabled ? withCorsHeaders(cors, request, response) : response;
    }
    const upstream = await forwarder.forward({
      request,
      method: request.method,
      pathAndQuery: outcome.pathAndQuery,
      body: outcome.body,
      context: c,
      startedAt,
      corsOrigin: corsEnabled ? allowedOrigin(cors, request.headers.get('origin')) : undefined,
      bufferResponse: rule ? { maxBytes: config.maxFilteredResponseBytes } : undefined,
    });
    const forwarded =
      rule && outcome.access?.kind === 'collections'
        ? await applyResponseFilter(upstream, rule.filter, outcome.access.collections, startedAt)
        : upstream;
    log(
      entry(
        request.method,
        outcome.route?.pattern ?? null,
        outcome.route?.collection ?? null,
        outcome.decision,
        forwarded.status,
        startedAt,
        outcome.keyKind,
        outcome.keyId,
      ),
    );
    return forwarded.response;
  });

  // A bug in the gateway must not leak a stack trace or look like the cluster's own 500.
  app.onError((error, c) => {
    log({
      ...entry(c.req.method, null, null, 'denied', 502, performance.now(), null, null),
      reason: `gateway error: ${error.name}`,
    });
    return qdrantErrorResponse(502, 'Bad Gateway: the gateway could not handle this request');
  });
  return app;
}

function entry(
  method: string,
  route: string | null,
  collection: string | null,
  decision: Parameters<RequestLogger>[0]['decision'],
  status: number,
  startedAt: number,
  keyKind: string | null,
  keyId: string | null,
): Parameters<RequestLogger>[0] {
  return {
    time: new Date().toISOString(),
    method,
    route,
    collection,
    decision,
    status,
    latencyMs: Math.round((performance.now() - startedAt) * 1000) / 1000,
    keyKind,
    keyId,
  };
}
