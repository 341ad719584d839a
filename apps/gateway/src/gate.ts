import {
  type Access,
  authorize,
  isExemptPath,
  type KeyKind,
  type KeyVerifier,
  type MatchedRoute,
  matchRoute,
  readDatabaseKey,
  redactKey,
} from '@qdrant-kit/core';
import { type BodyReadFailure, readScannedBody } from './body.js';
import type { GatewayDecision } from './log.js';
import { plainTextResponse, qdrantErrorResponse } from './responses.js';
import { splitRequestTarget } from './request-target.js';
import type { ForwardBody } from './upstream/forwarder.js';
import { upstreamPath } from './upstream/path.js';

/** What the gateway knows about a request it let through. */
export interface GatePass {
  readonly kind: 'pass';
  readonly decision: Exclude<GatewayDecision, 'denied' | 'preflight'>;
  /** The caller's raw path (slashes merged) plus its query: what goes upstream. */
  readonly pathAndQuery: string;
  readonly route: MatchedRoute | undefined;
  /** Every collection the request touches (path and body), as authorized. */
  readonly collections: readonly string[];
  readonly keyKind: KeyKind | null;
  readonly keyId: string | null;
  readonly body: ForwardBody;
  /** What the verified key grants; absent when no key was checked (exempt path, auth off). */
  readonly access?: Access;
}

/** A request the gateway answers itself, with the cluster's status and body. */
export interface GateDenial {
  readonly kind: 'deny';
  readonly response: Response;
  readonly status: number;
  readonly reason: string;
  readonly route: MatchedRoute | undefined;
  readonly keyKind: KeyKind | null;
  readonly keyId: string | null;
}

/** Outcome of {@link checkRequest}. */
export type GateOutcome = GatePass | GateDenial;

/** Settings of {@link checkRequest}. */
export interface GateOptions {
  readonly verifier: KeyVerifier;
  /** Largest body read to authorize a query; larger ones get 413. */
  readonly maxBufferedBodyBytes: number;
  /** A path prefix to remove before matching (when the gateway is mounted under one). */
  readonly stripPrefix?: string;
}

const NO_BODY: ForwardBody = { kind: 'none' };
const STREAM_BODY: ForwardBody = { kind: 'stream' };

// Decided from the method alone: touching `request.body` would make Node's adapter start a
// web stream over the socket, and the pooled forwarder could no longer pipe the socket itself.
function bodyToStream(request: Request): ForwardBody {
  return request.method === 'GET' || request.method === 'HEAD' ? NO_BODY : STREAM_BODY;
}

function bodyRefusal(reason: BodyReadFailure, limit: number): { status: number; reason: string } {
  switch (reason) {
    case 'too-large':
      return {
        status: 413,
        reason: `Payload too large: request bodies of this route are limited to ${limit} bytes by the gateway`,
      };
    case 'unsupported-encoding':
      return {
        status: 415,
        reason:
          'Unsupported Content-Encoding: the gateway reads gzip, deflate or identity bodies on routes whose body names collections',
      };
    default:
      return { status: 400, reason: 'Bad request: the request body could not be read' };
  }
}

/**
 * Decides one request exactly as the cluster would: exempt paths pass unchecked, then the key
 * is read and verified, then the route is authorized (reading the body only when the decision
 * depends on it). Never throws on hostile input.
 */
export async function checkRequest(
  request: Request,
  options: GateOptions,
  startedAt: number,
): Promise<GateOutcome> {
  const { rawPath, query } = splitRequestTarget(request.url, options.stripPrefix);
  const method = request.method;
  // One match per request: every decision below reads it. A path no route of this method
  // matches can still be exempt (exemption depends on the path alone, as on the cluster).
  const route = matchRoute(method, rawPath);

  if (route ? route.exempt : isExemptPath(rawPath)) {
    return {
      kind: 'pass',
      decision: 'exempt',
      pathAndQuery: upstreamPath(rawPath) + query,
      route,
      collections: [],
      keyKind: null,
      keyId: null,
      body: bodyToStream(request),
    };
  }

  const verifier = options.verifier;
  if (!verifier.authEnabled) {
    return {
      kind: 'pass',
      decision: 'unchecked',
      pathAndQuery: upstreamPath(rawPath) + query,
      route,
      collections: route?.collection === undefined ? [] : [route.collection],
      keyKind: 'none',
      keyId: null,
      body: bodyToStream(request),
    };
  }

  const verified = await verifier.verify(request.headers);
  if (!verified.ok) {
    const key = readDatabaseKey(request.headers);
    return {
      kind: 'deny',
      response: plainTextResponse(verified.status, verified.message),
      status: verified.status,
      reason: verified.message,
      route,
      keyKind: null,
      keyId: key === undefined || key === '' ? null : redactKey(key),
    };
  }

  let body: ForwardBody = bodyToStream(request);
  let scannedBody: unknown;
  // Global tokens may read every collection, so only collection-scoped ones need the body.
  const lookups =
    verified.access.kind === 'collections' && body.kind === 'stream'
      ? route?.bodyLookups
      : undefined;
  if (lookups !== undefined) {
    const read = await readScannedBody(
      request,
      lookups,
      verified.access,
      options.maxBufferedBodyBytes,
    );
    if (!read.ok) {
      const { status, reason } = bodyRefusal(read.reason, options.maxBufferedBodyBytes);
      return {
        kind: 'deny',
        response: qdrantErrorResponse(status, reason, startedAt),
        status,
        reason,
        route,
        keyKind: verified.keyKind,
        keyId: verified.keyId,
      };
    }
    // The bytes go upstream as they came (still compressed); the decision used their content.
    body = { kind: 'bytes', bytes: read.bytes };
    // An empty body names nothing; the cluster answers it with 400 itself.
    scannedBody = read.scan.empty ? undefined : read.scan;
  }

  const decision = authorize(verified.access, route, scannedBody);
  if (!decision.ok) {
    // Snapshot uploads are refused before their multipart body is read, in plain text.
    const response =
      decision.status !== 404 && route?.route.plainTextDenial !== true
        ? qdrantErrorResponse(decision.status, decision.message, startedAt)
        : plainTextResponse(decision.status, decision.message);
    return {
      kind: 'deny',
      response,
      status: decision.status,
      reason: decision.message,
      route,
      keyKind: verified.keyKind,
      keyId: verified.keyId,
    };
  }
  return {
    kind: 'pass',
    decision: 'allowed',
    pathAndQuery: upstreamPath(rawPath) + query,
    route: decision.route,
    collections: decision.collections,
    keyKind: verified.keyKind,
    keyId: verified.keyId,
    body,
    access: verified.access,
  };
}
