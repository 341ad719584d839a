import { decodePathParam, normalisePath } from './normalise.js';
import { type RestRoute, restRoutes } from './routes.js';

/** A route matched against a request path. */
export interface MatchedRoute {
  readonly route: RestRoute;
  /** The route's pattern, e.g. `/collections/{collection_name}/points/search`. */
  readonly pattern: string;
  /** The normalised path that matched (see {@link normalisePath}). */
  readonly path: string;
  /** Path parameters, fully percent-decoded as the cluster's handlers see them. */
  readonly params: Readonly<Record<string, string>>;
  /** The collection named in the path, when the route has one. */
  readonly collection?: string;
}

interface TrieNode {
  readonly children: Map<string, TrieNode>;
  param: TrieNode | undefined;
  route: RestRoute | undefined;
}

function newNode(): TrieNode {
  return { children: new Map(), param: undefined, route: undefined };
}

function splitSegments(pattern: string): string[] {
  return pattern === '/' ? [] : pattern.slice(1).split('/');
}

// One segment trie per method, built once. Static children are tried before the parameter
// child; both are tried (backtracking) because a static segment may lead nowhere for a method
// (`GET /collections/aliases` is `get_collection("aliases")`). No two routes of one method match
// the same path (checked by a test), so the order actix would use makes no difference.
const tries = new Map<string, TrieNode>();
let maxDepth = 0;
for (const route of restRoutes) {
  let node = tries.get(route.method);
  if (!node) {
    node = newNode();
    tries.set(route.method, node);
  }
  const segments = splitSegments(route.pattern);
  maxDepth = Math.max(maxDepth, segments.length);
  for (const segment of segments) {
    if (segment.startsWith('{')) {
      node.param ??= newNode();
      node = node.param;
    } else {
      let child = node.children.get(segment);
      if (!child) {
        child = newNode();
        node.children.set(segment, child);
      }
      node = child;
    }
  }
  node.route = route;
}

function walk(node: TrieNode, segments: readonly string[], index: number): RestRoute | undefined {
  if (index === segments.length) return node.route;
  const segment = segments[index] as string;
  const child = node.children.get(segment);
  if (child) {
    const found = walk(child, segments, index + 1);
    if (found) return found;
  }
  // actix's default segment pattern `[^/]+` never matches an empty segment.
  if (node.param && segment.length > 0) return walk(node.param, segments, index + 1);
  return undefined;
}

function buildMatch(route: RestRoute, path: string, segments: readonly string[]): MatchedRoute {
  const params: Record<string, string> = {};
  if (route.params.length > 0) {
    const patternSegments = splitSegments(route.pattern);
    for (let i = 0; i < patternSegments.length; i++) {
      const name = patternSegments[i] as string;
      if (name.charCodeAt(0) === 123)
        params[name.slice(1, -1)] = decodePathParam(segments[i] as string);
    }
  }
  const collection = route.collectionParam ? params[route.collectionParam] : undefined;
  return {
    route,
    pattern: route.pattern,
    path,
    params,
    ...(collection !== undefined ? { collection } : {}),
  };
}

function segmentsOf(path: string): string[] | undefined {
  if (path.charCodeAt(0) !== 47) return undefined;
  if (path.length === 1) return [];
  const segments = path.slice(1).split('/');
  return segments.length > maxDepth ? undefined : segments;
}

/**
 * Finds the REST route for a method and a raw request path (normalised first, as the cluster
 * does). `undefined` when no route matches: the cluster answers such requests with 404 — after
 * authentication, since unknown paths are never exempt.
 */
export function matchRoute(method: string, path: string): MatchedRoute | undefined {
  if (typeof method !== 'string') return undefined;
  const root = tries.get(method);
  if (!root) return undefined;
  const normalised = normalisePath(path);
  const segments = segmentsOf(normalised);
  if (!segments) return undefined;
  const route = walk(root, segments, 0);
  return route ? buildMatch(route, normalised, segments) : undefined;
}

const EXEMPT_PATHS = new Set(['/', '/healthz', '/readyz', '/livez']);

/**
 * Whether the cluster skips the key check for this request: the normalised path matches `/`,
 * `/healthz` or a route under `/readyz` or `/livez`. Like upstream, the decision is on the
 * matched route pattern, whatever the method (`POST /healthz` is not authenticated either; it
 * gets a 404), and a path that matches no route is never exempt. `/dashboard` (web UI) is not
 * modelled: a gateway does not serve it.
 */
export function isExemptPath(method: string, path: string): boolean {
  void method;
  return EXEMPT_PATHS.has(normalisePath(path));
}

/**
 * Whether the authorization decision for this request depends on its JSON body: queries that
 * can name other collections (`lookup_from`, `with_lookup`, nested `prefetch`). Parse the body
 * and pass it to `authorizeRequest` only when this is true.
 */
export function requestNeedsBody(method: string, path: string): boolean {
  return matchRoute(method, path)?.route.bodyLookups !== undefined;
}
