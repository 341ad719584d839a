// Collections a gRPC request names besides its `collection_name`, read from the snapshot that
// `readGrpcRequest` makes (plain objects, snake_case fields, only the lookup fields), in the
// order the cluster checks them (`lib/storage/src/rbac/ops_checks.rs`): `lookup_from`, then each
// `prefetch` depth-first, then `with_lookup`; batches entry by entry.
import type { BodyLookups } from './requirements.js';

/**
 * Nesting beyond this cannot come from a message the cluster accepts; `readGrpcRequest` already
 * refuses it, and past it this walk stops and reports `tooDeep` so the caller refuses too.
 */
const MAX_PREFETCH_DEPTH = 128;

/** The collections a gRPC request message names, in check order. */
export interface GrpcBodyCollections {
  readonly collections: readonly string[];
  readonly tooDeep: boolean;
}

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function present(object: Node, name: string): unknown {
  if (!Object.hasOwn(object, name)) return undefined;
  const value = object[name];
  return value === null ? undefined : value;
}

function nameIn(value: unknown, field: string): string | undefined {
  if (!isNode(value)) return undefined;
  const name = present(value, field);
  return typeof name === 'string' ? name : undefined;
}

class Collector {
  readonly collections: string[] = [];
  tooDeep = false;

  lookupFrom(request: Node): void {
    const name = nameIn(present(request, 'lookup_from'), 'collection_name');
    if (name !== undefined) this.collections.push(name);
  }

  withLookup(request: Node): void {
    const name = nameIn(present(request, 'with_lookup'), 'collection');
    if (name !== undefined) this.collections.push(name);
  }

  /** Query: own `lookup_from`, then prefetches depth-first, without recursion on the JS stack. */
  query(request: Node): void {
    this.lookupFrom(request);
    const stack: Array<{ node: Node; depth: number }> = [];
    this.pushPrefetches(stack, request, 1);
    while (stack.length > 0) {
      const { node, depth } = stack.pop() as { node: Node; depth: number };
      this.lookupFrom(node);
      if (depth >= MAX_PREFETCH_DEPTH) {
        if (present(node, 'prefetch') !== undefined) this.tooDeep = true;
        continue;
      }
      this.pushPrefetches(stack, node, depth + 1);
    }
  }

  private pushPrefetches(stack: Array<{ node: Node; depth: number }>, node: Node, depth: number) {
    const list = present(node, 'prefetch');
    if (!Array.isArray(list)) return;
    // Reverse so the first prefetch is visited first.
    for (let i = list.length - 1; i >= 0; i--) {
      const item: unknown = list[i];
      if (isNode(item)) stack.push({ node: item, depth });
    }
  }

  single(kind: BodyLookups, request: unknown): void {
    if (!isNode(request)) return;
    switch (kind) {
      case 'recommend':
      case 'recommend-batch':
      case 'discover':
      case 'discover-batch':
        this.lookupFrom(request);
        return;
      case 'query':
      case 'query-batch':
        this.query(request);
        return;
      case 'recommend-groups':
        this.lookupFrom(request);
        this.withLookup(request);
        return;
      case 'query-groups':
        this.query(request);
        this.withLookup(request);
        return;
      case 'search-groups':
        this.withLookup(request);
        return;
    }
  }
}

const BATCH_FIELDS: Partial<Record<BodyLookups, string>> = {
  'recommend-batch': 'recommend_points',
  'discover-batch': 'discover_points',
  'query-batch': 'query_points',
};

/** Lists the collections a gRPC request snapshot (see `readGrpcRequest`) names for lookups. */
export function collectionsInGrpcMessage(kind: BodyLookups, body: unknown): GrpcBodyCollections {
  const collector = new Collector();
  const batch = BATCH_FIELDS[kind];
  if (batch === undefined) collector.single(kind, body);
  else if (isNode(body)) {
    const list = present(body, batch);
    if (Array.isArray(list)) for (const request of list) collector.single(kind, request);
  }
  return { collections: collector.collections, tooDeep: collector.tooDeep };
}
