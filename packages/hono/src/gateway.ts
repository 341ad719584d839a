import {
  type Hs256Provider,
  createVerifiedTokenCache,
  type KeyVerifier,
  type VerifiedTokenCache,
} from '@qdrant-kit/core';
import { type ErrorHandler, Hono, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { qdrantAuth } from './auth.js';
import { type GatewayConfig, GatewayConfigError, keyHidingIssue } from './config/gateway.js';
import { qdrantCors } from './cors.js';
import type { CredentialVerifier } from './credentials.js';
import { qdrantForward } from './forward.js';
import type { OidcSettings } from './oidc/config.js';
import { createOidcCredentialVerifier } from './oidc/credential.js';
import { createOidcVerifier } from './oidc/verifier.js';
import { jsonLineLogger, qdrantRequestLog, type RequestLogger, silentLogger } from './log.js';
import { qdrantErrorResponse } from './responses.js';
import { createFetchForwarder } from './upstream/fetch.js';
import type { ResponseBufferBudget } from './upstream/buffer-budget.js';
import type { Forwarder } from './upstream/forwarder.js';
import { createGatewayVerifier } from './verifier.js';

/** Replaceable and added parts of a gateway; the defaults suit every runtime. */
export interface CreateGatewayOptions {
  /** How requests reach the upstream. Default: `fetch` ({@link createFetchForwarder}). */
  readonly forwarder?: Forwarder;
  /** Where the per-request JSON lines go. Default: `console.log` when `config.logRequests`. */
  readonly logger?: RequestLogger;
  /** The cluster's key check. Default: built from the config ({@link createGatewayVerifier}). */
  readonly verifier?: KeyVerifier;
  /**
   * More credential verifiers (e.g. identity-provider tokens), asked before `verifier`; see
   * {@link CredentialVerifier}.
   */
  readonly credentials?: readonly CredentialVerifier[];
  /**
   * Middleware run after `qdrantAuth` allowed a request and before it is forwarded, in order,
   * e.g. revocation lists or rate limits reading `c.var.qdrantAuth`. Refuse by throwing an
   * `HTTPException` with the response to send; it is logged as `denied` with its message.
   */
  readonly afterAuth?: readonly MiddlewareHandler[];
  /**
   * Registers routes the gateway answers itself and never forwards (an admin API under
   * `/gateway/v1/*`, say): they run after CORS and the request log, before `qdrantAuth`, so
   * they must check their own callers.
   */
  readonly routes?: (app: Hono) => void;
  /** `fetch` used by the default forwarder and the `value_exists` checks. */
  readonly fetch?: typeof fetch;
  /**
   * HMAC-SHA256 the default verifier checks database keys with. Default: Web Crypto, on every
   * runtime. On Node and Bun pass `nodeHs256` from `@qdrant-kit/core/node` (synchronous,
   * several times faster per new token); `createNodeGateway` (`@qdrant-kit/hono/node`) does so
   * by default.
   */
  readonly hs256?: Hs256Provider;
  /** Path prefix to remove before matching, when the gateway is mounted under one. */
  readonly stripPrefix?: string;
  /**
   * The budget of upstream answers buffered to filter them, to share one between several
   * gateways in a process. Default: the gateway's own, of `config.filterBufferBytes`.
   */
  readonly filterBufferBudget?: ResponseBufferBudget;
}

/** The configured identity provider as a credential, its key-fetch failures logged once each. */
function oidcCredential(
  settings: OidcSettings,
  cache: VerifiedTokenCache,
  fetchImpl: typeof fetch | undefined,
): CredentialVerifier {
  const oidc = createOidcVerifier({
    issuer: settings.issuer,
    audience: settings.audiences,
    ...(settings.jwksUri === undefined ? {} : { jwksUri: settings.jwksUri }),
    ...(fetchImpl === undefined ? {} : { fetch: fetchImpl }),
    // At most one line per refresh interval (the cache's cooldown), naming no secret.
    onFetchError: (error) =>
      console.warn(
        JSON.stringify({
          time: new Date().toISOString(),
          event: 'oidc-keys',
          issuer: settings.issuer,
          error,
        }),
      ),
  });
  return createOidcCredentialVerifier({ oidc, access: settings.access, cache });
}

/**
 * The gateway's error handler: an `HTTPException` (a refusal) is answered with its response; any
 * other error is a bug in the gateway, answered 502 so it neither leaks a stack trace nor looks
 * like the cluster's own 500.
 */
export const gatewayErrorHandler: ErrorHandler = (error) =>
  error instanceof HTTPException
    ? error.getResponse()
    : qdrantErrorResponse(502, 'Bad Gateway: the gateway could not handle this request');

/**
 * Builds the whole gateway as a Hono app for one upstream cluster, a stack of middleware each
 * usable alone: {@link qdrantRequestLog} -> {@link qdrantCors} -> `routes` -> {@link qdrantAuth}
 * -> `afterAuth` -> {@link qdrantForward}, with {@link gatewayErrorHandler}. Mount it, or serve its
 * `fetch` on any runtime.
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
  if (
    config.oidc !== undefined &&
    (config.upstreamApiKey === undefined || config.upstreamApiKey === '')
  )
    throw new GatewayConfigError([
      'QDRANT_GATEWAY_OIDC_ISSUER needs QDRANT_UPSTREAM_API_KEY: the cluster cannot check identity-provider tokens, so the gateway must send its own key upstream',
    ]);
  // One verified-token cache for database keys and identity-provider tokens.
  const cache = createVerifiedTokenCache();
  const verifier =
    options.verifier ??
    createGatewayVerifier(config, { fetch: options.fetch, cache, hs256: options.hs256 });
  const credentials = [
    ...(config.oidc === undefined ? [] : [oidcCredential(config.oidc, cache, options.fetch)]),
    ...(options.credentials ?? []),
  ];
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

  const app = new Hono();
  // The log is outermost: it sees every answer, preflights included, and times the whole request.
  app.use(qdrantRequestLog(options.logger ?? (config.logRequests ? jsonLineLogger : silentLogger)));
  app.use(qdrantCors(config.corsOrigins));
  options.routes?.(app);
  app.use(
    qdrantAuth({
      verifier,
      credentials,
      maxBufferedBodyBytes: config.maxBufferedBodyBytes,
      stripPrefix: options.stripPrefix,
    }),
  );
  for (const middleware of options.afterAuth ?? []) app.use(middleware);
  app.all(
    '*',
    qdrantForward({
      forwarder,
      filterResponses: config.upstreamApiKey !== undefined,
      maxFilteredResponseBytes: config.maxFilteredResponseBytes,
      filterBufferBudget: options.filterBufferBudget ?? config.filterBufferBytes,
    }),
  );
  app.onError(gatewayErrorHandler);
  return app;
}
