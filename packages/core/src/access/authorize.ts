import { type BodyCollections, collectionsInBody, GRPC_MESSAGE, REST_BODY } from './body.js';
import {
  checkCollectionAccess,
  checkGlobalAccess,
  findGrant,
  missingCollectionMessage,
} from './checks.js';
import type { Access } from './model.js';
import type { AccessRequirements, BodyLookups, OperationScope } from './requirements.js';
import { type MatchedRoute, matchRoute } from './router.js';

/** An operation to decide, whatever the transport. */
interface Operation {
  readonly scope: OperationScope;
  readonly requirements: AccessRequirements;
  readonly bodyLookups?: BodyLookups;
}

/** The request was allowed. */
export interface AuthorizeAllowed {
  readonly ok: true;
  /** The matched REST route; `undefined` for gRPC and for unknown paths under global manage. */
  readonly route: MatchedRoute | undefined;
  /** Every collection the request names: the addressed one first, then body lookups. */
  readonly collections: readonly string[];
}

/** The request was refused; `message` is the cluster's error text (`Forbidden: ...` for 403). */
export interface AuthorizeDenied {
  readonly ok: false;
  readonly status: 403 | 404;
  readonly message: string;
}

/** Decision of {@link authorizeRequest} / `authorizeGrpc`. */
export type AuthorizeResult = AuthorizeAllowed | AuthorizeDenied;

/** A REST request to authorize. `body` is the parsed JSON body (see `requestNeedsBody`). */
export interface AuthorizeRequestInput {
  readonly method: string;
  readonly path: string;
  /**
   * Parsed JSON body. Needed only when `requestNeedsBody(method, path)` is true; `undefined`
   * means "no body", which the cluster rejects with 400 before any lookup could happen.
   */
  readonly body?: unknown;
}

const NOT_FOUND: AuthorizeDenied = Object.freeze({ ok: false, status: 404, message: 'Not Found' });
const NO_ACCESS: Access = Object.freeze({ kind: 'collections', collections: Object.freeze([]) });
const EMPTY: readonly string[] = Object.freeze([]);

/** Reads an `Access` defensively: anything malformed grants nothing rather than throwing. */
function sane(access: Access): Access {
  if (typeof access !== 'object' || access === null) return NO_ACCESS;
  if (access.kind === 'global') return access;
  if (access.kind === 'collections' && Array.isArray(access.collections)) return access;
  return NO_ACCESS;
}

/** `Forbidden: <message>`, as the cluster's `StorageError::Forbidden` displays. */
export function forbidden(message: string): AuthorizeDenied {
  return { ok: false, status: 403, message: `Forbidden: ${message}` };
}

function withLookups(
  first: string | undefined,
  found: BodyCollections | undefined,
): readonly string[] {
  if (first === undefined && (!found || found.collections.length === 0)) return EMPTY;
  const all: string[] = first === undefined ? [] : [first];
  if (found) {
    for (const name of found.collections) if (!all.includes(name)) all.push(name);
  }
  return all;
}

/**
 * Decides one operation. Shared by REST and gRPC so both give the same answer and message.
 * `collection` is the addressed collection (path parameter or request field).
 */
export function decideOperation(
  access: Access,
  operation: Operation,
  collection: string | undefined,
  body: unknown,
  grpc: boolean,
): { readonly denial?: AuthorizeDenied; readonly collections: readonly string[] } {
  const safe = sane(access);
  switch (operation.scope) {
    case 'exempt':
    case 'any':
      return { collections: withLookups(collection, undefined) };
    case 'global': {
      const denial = checkGlobalAccess(safe, operation.requirements);
      return denial
        ? { denial: forbidden(denial), collections: EMPTY }
        : { collections: withLookups(collection, undefined) };
    }
    case 'collection': {
      const name = collection ?? '';
      const denial = checkCollectionAccess(safe, name, operation.requirements);
      if (denial) return { denial: forbidden(denial), collections: EMPTY };
      const found =
        operation.bodyLookups && body !== undefined
          ? collectionsInBody(operation.bodyLookups, body, grpc ? GRPC_MESSAGE : REST_BODY)
          : undefined;
      if (found && safe.kind === 'collections') {
        for (const lookup of found.collections) {
          if (!findGrant(safe.collections, lookup)) {
            return { denial: forbidden(missingCollectionMessage(lookup)), collections: EMPTY };
          }
        }
        if (found.tooDeep) {
          return {
            denial: forbidden('Request is nested too deeply to authorize'),
            collections: EMPTY,
          };
        }
      }
      return { collections: withLookups(name, found) };
    }
    default:
      return { denial: NOT_FOUND, collections: EMPTY };
  }
}

/**
 * Decides whether a key with `access` may make this REST request, exactly as a Qdrant v1.19
 * cluster would once the key is accepted: same checks, same order, same `Forbidden: ...` text.
 *
 * - Exempt paths (`/`, `/healthz`, `/livez`, `/readyz`) and list endpoints always pass.
 * - Unknown routes pass only for global manage (`route: undefined`; the cluster answers 404),
 *   otherwise `{ status: 404, message: 'Not Found' }`.
 * - For queries that can read other collections, pass the parsed JSON `body`
 *   (see `requestNeedsBody`); each named collection must be in a collection-scoped key.
 *
 * Synchronous and total: never throws, whatever the input.
 *
 * @example
 * authorizeRequest({ kind: 'collections', collections: [{ collection: 'docs', access: 'r' }] },
 *   { method: 'PUT', path: '/collections/docs/points' })
 * // { ok: false, status: 403, message: 'Forbidden: Write access to collection docs is required' }
 */
export function authorizeRequest(access: Access, request: AuthorizeRequestInput): AuthorizeResult {
  const method = typeof request === 'object' && request !== null ? request.method : undefined;
  const path = typeof request === 'object' && request !== null ? request.path : undefined;
  const matched = matchRoute(method as string, path as string);
  if (!matched) {
    const safe = sane(access);
    return safe.kind === 'global' && safe.mode === 'm'
      ? { ok: true, route: undefined, collections: EMPTY }
      : NOT_FOUND;
  }
  const { denial, collections } = decideOperation(
    access,
    matched.route,
    matched.collection,
    (request as AuthorizeRequestInput).body,
    false,
  );
  return denial ?? { ok: true, route: matched, collections };
}
