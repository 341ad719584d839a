// Reads the collections a REST body names from an already parsed JSON value, with the serde model
// of body-serde-model.ts (which the byte scanner reads) written out as code: map and sequence
// forms, at every level. Written out because an app that only decides parsed bodies pays for
// this file, not for the model's tables; the two readers are checked against each other by the
// tests (`body-scanner-property.test.ts`, `conformance/access-body-forms.ts`).
// A parsed value cannot show duplicate keys (JSON.parse keeps the last one) or escapes; use the
// byte scanner when the original text is at hand. Every property is read once, through its
// descriptor, so a Proxy or an accessor cannot show different values to different checks.
import { UNEXPECTED } from './body-serde-model.js';
import type { BodyLookups } from './requirements.js';

/** The value cannot be read as serde would (the message is serde's, as far as it applies). */
class Refused extends Error {}

/** serde_json refuses the 128th nested container; deeper values cannot come from the cluster's parser. */
const MAX_DEPTH = 127;
/** Entries visited at most (lists of prefetches and searches); a Proxy could claim any length. */
const MAX_ENTRIES = 16_777_216; // 2^24

const K_OBJECT = 0;
const K_ARRAY = 1;
const K_STRING = 2;
const K_NUMBER = 3;
const K_NULL = 6;

// Which lookups a request struct has (`BodyLookups` kinds, body-serde-model.ts): bits of SHAPES.
const LOOKUP_FROM = 1;
const PREFETCH = 2;
const WITH_LOOKUP = 4;
/** A batch: `{ searches: [request...] }`, or `[[request...]]` in sequence form. */
const BATCH = 8;
/** Per body kind: its lookups and the serde name of its request struct. */
const SHAPES: Readonly<Record<BodyLookups, readonly [number, string]>> = {
  recommend: [LOOKUP_FROM, 'RecommendRequest'],
  'recommend-batch': [LOOKUP_FROM | BATCH, 'RecommendRequest'],
  'recommend-groups': [LOOKUP_FROM | WITH_LOOKUP, 'RecommendGroupsRequest'],
  discover: [LOOKUP_FROM, 'DiscoverRequest'],
  'discover-batch': [LOOKUP_FROM | BATCH, 'DiscoverRequest'],
  query: [LOOKUP_FROM | PREFETCH, 'QueryRequest'],
  'query-batch': [LOOKUP_FROM | PREFETCH | BATCH, 'QueryRequest'],
  'query-groups': [LOOKUP_FROM | PREFETCH | WITH_LOOKUP, 'QueryGroupsRequest'],
  'search-groups': [WITH_LOOKUP, 'SearchGroupsRequest'],
};
const WITH_LOOKUP_ENUM = 'data did not match any variant of untagged enum WithLookupInterface';

function kindOf(value: unknown): number {
  if (value === null) return K_NULL;
  switch (typeof value) {
    case 'string':
      return K_STRING;
    case 'number':
      return K_NUMBER;
    case 'boolean':
      return value ? 4 : 5;
    case 'object':
      return plainKind(value as object);
    default:
      throw new Refused('the body is not a JSON value');
  }
}

/**
 * Arrays and plain objects only, as JSON.parse makes them (of any realm, or with a null
 * prototype). Anything else would be read as a map naming nothing although it stands for other
 * bytes: a SharedArrayBuffer, a Blob, a stream, a Map, a class instance, an object inheriting
 * its fields. A `toJSON` function is refused too: JSON.stringify would send what it returns.
 */
function plainKind(value: object): number {
  const array = Array.isArray(value);
  const proto = Object.getPrototypeOf(value) as object | null;
  // A realm's Array.prototype is itself an array; an Array subclass's prototype is not.
  const plain =
    proto === null || (array ? Array.isArray(proto) : Object.getPrototypeOf(proto) === null);
  if (!plain) throw new Refused('the body is not a JSON value');
  for (
    let at: object | null = value;
    at !== null;
    at = Object.getPrototypeOf(at) as object | null
  ) {
    const toJson = Object.getOwnPropertyDescriptor(at, 'toJSON');
    if (toJson === undefined) continue;
    if (!('value' in toJson) || typeof toJson.value === 'function') {
      throw new Refused('the body is not a JSON value (toJSON)');
    }
    break;
  }
  return array ? K_ARRAY : K_OBJECT;
}

/** An own data property, read once; an accessor cannot come from JSON and is refused. */
function own(object: object, key: string): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  if (descriptor === undefined) return undefined;
  if (!('value' in descriptor)) throw new Refused('the body has an accessor property');
  return descriptor.value;
}

function lengthOf(array: object): number {
  const length = own(array, 'length');
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 0) {
    throw new Refused('the body has an array without a length');
  }
  return length;
}

function invalid(kind: number, expecting: string): never {
  throw new Refused(
    expecting.startsWith('data did not match')
      ? expecting
      : `invalid type: ${UNEXPECTED[kind]}, expected ${expecting}`,
  );
}

function tooMany(): never {
  throw new Refused('the body has too many entries to authorize');
}

function tooDeep(depth: number): void {
  if (depth > MAX_DEPTH) throw new Refused('recursion limit exceeded');
}

/** Reads `body` as a body of `kind`: the collections it names, in the cluster's check order. */
function readCollections(lookups: number, name: string, body: unknown): string[] {
  const collections: string[] = [];
  let entries = 0;
  const count = (): void => {
    if (++entries > MAX_ENTRIES) tooMany();
  };
  const collection = (value: unknown, depth: number): void => {
    tooDeep(depth);
    const kind = kindOf(value);
    if (kind !== K_STRING) invalid(kind, 'a string');
    collections.push(value as string);
  };

  /**
   * A struct of which one field matters, `field` by name or as the first of at most `max`
   * elements: `LookupLocation`, `WithLookup` (3 fields) or a batch (`searches` only).
   */
  const oneField = (
    value: unknown,
    depth: number,
    field: string,
    max: number,
    expecting: string,
    read: (value: unknown, depth: number) => void,
  ): void => {
    tooDeep(depth);
    const kind = kindOf(value);
    if (kind === K_OBJECT) {
      const fieldValue = own(value as object, field);
      // A missing field names nothing (serde's own 400 for a required one is the cluster's).
      if (fieldValue !== undefined) read(fieldValue, depth + 1);
      return;
    }
    if (kind === K_ARRAY) {
      const length = lengthOf(value as object);
      if (length > max) {
        throw new Refused(
          expecting === WITH_LOOKUP_ENUM
            ? expecting
            : `invalid length ${length}, expected ${expecting} with ${max} elements`,
        );
      }
      if (length > 0) read(own(value as object, '0'), depth + 1);
      return;
    }
    invalid(kind, expecting);
  };

  // `lookup_from`: null, or a `LookupLocation { collection, vector, shard_key }`.
  const lookup = (value: unknown, depth: number): void => {
    tooDeep(depth);
    if (kindOf(value) === K_NULL) return;
    oneField(value, depth, 'collection', 3, 'struct LookupLocation', collection);
  };

  // `with_lookup`: null, a collection name, or a `WithLookup { collection, with_payload, with_vectors }`.
  const withLookup = (value: unknown, depth: number): void => {
    tooDeep(depth);
    const kind = kindOf(value);
    if (kind === K_NULL) return;
    if (kind === K_STRING) {
      collections.push(value as string);
      return;
    }
    oneField(value, depth, 'collection', 3, WITH_LOOKUP_ENUM, collection);
  };

  // A `Prefetch`: `lookup_from` (8th of 8 in sequence form) is checked before `prefetch` (1st).
  const prefetch = (value: unknown, depth: number): void => {
    tooDeep(depth);
    const kind = kindOf(value);
    if (kind === K_OBJECT) {
      const from = own(value as object, 'lookup_from');
      if (from !== undefined) lookup(from, depth + 1);
      const inner = own(value as object, 'prefetch');
      if (inner !== undefined) list(inner, depth + 1, false);
      return;
    }
    if (kind === K_ARRAY) {
      const length = lengthOf(value as object);
      if (length > 8)
        throw new Refused(`invalid length ${length}, expected struct Prefetch with 8 elements`);
      if (length > 7) lookup(own(value as object, '7'), depth + 1);
      if (length > 0) list(own(value as object, '0'), depth + 1, false);
      return;
    }
    invalid(kind, 'struct Prefetch');
  };

  // `searches` (a sequence of requests) or `prefetch` (null, one Prefetch or a sequence of them).
  const list = (value: unknown, depth: number, searches: boolean): void => {
    tooDeep(depth);
    const kind = kindOf(value);
    if (!searches && kind === K_NULL) return;
    if (!searches && kind === K_OBJECT) {
      count();
      prefetch(value, depth);
      return;
    }
    if (kind !== K_ARRAY)
      invalid(kind, searches ? 'a sequence' : 'a map, a sequence or null (prefetch)');
    const length = lengthOf(value as object);
    if (length > MAX_ENTRIES - entries) tooMany();
    for (let i = 0; i < length; i++) {
      count();
      const element = own(value as object, String(i));
      if (searches) request(element, depth + 1);
      else prefetch(element, depth + 1);
    }
  };

  // A request: map form only (it flattens a field); lookup_from, prefetch, with_lookup in order.
  const request = (value: unknown, depth: number): void => {
    tooDeep(depth);
    const kind = kindOf(value);
    if (kind !== K_OBJECT) invalid(kind, `struct ${name}`);
    const object = value as object;
    if (lookups & LOOKUP_FROM) {
      const from = own(object, 'lookup_from');
      if (from !== undefined) lookup(from, depth + 1);
    }
    if (lookups & PREFETCH) {
      const inner = own(object, 'prefetch');
      if (inner !== undefined) list(inner, depth + 1, false);
    }
    if (lookups & WITH_LOOKUP) {
      const inner = own(object, 'with_lookup');
      if (inner !== undefined) withLookup(inner, depth + 1);
    }
  };

  if (lookups & BATCH)
    oneField(body, 1, 'searches', 1, `struct ${name}Batch`, (value, depth) =>
      list(value, depth, true),
    );
  else request(body, 1);
  return collections;
}

/** Result of {@link readBodyObject}. */
export interface ObjectBodyRead {
  readonly collections: string[];
  /** serde's reason when the value cannot be a body the cluster accepts at a lookup position. */
  readonly invalid: string | undefined;
}

/**
 * Lists the collections a parsed REST body names, in the cluster's check order (repeats kept).
 * Never throws: an unreadable value (Proxy, accessor, revoked Proxy) is reported as invalid.
 */
export function readBodyObject(kind: BodyLookups, body: unknown): ObjectBodyRead {
  const shape = Object.hasOwn(SHAPES, kind) ? SHAPES[kind] : undefined;
  if (shape === undefined) return { collections: [], invalid: 'unknown body kind' };
  try {
    return { collections: readCollections(shape[0], shape[1], body), invalid: undefined };
  } catch (error) {
    return {
      collections: [],
      invalid: error instanceof Refused ? error.message : 'the body could not be read',
    };
  }
}
