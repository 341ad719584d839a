// A strict JSON reader with serde_json's rules (the cluster parses tokens with serde_json):
// RFC 8259 grammar only, UTF-8 validated, lone surrogate escapes refused, nesting limited like
// serde_json's recursion guard. Unlike JSON.parse it keeps each number's source text (so u64
// and i64 ranges can be checked exactly) and remembers repeated keys (serde's derived structs
// refuse a known field given twice).

import { hexDigit } from '../hex-digit.js';

/** A JSON number with its exact source text. */
export class JsonNumber {
  constructor(readonly raw: string) {}
  /** True for an integer literal (no fraction, no exponent). */
  get isInteger(): boolean {
    for (let i = 0; i < this.raw.length; i++) {
      const c = this.raw.charCodeAt(i);
      if (c === 0x2e || c === 0x65 || c === 0x45) return false;
    }
    return true;
  }
}

/** A JSON object: last value wins per key; `repeated` lists keys given more than once. */
export class JsonObject {
  readonly entries = new Map<string, JsonValue>();
  repeated: Set<string> | undefined;
}

/** A parsed JSON value. */
export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;

// serde_json decrements its depth budget of 128 on every array or object and fails at zero.
const MAX_DEPTH = 127;

/** Thrown inside the reader for "serde_json would refuse this"; caught by {@link parseJson}. */
const FAIL = { fail: true };

let fatalDecoder: TextDecoder | undefined;

// The reader's state: one parse at a time (nothing it calls can start another), in module
// variables rather than on a reader object, so each access is a plain variable. The bytes of the
// last parse stay referenced until the next (base64url's scratch buffer, or one large payload).
let b!: Uint8Array;
let pos = 0;

/** Parses UTF-8 JSON bytes; `undefined` when serde_json would refuse them. */
export function parseJson(bytes: Uint8Array): JsonValue | undefined {
  b = bytes;
  pos = 0;
  try {
    skipSpace();
    const parsed = value(0);
    skipSpace();
    if (pos !== bytes.length) return undefined;
    return parsed;
  } catch {
    // FAIL, or a RangeError from a pathological input: "not parseable", never a crash.
    return undefined;
  }
}

function skipSpace(): void {
  while (pos < b.length) {
    const c = b[pos];
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
    else break;
  }
}

function value(depth: number): JsonValue {
  switch (b[pos]) {
    case 0x7b:
      return object(depth + 1);
    case 0x5b:
      return array(depth + 1);
    case 0x22:
      return string();
    case 0x74:
      literal('true');
      return true;
    case 0x66:
      literal('false');
      return false;
    case 0x6e:
      literal('null');
      return null;
    default:
      return number();
  }
}

function literal(word: string): void {
  for (let i = 0; i < word.length; i++) {
    if (b[pos + i] !== word.charCodeAt(i)) throw FAIL;
  }
  pos += word.length;
}

/** Skips one or more digits; FAIL when there is none. */
function digits(): void {
  if (!isDigit(b[pos])) throw FAIL;
  while (isDigit(b[pos])) pos++;
}

function number(): JsonNumber {
  const start = pos;
  if (b[pos] === 0x2d) pos++;
  if (b[pos] === 0x30) pos++;
  else digits();
  if (b[pos] === 0x2e) {
    pos++;
    digits();
  }
  if (b[pos] === 0x65 || b[pos] === 0x45) {
    pos++;
    if (b[pos] === 0x2b || b[pos] === 0x2d) pos++;
    digits();
  }
  let raw = '';
  for (let i = start; i < pos; i++) raw += String.fromCharCode(b[i] as number);
  return new JsonNumber(raw);
}

/** The text of `b[start..end)`: ASCII read directly, anything else decoded as strict UTF-8. */
const text = (ascii: boolean, start: number, end: number): string =>
  ascii ? asciiText(b, start, end) : utf8Text(b, start, end);

function string(): string {
  pos++;
  let start = pos;
  let ascii = true;
  let out = '';
  // Runs between escapes; control characters are refused as serde_json does.
  while (pos < b.length) {
    const c = b[pos] as number;
    if (c === 0x22) {
      const run = text(ascii, start, pos);
      pos++;
      // Without escapes the run is the whole string (a common word comes back as its constant).
      return out === '' ? run : out + run;
    }
    if (c === 0x5c) {
      out += text(ascii, start, pos);
      out += escaped();
      start = pos;
      ascii = true;
      continue;
    }
    if (c < 0x20) throw FAIL;
    if (c > 0x7f) ascii = false;
    pos++;
  }
  throw FAIL;
}

function escaped(): string {
  const c = b[pos + 1];
  pos += 2;
  switch (c) {
    case 0x22:
      return '"';
    case 0x5c:
      return '\\';
    case 0x2f:
      return '/';
    case 0x62:
      return '\b';
    case 0x66:
      return '\f';
    case 0x6e:
      return '\n';
    case 0x72:
      return '\r';
    case 0x74:
      return '\t';
    case 0x75: {
      const unit = hex4();
      if (unit >= 0xdc00 && unit <= 0xdfff) throw FAIL;
      if (unit >= 0xd800 && unit <= 0xdbff) {
        if (b[pos] !== 0x5c || b[pos + 1] !== 0x75) throw FAIL;
        pos += 2;
        const low = hex4();
        if (low < 0xdc00 || low > 0xdfff) throw FAIL;
        return String.fromCharCode(unit, low);
      }
      return String.fromCharCode(unit);
    }
    default:
      throw FAIL;
  }
}

function hex4(): number {
  let n = 0;
  for (let i = 0; i < 4; i++) {
    const d = hexDigit(b[pos++]);
    if (d < 0) throw FAIL;
    n = (n << 4) | d;
  }
  return n;
}

function array(depth: number): JsonValue[] {
  if (depth > MAX_DEPTH) throw FAIL;
  pos++;
  const out: JsonValue[] = [];
  skipSpace();
  if (b[pos] === 0x5d) {
    pos++;
    return out;
  }
  for (;;) {
    skipSpace();
    out.push(value(depth));
    skipSpace();
    const c = b[pos++];
    if (c === 0x5d) return out;
    if (c !== 0x2c) throw FAIL;
  }
}

function object(depth: number): JsonObject {
  if (depth > MAX_DEPTH) throw FAIL;
  pos++;
  const out = new JsonObject();
  skipSpace();
  if (b[pos] === 0x7d) {
    pos++;
    return out;
  }
  for (;;) {
    skipSpace();
    if (b[pos] !== 0x22) throw FAIL;
    const key = string();
    skipSpace();
    if (b[pos++] !== 0x3a) throw FAIL;
    skipSpace();
    const entry = value(depth);
    // One hash lookup instead of has + set: the size only stays put when the key repeats.
    const size = out.entries.size;
    out.entries.set(key, entry);
    if (out.entries.size === size) {
      out.repeated ??= new Set();
      out.repeated.add(key);
    }
    skipSpace();
    const c = b[pos++];
    if (c === 0x7d) return out;
    if (c !== 0x2c) throw FAIL;
  }
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

function asciiText(bytes: Uint8Array, start: number, end: number): string {
  if (end - start > 256) return utf8Text(bytes, start, end);
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i] as number);
  return s;
}

function utf8Text(bytes: Uint8Array, start: number, end: number): string {
  try {
    fatalDecoder ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    return fatalDecoder.decode(bytes.subarray(start, end));
  } catch {
    throw FAIL;
  }
}

/** u64 range check on an integer literal's text (no sign, no fraction). */
export function isU64(n: JsonNumber): boolean {
  const raw = n.raw;
  if (!n.isInteger || raw.charCodeAt(0) === 0x2d) return false;
  return raw.length < 20 || (raw.length === 20 && raw <= '18446744073709551615');
}

/** i64 range check on an integer literal's text. serde_json reads `-0` as a float. */
export function isI64(n: JsonNumber): boolean {
  const raw = n.raw;
  if (!n.isInteger) return false;
  if (raw.charCodeAt(0) === 0x2d) {
    if (raw === '-0') return false;
    const digits = raw.length - 1;
    return digits < 19 || (digits === 19 && raw.slice(1) <= '9223372036854775808');
  }
  return raw.length < 19 || (raw.length === 19 && raw <= '9223372036854775807');
}

/** serde_json refuses a float that overflows f64 when it materialises a value. */
export function isFiniteNumber(n: JsonNumber): boolean {
  return Number.isFinite(Number(n.raw));
}
