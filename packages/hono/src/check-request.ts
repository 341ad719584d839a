import {
  type Access,
  authorize,
  isExemptPath,
  type KeyVerifier,
  type MatchedRoute,
  matchRoute,
  readDatabaseKey,
  redactKey,
} from '@qdrant-kit/core';
import { type BodyReadFailure, readScannedBody } from './body.js';
import {
  CLUSTER_ONLY_KEY_KINDS,
  type CredentialKind,
  type CredentialRefusal,
  type CredentialVerifier,
  type VerifiedCredential,
} from './credentials.js';
import { splitRequestTarget } from './request-target.js';
import { plainTextResponse, qdrantErrorResponse } from './responses.js';
import type { ForwardBody } from './upstream/forwarder.js';
import { upstreamPath } from './upstream/path.js';

/** What the gateway knows about a request it let through. */
export interface AuthorizedRequest {
  readonly ok: true;
  /** `allowed`: a key was checked; `exempt`: a path the cluster never checks; `unchecked`: auth is off. */
  readonly decision: 'allowed' | 'exempt' | 'unchecked';
  /**
   * The caller's raw path (still percent-encoded; repeated slashes merged, trailing ones
   * trimmed) plus its query: what goes upstream.
   */
  readonly pathAndQuery: string;
  readonly route: MatchedRoute | undefined;
  /** Every collection the request touches (path and body), as authorized. */
  readonly collections: readonly string[];
  /** What the verified credential grants; absent when none was checked (exempt path, auth off). */
  readonly access?: Access;
  readonly keyKind: CredentialKind | null;
  /** Redacted, safe to log. */
  readonly keyId: string | null;
  /**
   * Stable id of the credential (SHA-256 hex of the token, see {@link createCredentialIds}), for
   * revocation lists and rate limits; `null` when no credential was checked. Never log it.
   */
  readonly credentialId: string | null;
  /** The credential's subject (a JWT's `subject` claim), when it has one. */
  readonly subject?: string;
  /** When the credential expires, unix seconds (JWTs with `exp`). */
  readonly expiresAt?: number;
  /** Who issued the credential (an identity provider's `iss`), when a credential verifier says. */
  readonly issuer?: string;
  /**
   * What to forward as the body. `bytes` when the check had to read the body: forward those
   * bytes instead of reading the request again.
   */
  readonly body: ForwardBody;
}

/** A request the gateway answers itself, with the cluster's status and body. */
export interface RefusedRequest {
  readonly ok: false;
  readonly response: Response;
  readonly status: number;
  readonly reason: string;
  readonly route: MatchedRoute | undefined;
  readonly keyKind: CredentialKind | null;
  readonly keyId: string | null;
  /** Who issued the refused credential, when a credential verifier says (for the log). */
  readonly issuer?: string;
  /** Why a credential verifier refused it, in a word (for the log). */
  readonly detail?: string;
  /** The subject of a credential that was verified, then refused the route (for the log). */
  readonly subject?: string;
}

/** Outcome of {@link checkRequest}. */
export type RequestCheck = AuthorizedRequest | RefusedRequest;

/** Settings of {@link checkRequest}. */
export interface CheckRequestOptions {
  /** The cluster's own key check. */
  readonly verifier: KeyVerifier;
  /** Asked before `verifier`, in order; the first that does not answer `null` decides. */
  readonly credentials?: readonly CredentialVerifier[];
  /** Stable credential ids; see {@link createCredentialIds}. */
  readonly credentialId: (token: string) => string | Promise<string>;
  /** Largest body read to authorize a query; larger ones get 413. */
  readonly maxBufferedBodyBytes: number;
  /** A path prefix to remove before matching (when the gateway is mounted under one). */
  readonly stripPrefix?: string;
}

const NO_BODY: ForwardBody = { kind: 'none' };

// Decided from the method alone: touching `request.body` would make Node's adapter start a
// web stream over the socket, and the pooled forwarder could no longer pipe the socket itself.
function bodyToStream(request: Request): ForwardBody {
  return request.method === 'GET' || request.method === 'HEAD'
    ? NO_BODY
    : { kind: 'stream', stream: () => request.body };
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
 * Decides one request exactly as the cluster would: exempt paths (an exact set) pass
 * unchecked, then the credential is read and verified, then the route is authorized (reading the
 * body only when the decision depends on it). Never throws on hostile input.
 */
export async function checkRequest(
  request: Request,
  options: CheckRequestOptions,
  startedAt: number,
): Promise<RequestCheck> {
  const { rawPath, query } = splitRequestTarget(request.url, options.stripPrefix);
  const method = request.method;
  // One match per request: every decision below reads it. A path no route of this method
  // matches can still be exempt (exemption depends on the path alone, as on the cluster).
  const route = matchRoute(method, rawPath);

  if (route ? route.exempt : isExemptPath(rawPath)) {
    return {
      ok: true,
      decision: 'exempt',
      pathAndQuery: upstreamPath(rawPath) + query,
      route,
      collections: [],
      keyKind: null,
      keyId: null,
      credentialId: null,
      body: bodyToStream(request),
    };
  }

  const verifier = options.verifier;
  const credentials = options.credentials ?? [];
  if (!verifier.authEnabled && credentials.length === 0) {
    return {
      ok: true,
      decision: 'unchecked',
      pathAndQuery: upstreamPath(rawPath) + query,
      route,
      collections: route?.collection === undefined ? [] : [route.collection],
      keyKind: 'none',
      keyId: null,
      credentialId: null,
      body: bodyToStream(request),
    };
  }

  const token = readDatabaseKey(request.headers);
  const verified = await verifyCredential(request, token, credentials, verifier);
  if (!verified.ok) return refusedCredential(verified, route, token);

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
        ok: false,
        response: qdrantErrorResponse(status, reason, startedAt),
        status,
        reason,
        route,
        keyKind: verified.keyKind,
        keyId: verified.keyId,
        ...verifiedIdentity(verified),
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
      ok: false,
      response,
      status: decision.status,
      reason: decision.message,
      route,
      keyKind: verified.keyKind,
      keyId: verified.keyId,
      ...verifiedIdentity(verified),
    };
  }
  let credentialId: string | null = null;
  if (token !== undefined && verified.keyKind !== 'none') {
    const id = options.credentialId(token);
    credentialId = typeof id === 'string' ? id : await id;
  }
  const authorized: { -readonly [K in keyof AuthorizedRequest]: AuthorizedRequest[K] } = {
    ok: true,
    decision: 'allowed',
    pathAndQuery: upstreamPath(rawPath) + query,
    route: decision.route,
    collections: decision.collections,
    keyKind: verified.keyKind,
    keyId: verified.keyId,
    credentialId,
    body,
    access: verified.access,
  };
  if (verified.subject !== undefined) authorized.subject = verified.subject;
  if (verified.expiresAt !== undefined) authorized.expiresAt = verified.expiresAt;
  if (typeof verified.issuer === 'string') authorized.issuer = verified.issuer;
  return authorized;
}

/** The first answer of the additional verifiers that is not `null`, else the cluster's check. */
function verifyCredential(
  request: Request,
  token: string | undefined,
  credentials: readonly CredentialVerifier[],
  verifier: KeyVerifier,
): Promise<VerifiedCredential | CredentialRefusal> {
  // Without additional verifiers, no async step of its own: one promise less per request.
  if (token === undefined || credentials.length === 0) return verifier.verify(request.headers);
  return askCredentials(request, token, credentials, verifier);
}

async function askCredentials(
  request: Request,
  token: string,
  credentials: readonly CredentialVerifier[],
  verifier: KeyVerifier,
): Promise<VerifiedCredential | CredentialRefusal> {
  for (const credential of credentials) {
    const answer = await credential.verify(token);
    if (answer === null) continue;
    if (answer.ok && CLUSTER_ONLY_KEY_KINDS.has(answer.keyKind)) {
      // An admin key is never revoked nor rate limited, and `none` has no credential id at all:
      // a verifier naming its credentials so would put them beyond both.
      throw new TypeError(
        `a CredentialVerifier accepted a credential as "${answer.keyKind}", a key kind only the cluster's own key check gives`,
      );
    }
    return answer;
  }
  return verifier.verify(request.headers);
}

/** Issuer and subject of a verified credential, for the log line of a refused route. */
function verifiedIdentity(verified: VerifiedCredential): { issuer?: string; subject?: string } {
  const identity: { issuer?: string; subject?: string } = {};
  if (typeof verified.issuer === 'string') identity.issuer = verified.issuer;
  if (typeof verified.subject === 'string') identity.subject = verified.subject;
  return identity;
}

/** A credential refused by a verifier: the cluster's plain-text 401/403. */
function refusedCredential(
  refusal: CredentialRefusal,
  route: MatchedRoute | undefined,
  token: string | undefined,
): RefusedRequest {
  const refused: { -readonly [K in keyof RefusedRequest]: RefusedRequest[K] } = {
    ok: false,
    response: plainTextResponse(refusal.status, refusal.message),
    status: refusal.status,
    reason: refusal.message,
    route,
    keyKind: refusal.keyKind ?? null,
    keyId: token === undefined || token === '' ? null : redactKey(token),
  };
  if (refusal.issuer !== undefined) refused.issuer = refusal.issuer;
  if (refusal.detail !== undefined) refused.detail = refusal.detail;
  return refused;
}
