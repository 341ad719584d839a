import { collectionsInBody } from './body.js';
import { type BodyScan, isBodyScan, isForeignBodyScan } from './body-scan.js';
import {
  checkCollectionAccess,
  checkGlobalAccess,
  findGrant,
  missingCollectionMessage,
} from './checks.js';
import { type Access, type CollectionGrant, GLOBAL_MANAGE, GLOBAL_READ } from './model.js';
import type { Operation } from './operations.js';
import type { BodyLookups } from './requirements.js';
import { type MatchedRoute, matchRoute } from './router.js';

/** The request was allowed. */
export interface AuthorizeAllowed {
  readonly ok: true;
  /** The matched REST route; `undefined` for gRPC and for unknown paths under global manage. */
  readonly route: MatchedRoute | undefined;
  /** Every collection the request names: the addressed one first, then body lookups. */
  readonly collections: readonly string[];
}

/**
 * The request was refused; `message` is the cluster's error text (`Forbidden: ...` for 403).
 * 400 means the body is not one the cluster accepts where it names collections (the cluster
 * answers 400 in its JSON error shape), or the request could not be read at all.
 */
export interface AuthorizeDenied {
  readonly ok: false;
  readonly status: 400 | 403 | 404;
  readonly message: string;
}

/** Decision of {@link authorizeRequest} / `authorizeGrpc`. */
export type AuthorizeResult = AuthorizeAllowed | AuthorizeDenied;

/** A REST request to authorize: its method, raw path and, where the decision needs it, body. */
export interface AuthorizeRequestInput {
  readonly method: string;
  readonly path: string;
  /**
   * The body, needed only when the route has `bodyLookups` (`matchRoute(method, path)?.bodyLookups`):
   * a {@link BodyScan} of its bytes (`scanBody`, `BodyScanner`, `scanBodyStream`: read exactly as
   * the cluster's serde_json does, duplicate keys included), or the parsed JSON value. Bytes
   * themselves (`Uint8Array`, `ArrayBuffer`) are refused with 400: scan them first, so that only
   * apps that read bytes bundle the byte scanner. `undefined` means "no body", which the cluster
   * rejects with 400 before any lookup could happen.
   */
  readonly body?: unknown;
}

// Results are fresh objects: a caller may keep or change one without affecting the next.
const notFound = (): AuthorizeDenied => ({ ok: false, status: 404, message: 'Not Found' });
const unreadable = (): AuthorizeDenied => ({
  ok: false,
  status: 400,
  message: 'Bad request: the request could not be read',
});
/** What a malformed access grants: nothing. Only read, never handed out. */
const NO_ACCESS: Access = { kind: 'collections', collections: [] };

/**
 * Reads an `Access` defensively: anything malformed grants nothing. An access whose reading
 * throws (a Proxy, a throwing getter) is not "no grants": the throw reaches the caller's
 * catch, which refuses the request, so even routes open to every key are refused.
 */
function sane(access: Access): Access {
  if (typeof access !== 'object' || access === null) return NO_ACCESS;
  const kind = access.kind;
  if (kind === 'global') {
    const mode = access.mode;
    return mode === 'm' ? GLOBAL_MANAGE : GLOBAL_READ;
  }
  if (kind === 'collections') {
    const collections = access.collections;
    if (!Array.isArray(collections)) return NO_ACCESS;
    // A snapshot of plain grants, so the checks below read no caller-controlled object twice.
    const grants: CollectionGrant[] = [];
    for (const g of Array.from(collections as unknown[])) {
      const grant = (typeof g === 'object' && g !== null ? g : {}) as Record<string, unknown>;
      const name = grant.collection;
      const mode = grant.access;
      // A grant without a string name grants nothing (not the collection ""); body scans read
      // grants the same way (`grantedNames`), so they stop at the collection this refuses.
      if (typeof name !== 'string') continue;
      // An unknown mode grants the least (read).
      grants.push({ collection: name, access: mode === 'rw' || mode === 'prw' ? mode : 'r' });
    }
    return { kind: 'collections', collections: grants };
  }
  return NO_ACCESS;
}

/**
 * Reads `access.kind` once, throwing when the access cannot be read at all (a throwing getter,
 * a revoked proxy), so the deciders can refuse it instead of treating it as "no grants".
 */
export function readAccessKind(access: Access): unknown {
  return typeof access === 'object' && access !== null ? access.kind : undefined;
}

/** `Forbidden: <message>`, as the cluster's `StorageError::Forbidden` displays. */
export function forbidden(message: string): AuthorizeDenied {
  return { ok: false, status: 403, message: `Forbidden: ${message}` };
}

function withLookups(
  first: string | undefined,
  found: { readonly collections: readonly string[] } | undefined,
): readonly string[] {
  if (first === undefined && (!found || found.collections.length === 0)) return [];
  // A Set, not `includes` on an array: a body can name 10^5 distinct collections (quadratic).
  const all = new Set<string>(first === undefined ? [] : [first]);
  if (found) for (const name of found.collections) all.add(name);
  return [...all];
}

function badRequest(message: string): AuthorizeDenied {
  return { ok: false, status: 400, message };
}

/** The collections a request's body or message names, and the 400 to answer instead, if any. */
export interface BodyRead {
  readonly collections: readonly string[];
  /** REST: the cluster refuses the body before any access check (applies to collection keys). */
  readonly refusal?: AuthorizeDenied;
  /** gRPC: the message nests deeper than any the cluster accepts. */
  readonly tooDeep?: boolean;
}

/** Reads a REST body given as a scan of its bytes or as the parsed JSON value. */
function readRestBody(access: Access, kind: BodyLookups, body: unknown): BodyRead {
  if (isForeignBodyScan(body)) {
    return {
      collections: [],
      refusal: badRequest(
        'Bad request: the body is a copy of a scan, or a scan by another copy of @qdrant-kit/core',
      ),
    };
  }
  if (isBodyScan(body)) {
    if (body.kind !== kind || (body.access !== undefined && body.access !== access)) {
      return {
        collections: body.collections,
        refusal: badRequest('Bad request: the body was scanned for another route or key'),
      };
    }
    return body.error === undefined ? body : { collections: [], refusal: badRequest(body.error) };
  }
  // Bytes are no JSON value; read as one they would name nothing, so refuse them instead.
  if (ArrayBuffer.isView(body) || body instanceof ArrayBuffer) {
    return {
      collections: [],
      refusal: badRequest('Bad request: a body given as bytes must be scanned first (scanBody)'),
    };
  }
  const read = collectionsInBody(kind, body);
  return read.invalid === undefined
    ? read
    : { collections: [], refusal: badRequest(`Format error in JSON body: ${read.invalid}`) };
}

/**
 * Decides one operation. Shared by REST and gRPC so both give the same answer and message.
 * `collection` is the addressed collection (path parameter or request field); `body` what the
 * request's body or message names, when the operation has `bodyLookups` and a body was given.
 */
export function decideOperation(
  access: Access,
  operation: Operation,
  collection: string | undefined,
  body: BodyRead | undefined,
): { readonly denial?: AuthorizeDenied; readonly collections: readonly string[] } {
  const safe = sane(access);
  switch (operation.scope) {
    case 'exempt':
    case 'any':
      return { collections: withLookups(collection, undefined) };
    case 'global': {
      const denial = checkGlobalAccess(safe, operation.requirements);
      return denial
        ? { denial: forbidden(denial), collections: [] }
        : { collections: withLookups(collection, undefined) };
    }
    case 'collection': {
      const name = collection ?? '';
      // The cluster parses the body (400) before the handler checks any access. Only
      // collection-scoped keys are decided on the body; for others the cluster's 400 stands.
      if (body?.refusal && safe.kind === 'collections') {
        return { denial: body.refusal, collections: [] };
      }
      const denial = checkCollectionAccess(safe, name, operation.requirements);
      if (denial) return { denial: forbidden(denial), collections: [] };
      if (body && safe.kind === 'collections') {
        for (const lookup of body.collections) {
          if (!findGrant(safe.collections, lookup)) {
            return { denial: forbidden(missingCollectionMessage(lookup)), collections: [] };
          }
        }
        if (body.tooDeep) {
          return {
            denial: forbidden('Request is nested too deeply to authorize'),
            collections: [],
          };
        }
      }
      return { collections: withLookups(name, body) };
    }
    default:
      return { denial: notFound(), collections: [] };
  }
}

/**
 * Decides whether a key with `access` may make this REST request, exactly as a Qdrant v1.19
 * cluster would once the key is accepted: same checks, same order, same `Forbidden: ...` text.
 *
 * - Exempt paths (`/`, `/healthz`, `/livez`, `/readyz`) and list endpoints always pass.
 * - Unknown routes pass only for global manage (`route: undefined`; the cluster answers 404),
 *   otherwise `{ status: 404, message: 'Not Found' }`.
 * - For queries that can read other collections (`matchRoute(method, path)?.bodyLookups`), pass
 *   the `body`, parsed or as a scan of its bytes; each collection it names must be in a
 *   collection-scoped key.
 *
 * Synchronous and total: never throws, whatever the input.
 *
 * @example
 * authorizeRequest({ kind: 'collections', collections: [{ collection: 'docs', access: 'r' }] },
 *   { method: 'PUT', path: '/collections/docs/points' })
 * // { ok: false, status: 403, message: 'Forbidden: Write access to collection docs is required' }
 */
export function authorizeRequest(access: Access, request: AuthorizeRequestInput): AuthorizeResult {
  try {
    // Each field is read once: a Proxy or a getter cannot answer differently to two checks.
    let method: unknown;
    let path: unknown;
    let body: unknown;
    if (typeof request === 'object' && request !== null) {
      method = request.method;
      path = request.path;
      body = request.body;
    }
    return authorize(access, matchRoute(method as string, path as string), body);
  } catch {
    return unreadable();
  }
}

/**
 * Decides a REST request already matched by `matchRoute` (match once per request, then decide):
 * the same decision as {@link authorizeRequest} for that method and path. `match` is
 * `undefined` for a request no route matches (passes only for global manage; otherwise 404).
 * `body` is needed only when `match.bodyLookups` is set, in the forms `authorizeRequest` takes.
 * Synchronous and total: never throws, whatever the input.
 */
export function authorize(
  access: Access,
  match: MatchedRoute | undefined,
  body?: unknown,
): AuthorizeResult {
  try {
    // An access that cannot even be read throws here: refused, even where any key passes.
    readAccessKind(access);
    if (!match) {
      const safe = sane(access);
      return safe.kind === 'global' && safe.mode === 'm'
        ? { ok: true, route: undefined, collections: [] }
        : notFound();
    }
    const kind = match.route.bodyLookups;
    const read = kind && body !== undefined ? readRestBody(access, kind, body) : undefined;
    const { denial, collections } = decideOperation(access, match.route, match.collection, read);
    return denial ?? { ok: true, route: match, collections };
  } catch {
    return unreadable();
  }
}
