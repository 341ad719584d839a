// A compiled stand-in for zod on responses. A lenient response schema only keeps, copies or
// drops what the JSON has, plus one change (an int64 sent as a number becomes a string), so its
// output can be built by a plain function per schema: declared fields first in schema order,
// then undeclared ones in arrival order, each a fresh object as zod builds it. That skips zod's
// per-field payload objects and is several times cheaper. The function gives up (FAIL) on
// anything it does not reproduce exactly — an invalid value, a `__proto__` key, a schema shape it
// does not model — and then zod parses as before, errors included.
// test/fast-response.test.ts holds the two outputs equal over generated and Prism responses.
import * as v from './validation/checks.js';

/** Returned when the converter cannot reproduce zod's output; zod decides instead. */
export const FAIL: unique symbol = Symbol('fast-response: fall back to zod');

/** Builds zod's output for a parsed JSON value, or returns {@link FAIL}. */
export type Converter = (value: unknown) => unknown;

interface SchemaInternals {
  readonly _zod: { readonly def: SchemaDef };
}

interface SchemaDef {
  readonly type: string;
  readonly checks?: readonly unknown[];
  readonly innerType?: SchemaInternals;
  readonly element?: SchemaInternals;
  readonly keyType?: SchemaInternals;
  readonly valueType?: SchemaInternals;
  readonly shape?: Readonly<Record<string, SchemaInternals>>;
  readonly catchall?: SchemaInternals;
}

const compiled = new WeakMap<object, Converter | null>();

const same: Converter = (value) => value;
const string: Converter = (value) => (typeof value === 'string' ? value : FAIL);
// JSON.parse turns 1e400 into Infinity, which z.number() rejects.
const number: Converter = (value) =>
  typeof value === 'number' && Number.isFinite(value) ? value : FAIL;
const boolean: Converter = (value) => (typeof value === 'boolean' ? value : FAIL);
const int64: Converter = (value) =>
  typeof value === 'string' ? value : number(value) === FAIL ? FAIL : String(value);

/**
 * The converter for a response schema, or `undefined` when the schema uses something this file
 * does not model (then zod parses every response). Built once per schema.
 */
export function responseConverter(schema: unknown): Converter | undefined {
  return compile(schema as SchemaInternals) ?? undefined;
}

// Per schema: true once the converter's output matched zod's, false once it did not.
const agreesWithZod = new WeakMap<object, boolean>();

interface SafeParser {
  safeParse(value: unknown): { readonly success: boolean; readonly data?: unknown };
}

/**
 * zod's output for `json`, built by the schema's converter, or {@link FAIL} (then zod decides).
 * The converter reads zod's schema internals, which a future zod could change: so the first
 * response of each schema is also parsed by zod, and a converter whose output differs is never
 * used again for that schema.
 */
export function fastParse(schema: SafeParser, json: unknown): unknown {
  const converter = responseConverter(schema);
  const trusted = agreesWithZod.get(schema);
  if (converter === undefined || trusted === false) return FAIL;
  const fast = converter(json);
  if (fast === FAIL || trusted === true) return fast;
  const reference = schema.safeParse(json);
  const agrees = reference.success && JSON.stringify(reference.data) === JSON.stringify(fast);
  agreesWithZod.set(schema, agrees);
  return agrees ? fast : FAIL;
}

function compile(schema: SchemaInternals): Converter | null {
  const known = compiled.get(schema);
  if (known !== undefined) return known;
  // A schema reached again while it is being built (a recursive message) calls through the slot.
  let built: Converter | null = null;
  compiled.set(schema, (value) => (built as Converter)(value));
  built = build(schema);
  compiled.set(schema, built);
  return built;
}

function build(schema: SchemaInternals): Converter | null {
  // int64 is a pipe through a transform (String(value)); matched by identity, not by shape.
  if (schema === (v.int64 as unknown)) return int64;
  const def = schema._zod?.def;
  if (def === undefined || (def.checks !== undefined && def.checks.length > 0)) return null;
  switch (def.type) {
    case 'string':
      return string;
    case 'number':
      return number;
    case 'boolean':
      return boolean;
    case 'unknown':
      return same;
    case 'array':
      return def.element ? arrayConverter(def.element) : null;
    case 'record':
      return recordConverter(def);
    case 'object':
      return objectConverter(def);
    default:
      return null;
  }
}

function arrayConverter(elementSchema: SchemaInternals): Converter | null {
  const element = compile(elementSchema);
  if (element === null) return null;
  return (value) => {
    if (!Array.isArray(value)) return FAIL;
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = element(value[i]);
      if (item === FAIL) return FAIL;
      out[i] = item;
    }
    return out;
  };
}

function recordConverter(def: SchemaDef): Converter | null {
  const keyDef = def.keyType?._zod.def;
  if (keyDef?.type !== 'string' || (keyDef.checks?.length ?? 0) > 0 || !def.valueType) return null;
  const item = compile(def.valueType);
  if (item === null) return null;
  return (value) => {
    if (!isPlainJsonObject(value)) return FAIL;
    const out: Record<string, unknown> = {};
    for (const key in value) {
      if (key === '__proto__') return FAIL;
      const converted = item(value[key]);
      if (converted === FAIL) return FAIL;
      out[key] = converted;
    }
    return out;
  };
}

function objectConverter(def: SchemaDef): Converter | null {
  // Only loose objects (undeclared fields kept as they are); strict or stripping ones differ.
  if (def.catchall?._zod.def.type !== 'unknown' || !def.shape) return null;
  const names = Object.keys(def.shape);
  const converters: Converter[] = [];
  const optional: boolean[] = [];
  for (const name of names) {
    let fieldSchema = def.shape[name] as SchemaInternals;
    const isOptional = fieldSchema._zod.def.type === 'optional';
    if (isOptional) fieldSchema = fieldSchema._zod.def.innerType as SchemaInternals;
    const converter = compile(fieldSchema);
    // A name Object.prototype also has (`constructor`) would read through to it when absent.
    if (converter === null || name in Object.prototype) return null;
    converters.push(converter);
    optional.push(isOptional);
  }
  const declared = new Set(names);
  return (value) => {
    if (!isPlainJsonObject(value)) return FAIL;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      const field = value[name];
      // JSON has no undefined: an undefined field is an absent one.
      if (field === undefined) {
        if (optional[i]) continue;
        return FAIL;
      }
      const converted = (converters[i] as Converter)(field);
      if (converted === FAIL) return FAIL;
      out[name] = converted;
    }
    for (const key in value) {
      if (declared.has(key)) continue;
      if (key === '__proto__') return FAIL;
      out[key] = value[key];
    }
    return out;
  };
}

function isPlainJsonObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
