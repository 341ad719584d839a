// Reads a gRPC request message (a JS object about to be encoded) the way every encoder would,
// or refuses it. Encoders disagree on what they read: snake_case ones (`keepCase: true`) read
// `collection_name`, camelCase ones (`@grpc/proto-loader` and protobufjs defaults) read only
// `collectionName`, and all of them read inherited properties and call getters. An object on
// which two encoders could read different collections is therefore refused, and what is
// accepted becomes a plain snapshot (own data properties, one snake_case spelling, only the
// fields that can name a collection) that the access decision reads instead of the original.
import type { BodyLookups } from './requirements.js';

/** A request message as the access decision reads it: snake_case, own data properties only. */
export interface GrpcRequestSnapshot {
  readonly collection: string;
  /** The fields that can name other collections, snake_case (read by `collectionsInGrpcMessage`). */
  readonly body: Record<string, unknown> | undefined;
}

/** Why a request message cannot be authorized. */
export class UnreadableGrpcRequest {
  constructor(readonly reason: string) {}
}

// Past this depth of prefetches the lookup walk refuses anyway (grpc-body.ts), and
// past this many nodes a message is not one the cluster's decoder would take in one piece.
const MAX_DEPTH = 128;
const MAX_NODES = 1_048_576; // 2^20
const MAX_PROTOTYPE_CHAIN = 32;

function refuse(reason: string): never {
  throw new UnreadableGrpcRequest(reason);
}

// What protobufjs message classes put on their prototypes as field defaults: an inherited one
// of these is what an encoder would send for an absent field, so it is read as absent.
function isDefault(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  );
}

class Reader {
  private nodes = 0;

  /** One property as an encoder sees it; refuses accessors and inherited non-default values. */
  private property(object: object, name: string): unknown {
    let target: object | null = object;
    for (let step = 0; target !== null; step++) {
      if (step > MAX_PROTOTYPE_CHAIN) refuse('prototype chain too long');
      const descriptor = Object.getOwnPropertyDescriptor(target, name);
      if (descriptor !== undefined) {
        // A getter may answer differently when the encoder reads it.
        if (!('value' in descriptor)) refuse(`${name} is an accessor`);
        if (step === 0) return descriptor.value;
        if (isDefault(descriptor.value)) return undefined;
        refuse(`${name} is inherited`);
      }
      target = Object.getPrototypeOf(target) as object | null;
    }
    return undefined;
  }

  /** A field under both spellings; both present with different values is refused. */
  private field(object: object, snake: string, camel: string): unknown {
    const a = this.property(object, snake);
    if (camel === snake) return a;
    const b = this.property(object, camel);
    if (a === undefined) return b;
    if (b === undefined || Object.is(a, b)) return a;
    refuse(`${snake} and ${camel} differ`);
  }

  private name(object: object, snake: string, camel: string): string | undefined {
    const value = this.field(object, snake, camel);
    if (value === undefined || value === null) return undefined;
    // Encoders stringify other values (protobufjs `String(value)`): never guess what they send.
    if (typeof value !== 'string') refuse(`${snake} is not a string`);
    return value;
  }

  private message(object: object, snake: string, camel: string): object | undefined {
    const value = this.field(object, snake, camel);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) refuse(`${snake} is not a message`);
    this.count();
    return value;
  }

  private list(object: object, snake: string, camel: string): object[] | undefined {
    const value = this.field(object, snake, camel);
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) refuse(`${snake} is not a list`);
    const length = value.length;
    if (!Number.isSafeInteger(length) || length > MAX_NODES) refuse(`${snake} is too long`);
    const out: object[] = [];
    for (let i = 0; i < length; i++) {
      const item = this.property(value, String(i));
      if (typeof item !== 'object' || item === null || Array.isArray(item))
        refuse(`${snake}[${i}] is not a message`);
      this.count();
      out.push(item);
    }
    return out;
  }

  private count(): void {
    if (++this.nodes > MAX_NODES) refuse('too many nested messages');
  }

  /** `LookupLocation` / `WithLookup`: present without a name means the collection "" (proto3). */
  private lookup(object: object, snake: string, camel: string, inner: [string, string]) {
    const found = this.message(object, snake, camel);
    if (found === undefined) return undefined;
    return { [inner[0]]: this.name(found, inner[0], inner[1]) ?? '' };
  }

  private lookupFrom(object: object) {
    return this.lookup(object, 'lookup_from', 'lookupFrom', ['collection_name', 'collectionName']);
  }

  private withLookup(object: object) {
    return this.lookup(object, 'with_lookup', 'withLookup', ['collection', 'collection']);
  }

  private prefetches(object: object, depth: number): Record<string, unknown>[] | undefined {
    const list = this.list(object, 'prefetch', 'prefetch');
    if (list === undefined) return undefined;
    if (depth > MAX_DEPTH) refuse('prefetch is nested too deeply');
    return list.map((item) => {
      const node: Record<string, unknown> = {};
      const lookupFrom = this.lookupFrom(item);
      if (lookupFrom !== undefined) node.lookup_from = lookupFrom;
      const nested = this.prefetches(item, depth + 1);
      if (nested !== undefined) node.prefetch = nested;
      return node;
    });
  }

  /** The lookup fields of one search/recommend/discover/query request. */
  private single(kind: BodyLookups, request: object): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const query = kind === 'query' || kind === 'query-batch' || kind === 'query-groups';
    const lookups = kind !== 'search-groups';
    if (lookups) {
      const lookupFrom = this.lookupFrom(request);
      if (lookupFrom !== undefined) out.lookup_from = lookupFrom;
    }
    if (query) {
      const prefetch = this.prefetches(request, 1);
      if (prefetch !== undefined) out.prefetch = prefetch;
    }
    if (kind.endsWith('-groups')) {
      const withLookup = this.withLookup(request);
      if (withLookup !== undefined) out.with_lookup = withLookup;
    }
    return out;
  }

  read(lookups: BodyLookups | undefined, request: unknown): GrpcRequestSnapshot {
    // proto3: a message that is not an object encodes as all defaults, collection "".
    if (typeof request !== 'object' || request === null) return { collection: '', body: undefined };
    if (Array.isArray(request)) refuse('the request is not a message');
    const collection = this.name(request, 'collection_name', 'collectionName') ?? '';
    if (lookups === undefined) return { collection, body: undefined };
    const batch =
      lookups === 'recommend-batch'
        ? (['recommend_points', 'recommendPoints'] as const)
        : lookups === 'discover-batch'
          ? (['discover_points', 'discoverPoints'] as const)
          : lookups === 'query-batch'
            ? (['query_points', 'queryPoints'] as const)
            : undefined;
    if (batch === undefined) return { collection, body: this.single(lookups, request) };
    // Batches are authorized for the outer collection; each entry's lookups are checked.
    const entries = this.list(request, batch[0], batch[1]);
    const body: Record<string, unknown> = {};
    if (entries !== undefined) body[batch[0]] = entries.map((e) => this.single(lookups, e));
    return { collection, body };
  }
}

/**
 * Reads the collection and lookup fields of a gRPC request message strictly: own data
 * properties only (inherited proto3 defaults aside), one spelling per field (or both spellings
 * with the same value), strings where a collection is named. Returns a plain snapshot, or an
 * {@link UnreadableGrpcRequest} when encoders could read the message differently. Never throws.
 */
export function readGrpcRequest(
  lookups: BodyLookups | undefined,
  request: unknown,
): GrpcRequestSnapshot | UnreadableGrpcRequest {
  try {
    return new Reader().read(lookups, request);
  } catch (error) {
    if (error instanceof UnreadableGrpcRequest) return error;
    // Proxies, revoked proxies, throwing traps: nothing an encoder could be trusted to read.
    return new UnreadableGrpcRequest('the request message cannot be read');
  }
}
