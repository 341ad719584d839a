import { type Access, authorizeRequest, type RestRoute, restRoutes } from '@qdrant-kit/core';

/**
 * The operations of a cluster as the docs present them: one per entry of core's `restRoutes`
 * (never a list of our own), each with a concrete example path so `authorizeRequest` can
 * decide it exactly as the gateway would.
 */
export interface Operation {
  readonly route: RestRoute;
  readonly method: string;
  readonly pattern: string;
  /** True when the operation acts on the collection named in its path. */
  readonly onCollection: boolean;
  /** A request path for this operation on `collection` (path parameters filled in). */
  examplePath(collection: string): string;
}

/** One decision of `authorizeRequest`, reduced to what a table cell shows. */
export interface Verdict {
  readonly allowed: boolean;
  /** `Allowed` or the cluster's refusal text (`Forbidden: ...`). */
  readonly message: string;
}

// Numeric path parameters get a number so the route matches; the rest a readable placeholder.
const numericParameters = new Set(['shard', 'shard_id', 'peer_id', 'id', 'point_id']);

function fillPattern(pattern: string, collectionParameter: string | undefined, collection: string) {
  return pattern.replace(/\{([^}]+)\}/g, (_whole, name: string) => {
    if (name === collectionParameter) return encodeURIComponent(collection);
    return numericParameters.has(name) ? '1' : `example-${name.replace(/_/g, '-')}`;
  });
}

function toOperation(route: RestRoute): Operation {
  const collectionParameter = route.collectionParam;
  return {
    route,
    method: route.method,
    pattern: route.pattern,
    onCollection: collectionParameter !== undefined,
    examplePath: (collection) => fillPattern(route.pattern, collectionParameter, collection),
  };
}

/** Every REST operation, in the order of the route table: path, then method. */
export const operations: readonly Operation[] = restRoutes
  .map(toOperation)
  .sort((a, b) => a.pattern.localeCompare(b.pattern) || a.method.localeCompare(b.method));

/** Decides one operation for one access on one collection. */
export function decide(access: Access, operation: Operation, collection: string): Verdict {
  const decision = authorizeRequest(access, {
    method: operation.method,
    path: operation.examplePath(collection),
  });
  return decision.ok
    ? { allowed: true, message: 'Allowed' }
    : { allowed: false, message: decision.message };
}

/** The first path segment after the version-free root: `collections`, `cluster`, `snapshots`... */
export function operationGroup(operation: Operation): string {
  if (operation.onCollection) {
    const rest = operation.pattern.split('/').slice(3);
    const first = rest[0];
    if (first === undefined) return 'Collections';
    if (first === 'points' || first === 'facet') return 'Points';
    if (first === 'snapshots' || first === 'shards') return 'Snapshots and shards';
    return 'Collection settings';
  }
  const first = operation.pattern.split('/')[1] ?? '';
  if (first === 'collections' || first === 'aliases') return 'Collections';
  if (first === 'cluster') return 'Cluster';
  if (first === 'snapshots') return 'Snapshots and shards';
  return 'Service';
}

/** Order in which the groups of {@link operationGroup} are shown. */
export const GROUP_ORDER = [
  'Points',
  'Collections',
  'Collection settings',
  'Snapshots and shards',
  'Cluster',
  'Service',
] as const;

/** Splits items into the groups of their operation, in {@link GROUP_ORDER}. */
export function groupByOperation<Item extends { readonly operation: Operation }>(
  items: readonly Item[],
): [string, Item[]][] {
  const byGroup = new Map<string, Item[]>();
  for (const item of items) {
    const group = operationGroup(item.operation);
    const list = byGroup.get(group) ?? [];
    list.push(item);
    byGroup.set(group, list);
  }
  const rank = (group: string) => {
    const index = (GROUP_ORDER as readonly string[]).indexOf(group);
    return index < 0 ? GROUP_ORDER.length : index;
  };
  return [...byGroup].sort(([a], [b]) => rank(a) - rank(b));
}

/** `search_points` → `search points`: the upstream operation name, readable. */
export function operationTitle(operation: Operation): string {
  return operation.route.action.replace(/_/g, ' ');
}

/** `METHOD pattern`, the stable identity of an operation (used as a DOM key and in tests). */
export function operationId(operation: Operation): string {
  return `${operation.method} ${operation.pattern}`;
}
