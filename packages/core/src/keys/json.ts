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

/** Parses UTF-8 JSON bytes; `undefined` when serde_json would refuse them. */
export function parseJson(bytes: Uint8Array): JsonValue | undefined {
  const reader = new Reader(bytes);
  try {
    reader.skipSpace();
    const value = reader.value(0);
    reader.skipSpace();
    if (reader.pos !== bytes.length) return undefined;
    return value;
  } catch {
    // FAIL, or a RangeError from a pathological input: "not parseable", never a crash.
    return undefined;
  }
}

class Reader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  skipSpace(): void {
    const b = this.bytes;
    while (this.pos < b.length) {
      const c = b[this.pos];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else break;
    }
  }

  value(depth: number): JsonValue {
    const c = this.bytes[this.pos];
    switch (c) {
      case 0x7b:
        return this.object(depth + 1);
      case 0x5b:
        return this.array(depth + 1);
      case 0x22:
        return this.string();
      case 0x74:
        this.literal('true');
        return true;
      case 0x66:
        this.literal('false');
        return false;
      case 0x6e:
        this.literal('null');
        return null;
      default:
        return this.number();
    }
  }

  literal(word: string): void {
    for (let i = 0; i < word.length; i++) {
      if (this.bytes[this.pos + i] !== word.charCodeAt(i)) throw FAIL;
    }
    this.pos += word.length;
  }

  number(): JsonNumber {
    const b = this.bytes;
    const start = this.pos;
    if (b[this.pos] === 0x2d) this.pos++;
    if (b[this.pos] === 0x30) {
      this.pos++;
    } else if (isDigit(b[this.pos])) {
      while (isDigit(b[this.pos])) this.pos++;
    } else {
      throw FAIL;
    }
    if (b[this.pos] === 0x2e) {
      this.pos++;
      if (!isDigit(b[this.pos])) throw FAIL;
      while (isDigit(b[this.pos])) this.pos++;
    }
    if (b[this.pos] === 0x65 || b[this.pos] === 0x45) {
      this.pos++;
      if (b[this.pos] === 0x2b || b[this.pos] === 0x2d) this.pos++;
      if (!isDigit(b[this.pos])) throw FAIL;
      while (isDigit(b[this.pos])) this.pos++;
    }
    let raw = '';
    for (let i = start; i < this.pos; i++) raw += String.fromCharCode(b[i] as number);
    return new JsonNumber(raw);
  }

  string(): string {
    const b = this.bytes;
    this.pos++;
    const start = this.pos;
    let ascii = true;
    // Fast path: no escapes. Control characters are refused as serde_json does.
    while (this.pos < b.length) {
      const c = b[this.pos] as number;
      if (c === 0x22) {
        const text = ascii ? asciiText(b, start, this.pos) : utf8Text(b, start, this.pos);
        this.pos++;
        return text;
      }
      if (c === 0x5c) break;
      if (c < 0x20) throw FAIL;
      if (c > 0x7f) ascii = false;
      this.pos++;
    }
    if (this.pos >= b.length) throw FAIL;
    let text = ascii ? asciiText(b, start, this.pos) : utf8Text(b, start, this.pos);
    let runStart = this.pos;
    let runAscii = true;
    while (this.pos < b.length) {
      const c = b[this.pos] as number;
      if (c === 0x22) {
        text += runAscii ? asciiText(b, runStart, this.pos) : utf8Text(b, runStart, this.pos);
        this.pos++;
        return text;
      }
      if (c === 0x5c) {
        text += runAscii ? asciiText(b, runStart, this.pos) : utf8Text(b, runStart, this.pos);
        text += this.escape();
        runStart = this.pos;
        runAscii = true;
        continue;
      }
      if (c < 0x20) throw FAIL;
      if (c > 0x7f) runAscii = false;
      this.pos++;
    }
    throw FAIL;
  }

  escape(): string {
    const c = this.bytes[this.pos + 1];
    this.pos += 2;
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
        const unit = this.hex4();
        if (unit >= 0xdc00 && unit <= 0xdfff) throw FAIL;
        if (unit >= 0xd800 && unit <= 0xdbff) {
          if (this.bytes[this.pos] !== 0x5c || this.bytes[this.pos + 1] !== 0x75) throw FAIL;
          this.pos += 2;
          const low = this.hex4();
          if (low < 0xdc00 || low > 0xdfff) throw FAIL;
          return String.fromCharCode(unit, low);
        }
        return String.fromCharCode(unit);
      }
      default:
        throw FAIL;
    }
  }

  hex4(): number {
    let n = 0;
    for (let i = 0; i < 4; i++) {
      const c = this.bytes[this.pos++];
      let d: number;
      if (c === undefined) throw FAIL;
      if (c >= 0x30 && c <= 0x39) d = c - 0x30;
      else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
      else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
      else throw FAIL;
      n = (n << 4) | d;
    }
    return n;
  }

  array(depth: number): JsonValue[] {
    if (depth > MAX_DEPTH) throw FAIL;
    this.pos++;
    const out: JsonValue[] = [];
    this.skipSpace();
    if (this.bytes[this.pos] === 0x5d) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      out.push(this.value(depth));
      this.skipSpace();
      const c = this.bytes[this.pos++];
      if (c === 0x5d) return out;
      if (c !== 0x2c) throw FAIL;
    }
  }

  object(depth: number): JsonObject {
    if (depth > MAX_DEPTH) throw FAIL;
    this.pos++;
    const out = new JsonObject();
    this.skipSpace();
    if (this.bytes[this.pos] === 0x7d) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.bytes[this.pos] !== 0x22) throw FAIL;
      const key = this.string();
      this.skipSpace();
      if (this.bytes[this.pos++] !== 0x3a) throw FAIL;
      this.skipSpace();
      const value = this.value(depth);
      // One hash lookup instead of has + set: the size only stays put when the key repeats.
      const size = out.entries.size;
      out.entries.set(key, value);
      if (out.entries.size === size) {
        out.repeated ??= new Set();
        out.repeated.add(key);
      }
      this.skipSpace();
      const c = this.bytes[this.pos++];
      if (c === 0x7d) return out;
      if (c !== 0x2c) throw FAIL;
    }
  }
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

// Field names and modes of database keys (`alg`, `typ`, `kid`, `JWT`, `HS256`, `sub`, `exp`,
// `access`, `collection`, `payload`, `value_exists`, `matches`, `key`, `value`, `subject` and the
// modes), by length, handed out as the same constant strings instead of being rebuilt byte by
// byte (and hashed again as Map keys) for every token.
const COMMON_BY_LENGTH: readonly (readonly string[] | undefined)[] = [
  undefined,
  ['r', 'm'],
  ['rw'],
  ['alg', 'typ', 'kid', 'JWT', 'sub', 'exp', 'key', 'prw'],
  undefined,
  ['HS256', 'value'],
  ['access'],
  ['payload', 'matches', 'subject'],
  undefined,
  undefined,
  ['collection'],
  undefined,
  ['value_exists'],
];

function commonWord(bytes: Uint8Array, start: number, end: number): string | undefined {
  const candidates = COMMON_BY_LENGTH[end - start];
  if (candidates === undefined) return undefined;
  next: for (const word of candidates) {
    for (let i = 0; i < word.length; i++)
      if (bytes[start + i] !== word.charCodeAt(i)) continue next;
    return word;
  }
  return undefined;
}

function asciiText(bytes: Uint8Array, start: number, end: number): string {
  if (end - start > 256) return utf8Text(bytes, start, end);
  const common = commonWord(bytes, start, end);
  if (common !== undefined) return common;
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i] as number);
  return s;
}

function utf8Text(bytes: Uint8Array, start: number, end: number): string {
  try {
    fatalDecoder ??= new TextDecoder('utf-8', { fatal: true });
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
