import type { KeyVerifier } from '@qdrant-kit/core';
import type { MiddlewareHandler } from 'hono';
import { GATEWAY_DEFAULTS } from './config.js';
import type { applyResponseFilter, responseFilterRule } from './filter/apply.js';
import { checkRequest, type GatePass } from './gate.js';

/** Options of {@link qdrantAuth}. */
export interface QdrantAuthOptions {
  /** Verifies keys; build one with `createKeyVerifier` or {@link createGatewayVerifier}. */
  readonly verifier: KeyVerifier;
  /** Largest body read to authorize a query; larger ones get 413. Default 32 MiB. */
  readonly maxBufferedBodyBytes?: number;
  /** Path prefix to remove before matching, e.g. `/qdrant` when mounted under it. */
  readonly stripPrefix?: string;
}

/** Variables the middleware sets on the Hono context. */
export interface QdrantAuthVariables {
  /**
   * The decision for an allowed request: route, collections, key kind and redacted id.
   * When `body.kind === 'bytes'` the middleware consumed the body to authorize it; use
   * those bytes instead of reading the request again.
   */
  qdrantAuth: GatePass;
}

/**
 * Hono middleware that authenticates and authorizes a Qdrant REST request exactly as the
 * cluster would, for apps that already have their own Hono app and forwarding. Denials are
 * answered with the cluster's status and body; allowed requests continue with
 * `c.get('qdrantAuth')` set. An app that forwards with its own key (key hiding) must also
 * filter list answers for collection-scoped keys: see {@link responseFilterRule} and
 * {@link applyResponseFilter}.
 *
 * @example
 * ```ts
 * app.use('/qdrant/*', qdrantAuth({ verifier: createKeyVerifier({ apiKey }), stripPrefix: '/qdrant' }));
 * ```
 */
export function qdrantAuth(
  options: QdrantAuthOptions,
): MiddlewareHandler<{ Variables: QdrantAuthVariables }> {
  const gateOptions = {
    verifier: options.verifier,
    maxBufferedBodyBytes: options.maxBufferedBodyBytes ?? GATEWAY_DEFAULTS.maxBufferedBodyBytes,
    stripPrefix: options.stripPrefix,
  };
  return async (c, next) => {
    const outcome = await checkRequest(c.req.raw, gateOptions, performance.now());
    if (outcome.kind === 'deny') return outcome.response;
    c.set('qdrantAuth', outcome);
    await next();
    return undefined;
  };
}
