import { decodePathParam, normalisePath } from './normalise.js';
import type { BodyLookups } from './requirements.js';
import { type RestRoute, routeTable } from './routes.js';

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
  /** Whether the cluster skips the key check for this request (see {@link isExemptPath}). */
  readonly exempt: boolean;
  /**
   * Set when the body can name collections besides {@link MatchedRoute.collection}
   * (`lookup_from`, `with_lookup`, prefetch): the body shape, to scan its bytes with (`scanBody`,
   * `BodyScanner`, `scanBodyStream`) or to read the parsed body as. Absent: the decision never
   * depends on the body.
   */
  readonly bodyLookups?: BodyLookups;
}

interface TrieNode {
  /** Static children as `[segment, node]`: few per node, so a scan with `startsWith` beats a Map. */
  readonly children: Array<readonly [string, TrieNode]>;
  param: TrieNode | undefined;
  route: RestRoute | undefined;
  /** For a route leaf: the parameter names, in path order. */
  paramNames: readonly string[];
}

function newNode(): TrieNode {
  return { children: [], param: undefined, route: undefined, paramNames: [] };
}

function splitSegments(pattern: string): string[] {
  return pattern === '/' ? [] : pattern.slice(1).split('/');
}

// One segment trie per method, built on first use. Static children are tried before the parameter
// child; both are tried (backtracking) because a static segment may lead nowhere for a method
// (`GET /collections/aliases` is `get_collection("aliases")`). No two routes of one method match
// the same path (checked by a test), so the order actix would use makes no difference.
// Matching walks the path string by offsets: no split, no per-segment strings except parameters.
let tries: Map<string, TrieNode> | undefined;

function buildTries(): Map<string, TrieNode> {
  const built = new Map<string, TrieNode>();
  for (const route of routeTable()) {
    let node: TrieNode | undefined = built.get(route.method);
    if (!node) {
      node = newNode();
      built.set(route.method, node);
    }
    for (const segment of splitSegments(route.pattern)) {
      if (segment.startsWith('{')) {
        node.param ??= newNode();
        node = node.param;
      } else {
        let child: TrieNode | undefined = node.children.find(([name]) => name === segment)?.[1];
        if (!child) {
          child = newNode();
          node.children.push([segment, child]);
        }
        node = child;
      }
    }
    node.route = route;
    node.paramNames = route.params;
  }
  return built;
}

/**
 * Matches `path` from offset `pos` (just after a `/`, or `path.length` at the end). `bounds`
 * collects `[start, end]` offsets of parameter segments; it is truncated again on backtracking.
 */
function walk(node: TrieNode, path: string, pos: number, bounds: number[]): TrieNode | undefined {
  if (pos >= path.length) return node.route ? node : undefined;
  let end = path.indexOf('/', pos);
  if (end === -1) end = path.length;
  const next = end + 1;
  const length = end - pos;
  for (const [name, child] of node.children) {
    if (name.length === length && path.startsWith(name, pos)) {
      const found = walk(child, path, next, bounds);
      if (found) return found;
      break;
    }
  }
  // actix's default segment pattern `[^/]+` never matches an empty segment.
  if (node.param && length > 0) {
    const mark = bounds.length;
    bounds.push(pos, end);
    const found = walk(node.param, path, next, bounds);
    if (found) return found;
    bounds.length = mark;
  }
  return undefined;
}

const EXEMPT_PATHS = new Set(['/', '/healthz', '/readyz', '/livez']);

function buildMatch(leaf: TrieNode, path: string, bounds: readonly number[]): MatchedRoute {
  const route = leaf.route as RestRoute;
  const params: Record<string, string> = {};
  let collection: string | undefined;
  const names = leaf.paramNames;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const value = decodePathParam(path.slice(bounds[2 * i], bounds[2 * i + 1]));
    params[name] = value;
    if (name === route.collectionParam) collection = value;
  }
  return {
    route,
    pattern: route.pattern,
    path,
    params,
    ...(collection === undefined ? {} : { collection }),
    exempt: EXEMPT_PATHS.has(path),
    ...(route.bodyLookups === undefined ? {} : { bodyLookups: route.bodyLookups }),
  };
}

/**
 * Finds the REST route for a method and a raw request path (normalised first, as the cluster
 * does), with everything a decision needs: the route, its collection, whether the path is
 * exempt and which body shape can name other collections. Match once per request and pass the
 * result to `authorize`. `undefined` when no route matches: the cluster answers such requests
 * with 404 — after authentication, unless the path itself is exempt (see {@link isExemptPath}).
 */
export function matchRoute(method: string, path: string): MatchedRoute | undefined {
  if (typeof method !== 'string') return undefined;
  tries ??= buildTries();
  const root = tries.get(method);
  if (!root) return undefined;
  const normalised = normalisePath(path);
  if (normalised.charCodeAt(0) !== 47) return undefined;
  const bounds: number[] = [];
  // The root `/` has no segment at all; every other path starts its first segment at offset 1.
  const leaf =
    normalised.length === 1 ? (root.route ? root : undefined) : walk(root, normalised, 1, bounds);
  return leaf ? buildMatch(leaf, normalised, bounds) : undefined;
}

/**
 * Whether the cluster skips the key check for this path: the normalised path is `/`,
 * `/healthz`, `/readyz` or `/livez`. Like upstream, the decision is on the matched resource
 * pattern, whatever the method (`POST /healthz` is not authenticated either; it gets a 404
 * from the cluster), so it takes no method. A route found by {@link matchRoute} carries the
 * same answer in `exempt`; this is for requests no route of their method matches.
 * `/dashboard` (web UI) is not modelled: a gateway does not serve it.
 */
export function isExemptPath(path: string): boolean {
  return EXEMPT_PATHS.has(normalisePath(path));
}

/**
 * Whether the authorization decision for this request depends on its JSON body: queries that
 * can name other collections (`lookup_from`, `with_lookup`, nested `prefetch`). Prefer
 * `matchRoute(method, path)?.bodyLookups`, which needs no second match.
 */
export function requestNeedsBody(method: string, path: string): boolean {
  return matchRoute(method, path)?.bodyLookups !== undefined;
}
