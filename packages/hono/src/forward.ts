import type { Handler } from 'hono';
import './context.js';
import { addCorsHeaders } from './cors.js';
import { applyResponseFilter, responseFilterRule } from './filter/apply.js';
import { requestStart } from './request-start.js';
import { qdrantErrorResponse } from './responses.js';
import { createResponseBufferBudget, type ResponseBufferBudget } from './upstream/buffer-budget.js';
import { type Forwarder, type ForwardResult, forwardFailureAnswer } from './upstream/forwarder.js';

/** Options of {@link qdrantForward}. */
export interface QdrantForwardOptions {
  /** How requests reach the upstream: {@link createFetchForwarder}, or Node's `createNodeForwarder`. */
  readonly forwarder: Forwarder;
  /**
   * The forwarder sends its own key upstream (key hiding): answers the cluster would filter for
   * the caller's collection-scoped key are filtered here, or refused (see the README).
   */
  readonly filterResponses: boolean;
  /** Largest upstream answer read to filter it; larger ones get 502. Default 32 MiB. */
  readonly maxFilteredResponseBytes?: number;
  /**
   * Most bytes of upstream answers being read to filter them at once, over all requests: a
   * number (this handler's own budget) or a {@link ResponseBufferBudget} shared with other
   * handlers. A request that would pass it gets 503 with `Retry-After`. Default 64 MiB.
   */
  readonly filterBufferBudget?: number | ResponseBufferBudget;
}

const MIB = 1024 * 1024;

/**
 * The Hono handler that forwards a request `qdrantAuth` allowed, and answers an upstream that
 * cannot be reached with 502, one that does not answer in time with 504, and a filtered answer
 * beyond the budget of buffered bytes with 503 and `Retry-After` (in the cluster's JSON error
 * shape). A request that reaches it without `c.var.qdrantAuth` is a composition error:
 * it throws (answered 502 by {@link gatewayErrorHandler}) rather than forward anything unchecked.
 */
export function qdrantForward(options: QdrantForwardOptions): Handler {
  const { forwarder, filterResponses } = options;
  const budgetOption = options.filterBufferBudget ?? 64 * MIB;
  const budget =
    typeof budgetOption === 'number' ? createResponseBufferBudget(budgetOption) : budgetOption;
  // An answer larger than the whole budget could never be read: it is too large (502), not a
  // reason to retry (503).
  const maxBytes = Math.min(options.maxFilteredResponseBytes ?? 32 * MIB, budget.limitBytes);
  return async function qdrantForward(c) {
    // `c.get`, not `c.var`: `var` copies every variable into a new object on each read.
    const auth = c.get('qdrantAuth');
    if (auth === undefined) throw new Error('qdrantForward needs qdrantAuth before it');
    const request = c.req.raw;
    // With key hiding the cluster answers with our key's access, so what it would leave out for
    // the caller's collection-scoped key is left out here (or the route is refused).
    const rule = filterResponses ? responseFilterRule(request.method, auth) : undefined;
    if (rule?.kind === 'refuse') {
      c.set('qdrantOutcome', { decision: 'denied', status: 403, reason: rule.reason });
      return qdrantErrorResponse(403, rule.reason, requestStart(c));
    }
    const corsOrigin = c.get('qdrantCorsOrigin');
    // Held from the first byte read until the filtered answer is built: never lost, even when
    // the forwarder or the filter throws.
    const lease = rule ? budget.lease() : undefined;
    let result: ForwardResult;
    try {
      result = await forwarder.forward({
        method: request.method,
        pathAndQuery: auth.pathAndQuery,
        headers: request.headers,
        body: auth.body,
        // Read on demand: a forwarder that streams Node's sockets itself never needs it, and
        // `@hono/node-server` makes an AbortController only when it is read.
        get signal() {
          return request.signal;
        },
        bufferResponse: rule ? { maxBytes, lease } : undefined,
        editResponseHeaders:
          corsOrigin === undefined ? undefined : (headers) => addCorsHeaders(headers, corsOrigin),
        bindings: c.env,
      });
      if (result.ok && rule && auth.access?.kind === 'collections') {
        result = await applyResponseFilter(result, rule.filter, auth.access.collections);
      }
    } finally {
      lease?.release();
    }
    if (!result.ok) {
      const answer = forwardFailureAnswer(result);
      c.set('qdrantOutcome', { status: answer.logStatus });
      const response = qdrantErrorResponse(answer.status, answer.message, requestStart(c));
      if (answer.retryAfterSeconds !== undefined) {
        response.headers.set('retry-after', String(answer.retryAfterSeconds));
      }
      return response;
    }
    c.set('qdrantOutcome', { status: result.status });
    return result.response;
  };
}
