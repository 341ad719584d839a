// Collections a request body names besides the one it is addressed to, in the order the cluster
// checks them (`check_access` implementations in `lib/storage/src/rbac/ops_checks.rs`):
// - recommend, discover: `lookup_from`
// - query: `lookup_from`, then each `prefetch` depth-first (its `lookup_from`, then its prefetches)
// - groups: the source request's lookups, then `with_lookup`
// - batches: each request in order.
// A lookup only needs the collection to be in the key (any mode), and only collection-scoped keys
// are checked: a global key reads every collection anyway.
// REST bodies are read with serde's model (body-object-reader.ts): map and sequence forms. The
// gRPC dialect below reads request messages as JS objects, whose fields are never positional.
import { readBodyObject } from './body-object-reader.js';
import type { BodyLookups } from './requirements.js';

/** Field names of one wire format: REST JSON, or gRPC messages as JS objects. */
interface Dialect {
  readonly lookupFrom: readonly string[];
  readonly lookupCollection: readonly string[];
  readonly withLookup: readonly string[];
  readonly withLookupCollection: readonly string[];
  /** REST accepts `"with_lookup": "name"`; gRPC's WithLookup is always a message. */
  readonly withLookupMayBeString: boolean;
  readonly batch: Readonly<Record<'recommend' | 'discover' | 'query', readonly string[]>>;
}

/** REST JSON bodies (`lib/api/src/rest/schema.rs`, `collection/src/operations/types.rs`). */
export const REST_BODY: Dialect = {
  lookupFrom: ['lookup_from'],
  lookupCollection: ['collection'],
  withLookup: ['with_lookup'],
  withLookupCollection: ['collection'],
  withLookupMayBeString: true,
  batch: { recommend: ['searches'], discover: ['searches'], query: ['searches'] },
};

/** gRPC request messages (`points.proto`), snake_case or protobuf-JSON camelCase field names. */
export const GRPC_MESSAGE: Dialect = {
  lookupFrom: ['lookup_from', 'lookupFrom'],
  lookupCollection: ['collection_name', 'collectionName'],
  withLookup: ['with_lookup', 'withLookup'],
  withLookupCollection: ['collection'],
  withLookupMayBeString: false,
  batch: {
    recommend: ['recommend_points', 'recommendPoints'],
    discover: ['discover_points', 'discoverPoints'],
    query: ['query_points', 'queryPoints'],
  },
};

/**
 * Nesting beyond this cannot come from a body the cluster accepts (serde_json stops at 128
 * levels); past it we stop walking and report `tooDeep` so the caller can refuse.
 */
const MAX_PREFETCH_DEPTH = 128;

/** Result of reading a body: the named collections in check order. */
export interface BodyCollections {
  readonly collections: string[];
  readonly tooDeep: boolean;
  /**
   * REST only: why the body cannot be one the cluster accepts at a position that names a
   * collection (serde's message, e.g. ``missing field `collection` ``); the cluster answers 400.
   */
  readonly invalid?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(object: Record<string, unknown>, names: readonly string[]): unknown {
  for (const name of names) {
    if (Object.hasOwn(object, name)) {
      const value = object[name];
      if (value !== undefined && value !== null) return value;
    }
  }
  return undefined;
}

function stringField(value: unknown, names: readonly string[]): string | undefined {
  if (!isRecord(value)) return undefined;
  const found = field(value, names);
  return typeof found === 'string' ? found : undefined;
}

class Collector {
  readonly collections: string[] = [];
  tooDeep = false;
  constructor(readonly dialect: Dialect) {}

  lookupFrom(request: Record<string, unknown>): void {
    const name = stringField(
      field(request, this.dialect.lookupFrom),
      this.dialect.lookupCollection,
    );
    if (name !== undefined) this.collections.push(name);
  }

  withLookup(request: Record<string, unknown>): void {
    const value = field(request, this.dialect.withLookup);
    if (typeof value === 'string' && this.dialect.withLookupMayBeString) {
      this.collections.push(value);
      return;
    }
    const name = stringField(value, this.dialect.withLookupCollection);
    if (name !== undefined) this.collections.push(name);
  }

  /** Query: own `lookup_from`, then prefetches depth-first, without recursion on the JS stack. */
  query(request: Record<string, unknown>): void {
    this.lookupFrom(request);
    const stack: Array<{ node: Record<string, unknown>; depth: number }> = [];
    this.pushPrefetches(stack, request, 1);
    while (stack.length > 0) {
      const { node, depth } = stack.pop() as { node: Record<string, unknown>; depth: number };
      this.lookupFrom(node);
      if (depth >= MAX_PREFETCH_DEPTH) {
        if (field(node, ['prefetch']) !== undefined) this.tooDeep = true;
        continue;
      }
      this.pushPrefetches(stack, node, depth + 1);
    }
  }

  private pushPrefetches(
    stack: Array<{ node: Record<string, unknown>; depth: number }>,
    node: Record<string, unknown>,
    depth: number,
  ): void {
    const prefetch = field(node, ['prefetch']);
    // REST accepts one prefetch object or a list; gRPC always a list.
    const list = Array.isArray(prefetch) ? prefetch : isRecord(prefetch) ? [prefetch] : [];
    // Reverse so the first prefetch is visited first.
    for (let i = list.length - 1; i >= 0; i--) {
      const item = list[i];
      if (isRecord(item)) stack.push({ node: item, depth });
    }
  }

  single(kind: BodyLookups, request: unknown): void {
    if (!isRecord(request)) return;
    switch (kind) {
      case 'recommend':
      case 'discover':
        this.lookupFrom(request);
        return;
      case 'query':
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
      default:
        return;
    }
  }

  batch(kind: 'recommend' | 'discover' | 'query', body: unknown): void {
    if (!isRecord(body)) return;
    const list = field(body, this.dialect.batch[kind]);
    if (!Array.isArray(list)) return;
    for (const request of list) this.single(kind, request);
  }
}

/**
 * Lists the collections a request body names for lookups, in the order the cluster checks them.
 *
 * REST bodies (the default) are read as serde reads them: every struct in map or sequence form
 * (`"lookup_from": ["other"]`, `"with_lookup": ["other", true, true]`, positional prefetches,
 * `[[...]]` batches). A value serde would refuse at a position that names a collection sets
 * `invalid` (fail closed: the caller refuses the request). A parsed value cannot show duplicate
 * keys; to check those, scan the original bytes with `scanBody`. Never throws.
 */
export function collectionsInBody(
  kind: BodyLookups,
  body: unknown,
  dialect: Dialect = REST_BODY,
): BodyCollections {
  if (dialect === REST_BODY) {
    const read = readBodyObject(kind, body);
    return read.invalid === undefined
      ? { collections: read.collections, tooDeep: false }
      : { collections: read.collections, tooDeep: false, invalid: read.invalid };
  }
  const collector = new Collector(dialect);
  try {
    switch (kind) {
      case 'recommend-batch':
        collector.batch('recommend', body);
        break;
      case 'discover-batch':
        collector.batch('discover', body);
        break;
      case 'query-batch':
        collector.batch('query', body);
        break;
      default:
        collector.single(kind, body);
    }
  } catch {
    // Exotic objects (throwing getters, proxies) cannot come from JSON; refuse rather than guess.
    collector.tooDeep = true;
  }
  return { collections: collector.collections, tooDeep: collector.tooDeep };
}
