import type { KeyVerifier } from '@qdrant-kit/core';
import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type AuthorizedRequest, checkRequest, type RefusedRequest } from './check-request.js';
import { GATEWAY_DEFAULTS } from './config/gateway.js';
import './context.js';
import { type CredentialVerifier, createCredentialIds } from './credentials.js';
import type { applyResponseFilter, responseFilterRule } from './filter/apply.js';
import { requestStart } from './request-start.js';

/** Options of {@link qdrantAuth}. */
export interface QdrantAuthOptions {
  /** The cluster's key check; build one with `createKeyVerifier` or {@link createGatewayVerifier}. */
  readonly verifier: KeyVerifier;
  /**
   * More ways to accept credentials (e.g. identity-provider tokens), asked in order before
   * `verifier`; see {@link CredentialVerifier}.
   */
  readonly credentials?: readonly CredentialVerifier[];
  /** Largest body read to authorize a query; larger ones get 413. Default 32 MiB. */
  readonly maxBufferedBodyBytes?: number;
  /** Path prefix to remove before matching, e.g. `/qdrant` when mounted under it. */
  readonly stripPrefix?: string;
}

/**
 * Variables {@link qdrantAuth} sets on the Hono context (also declared on hono's
 * `ContextVariableMap`, so `c.var.qdrantAuth` is typed in any app).
 */
export interface QdrantAuthVariables {
  /**
   * The decision for an allowed request: route, collections, access, key kind, redacted id,
   * credential id and subject. When `body.kind === 'bytes'` the middleware consumed the body to
   * authorize it; use those bytes instead of reading the request again.
   */
  qdrantAuth: AuthorizedRequest;
}

/**
 * The refusal {@link qdrantAuth} throws: an `HTTPException` whose response is the cluster's exact
 * answer (status, body and headers). Hono's error handling answers with `getResponse()`.
 */
export class QdrantAuthError extends HTTPException {
  override name = 'QdrantAuthError';
  /** What was refused, for logs: status, reason, route, key kind and redacted id. */
  readonly refusal: Omit<RefusedRequest, 'response'>;

  constructor(refused: RefusedRequest) {
    super(refused.status as ContentfulStatusCode, {
      res: refused.response,
      message: refused.reason,
    });
    const { response: _, ...refusal } = refused;
    this.refusal = refusal;
  }
}

/**
 * Hono middleware that authenticates and authorizes a Qdrant REST request exactly as the
 * cluster would. Refusals are thrown as {@link QdrantAuthError} (an `HTTPException`) carrying
 * the cluster's status and body; allowed requests continue with `c.var.qdrantAuth` set. An app
 * that forwards with its own key (key hiding) must also filter list answers for
 * collection-scoped keys: see {@link responseFilterRule} and {@link applyResponseFilter}, or
 * use {@link qdrantForward}.
 *
 * @example
 * ```ts
 * app.use('/qdrant/*', qdrantAuth({ verifier: createKeyVerifier({ apiKey }), stripPrefix: '/qdrant' }));
 * app.all('/qdrant/*', (c) => c.json({ collections: c.var.qdrantAuth.collections }));
 * ```
 */
export function qdrantAuth(
  options: QdrantAuthOptions,
): MiddlewareHandler<{ Variables: QdrantAuthVariables }> {
  const checkOptions = {
    verifier: options.verifier,
    credentials: options.credentials ?? [],
    credentialId: createCredentialIds(),
    maxBufferedBodyBytes: options.maxBufferedBodyBytes ?? GATEWAY_DEFAULTS.maxBufferedBodyBytes,
    stripPrefix: options.stripPrefix,
  };
  return async function qdrantAuth(c, next) {
    const outcome = await checkRequest(c.req.raw, checkOptions, requestStart(c));
    if (!outcome.ok) throw new QdrantAuthError(outcome);
    c.set('qdrantAuth', outcome);
    await next();
  };
}
