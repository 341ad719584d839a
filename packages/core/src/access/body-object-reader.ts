// Reads the collections a REST body names from an already parsed JSON value, with the same serde
// model as the byte scanner (body-serde-model.ts): map and sequence forms, at every level.
// A parsed value cannot show duplicate keys (JSON.parse keeps the last one) or escapes; use the
// byte scanner when the original text is at hand. Every property is read once, through its
// descriptor, so a Proxy or an accessor cannot show different values to different checks.
import {
  type BodyShape,
  Role,
  type SerdeModel,
  type StructShape,
  serdeModel,
  UNEXPECTED,
} from './body-serde-model.js';
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

/** Reads `body` as `shape` of `model`: the collections it names, in the cluster's check order. */
function readCollections(model: SerdeModel, shape: BodyShape, body: unknown): string[] {
  const collections: string[] = [];
  let entries = 0;
  const count = (): void => {
    if (++entries > MAX_ENTRIES) tooMany();
  };

  /** Reads `value` as the struct `struct` (map, or sequence when it has one). */
  const readStruct = (struct: StructShape, value: unknown, depth: number): void => {
    tooDeep(depth);
    const kind = kindOf(value);
    if (kind === K_OBJECT) {
      const object = value as object;
      // Fields in the cluster's check order: lookup_from, prefetch, with_lookup (orders 0, 1, 2).
      const fields = [...struct.fields.values()].sort((a, b) => a.order - b.order);
      for (const field of fields) {
        const fieldValue = own(object, field.name);
        // A missing field names nothing (serde's own 400 for a required one is the cluster's).
        if (fieldValue === undefined) continue;
        readValue(field.role, fieldValue, depth + 1);
      }
      return;
    }
    if (kind === K_ARRAY && struct.seq) {
      const length = lengthOf(value as object);
      if (length > struct.seq.max) {
        throw new Refused(
          struct === model.withLookup
            ? struct.expecting
            : `invalid length ${length}, expected ${struct.expecting} with ${struct.seq.max} elements`,
        );
      }
      // Check order: lookup_from (order 0) before prefetch (order 1), whatever their positions.
      const positions = struct.seq.positions
        .map((field, index) => ({ field, index }))
        .filter((p) => p.field !== undefined && p.index < length)
        .sort((a, b) => (a.field?.order ?? 0) - (b.field?.order ?? 0));
      for (const { field, index } of positions) {
        const element = own(value as object, String(index));
        if (field) readValue(field.role, element, depth + 1);
      }
      return;
    }
    invalid(kind, struct.expecting);
  };

  const readValue = (role: Role, value: unknown, depth: number): void => {
    tooDeep(depth);
    const kind = kindOf(value);
    switch (role) {
      case Role.Request:
        readStruct(shape.request, value, depth);
        return;
      case Role.Searches:
      case Role.PrefetchField: {
        if (role === Role.PrefetchField && kind === K_NULL) return;
        if (role === Role.PrefetchField && kind === K_OBJECT) {
          count();
          readStruct(model.prefetch, value, depth);
          return;
        }
        if (kind !== K_ARRAY) {
          invalid(
            kind,
            role === Role.Searches ? 'a sequence' : 'a map, a sequence or null (prefetch)',
          );
        }
        const length = lengthOf(value as object);
        if (length > MAX_ENTRIES - entries) tooMany();
        for (let i = 0; i < length; i++) {
          count();
          const element = own(value as object, String(i));
          readStruct(role === Role.Searches ? shape.request : model.prefetch, element, depth + 1);
        }
        return;
      }
      case Role.Lookup:
        if (kind === K_NULL) return;
        readStruct(model.lookupLocation, value, depth);
        return;
      case Role.WithLookup:
        if (kind === K_NULL) return;
        if (kind === K_STRING) {
          collections.push(value as string);
          return;
        }
        readStruct(model.withLookup, value, depth);
        return;
      case Role.Collection:
        if (kind !== K_STRING) invalid(kind, 'a string');
        collections.push(value as string);
        return;
      default:
        return;
    }
  };

  readStruct(shape.batch ? shape.top : shape.request, body, 1);
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
  const model = serdeModel();
  const shape = Object.hasOwn(model.shapes, kind) ? model.shapes[kind] : undefined;
  if (shape === undefined) return { collections: [], invalid: 'unknown body kind' };
  try {
    return { collections: readCollections(model, shape, body), invalid: undefined };
  } catch (error) {
    return {
      collections: [],
      invalid: error instanceof Refused ? error.message : 'the body could not be read',
    };
  }
}
