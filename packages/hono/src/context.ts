// The variables the gateway's middleware set on a Hono context, typed for every app that imports
// this package (`c.var.qdrantAuth` needs no generic parameter).
import type { AuthorizedRequest } from './check-request.js';
import type { GatewayDecision } from './log.js';

/**
 * What a stage that answered a request itself, or the forwarder, tells the request log: the
 * decision when it is not the auth's (`preflight`, a `denied` response-filter refusal), the
 * status when it differs from the response's (499, or an answer written to the socket).
 */
export interface GatewayOutcome {
  readonly decision?: Extract<GatewayDecision, 'preflight' | 'denied'>;
  readonly status?: number;
  readonly reason?: string;
}

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by `qdrantAuth` on an allowed request: what was decided, for the handlers after it. */
    qdrantAuth: AuthorizedRequest;
    /** `performance.now()` when the gateway's first middleware saw the request. */
    qdrantRequestStart: number;
    /** The `Access-Control-Allow-Origin` value `qdrantCors` chose for this request's origin. */
    qdrantCorsOrigin: string;
    /** Set by the stage that answered, for the request log. */
    qdrantOutcome: GatewayOutcome;
  }
}
