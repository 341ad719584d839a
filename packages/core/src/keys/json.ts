// A strict JSON reader with serde_json's rules (the cluster parses tokens with serde_json):
// RFC 8259 grammar only, UTF-8 validated, lone surrogate escapes refused, nesting limited like
// serde_json's recursion guard. Unlike JSON.parse it keeps each number's source text (so u64
// and i64 ranges can be checked exactly) and remembers repeated keys (serde's derived structs
// refuse a known field given twice).

/** A JSON number with its exact source text. */
export class JsonNumber {
  constructor(readonly raw: string) {}
  /** True for an integer literal (no fraction, no exponent). */
  get isInteger(): boolean {
    return !/[.eE]/.test(this.raw);
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

// The bytes are UTF-8 validated as a whole (serde_json validates strings, and outside strings
// any non-ASCII byte is a syntax error anyway). A leading U+FEFF is kept, not dropped: it is no
// JSON whitespace, and inside a string it is a character.
let fatalDecoder: TextDecoder | undefined;

// The reader's state: one parse at a time (nothing it calls can start another), in module
// variables rather than on a reader object, so each access is a plain variable. The text of the
// last parse stays referenced until the next.
let text = '';
let pos = 0;

/** Parses UTF-8 JSON bytes; `undefined` when serde_json would refuse them. */
export function parseJson(bytes: Uint8Array): JsonValue | undefined {
  try {
    fatalDecoder ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    text = fatalDecoder.decode(bytes);
    pos = 0;
    skipSpace();
    const parsed = value(0);
    skipSpace();
    return pos === text.length ? parsed : undefined;
  } catch {
    // FAIL, malformed UTF-8, a malformed escape (JSON.parse), or a RangeError from a
    // pathological input: "not parseable", never a crash.
    return undefined;
  }
}

function skipSpace(): void {
  for (;;) {
    const c = text.charCodeAt(pos);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
    else return;
  }
}

function value(depth: number): JsonValue {
  switch (text[pos]) {
    case '{':
      return object(depth + 1);
    case '[':
      return array(depth + 1);
    case '"':
      return string();
    case 't':
      return literal('true', true);
    case 'f':
      return literal('false', false);
    case 'n':
      return literal('null', null);
    default:
      return number();
  }
}

function literal<T>(word: string, meaning: T): T {
  if (!text.startsWith(word, pos)) throw FAIL;
  pos += word.length;
  return meaning;
}

/** Skips one or more digits; FAIL when there is none. */
function digits(): void {
  if (!isDigit()) throw FAIL;
  while (isDigit()) pos++;
}

function isDigit(): boolean {
  const c = text.charCodeAt(pos);
  return c >= 0x30 && c <= 0x39;
}

function number(): JsonNumber {
  const start = pos;
  if (text[pos] === '-') pos++;
  if (text[pos] === '0') pos++;
  else digits();
  if (text[pos] === '.') {
    pos++;
    digits();
  }
  if (text[pos] === 'e' || text[pos] === 'E') {
    pos++;
    if (text[pos] === '+' || text[pos] === '-') pos++;
    digits();
  }
  return new JsonNumber(text.slice(start, pos));
}

function string(): string {
  const start = pos++;
  let escapes = false;
  // Control characters (and the end of the text, NaN) are refused as serde_json does.
  for (;;) {
    const c = text.charCodeAt(pos++);
    if (c === 0x22) break;
    if (c === 0x5c) {
      escapes = true;
      pos++;
    } else if (!(c >= 0x20)) throw FAIL;
  }
  if (!escapes) return text.slice(start + 1, pos - 1);
  // JSON.parse reads escapes with serde_json's grammar (`\" \\ \/ \b \f \n \r \t \uXXXX`,
  // anything else throws); serde_json also refuses a `\u` escape of a lone surrogate (in `u`
  // mode a well-formed pair is one code point, which `\p{Cs}` does not match).
  const decoded = JSON.parse(text.slice(start, pos)) as string;
  if (/\p{Cs}/u.test(decoded)) throw FAIL;
  return decoded;
}

function array(depth: number): JsonValue[] {
  if (depth > MAX_DEPTH) throw FAIL;
  pos++;
  const out: JsonValue[] = [];
  skipSpace();
  if (text[pos] === ']') {
    pos++;
    return out;
  }
  for (;;) {
    skipSpace();
    out.push(value(depth));
    skipSpace();
    const c = text[pos++];
    if (c === ']') return out;
    if (c !== ',') throw FAIL;
  }
}

function object(depth: number): JsonObject {
  if (depth > MAX_DEPTH) throw FAIL;
  pos++;
  const out = new JsonObject();
  skipSpace();
  if (text[pos] === '}') {
    pos++;
    return out;
  }
  for (;;) {
    skipSpace();
    if (text[pos] !== '"') throw FAIL;
    const key = string();
    skipSpace();
    if (text[pos++] !== ':') throw FAIL;
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
    const c = text[pos++];
    if (c === '}') return out;
    if (c !== ',') throw FAIL;
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
