// A resumable JSON lexer over bytes that accepts exactly the syntax serde_json accepts
// (serde-rs/json `src/de.rs`, `src/read.rs`, v1.0.150), keeping O(depth) state:
// - at most 127 nested containers (`remaining_depth: 128`, `check_recursion!`, de.rs:63, :1372);
// - strings: control characters refused, escapes checked, `\u` surrogates must pair
//   (`parse_unicode_escape`, read.rs:895), captured strings must be valid UTF-8 (`as_str`, read.rs:868);
// - numbers: JSON grammar, and a value that overflows f64 is refused (`NumberOutOfRange`, de.rs:632);
// - after the top-level value only whitespace (`Deserializer::end`).
// Strings are decoded only when the listener asks for them, so skipped content costs one pass.

/** Kinds of value the lexer reports when one starts. */
export const JsonKind = {
  Object: 0,
  Array: 1,
  String: 2,
  Number: 3,
  True: 4,
  False: 5,
  Null: 6,
} as const;
/** One of {@link JsonKind}'s values. */
export type JsonKind = (typeof JsonKind)[keyof typeof JsonKind];

/** What the lexer reports. A listener may call {@link JsonLexer.fail} from any callback. */
export interface JsonListener {
  /** A value starts. For strings, return `true` to receive the decoded text in {@link string}. */
  value(kind: JsonKind): boolean;
  /** The innermost container closed. */
  close(): void;
  /** An object key starts; return `true` to receive its decoded text in {@link key}. */
  wantKey(): boolean;
  /** A key ended; `text` is `undefined` when not captured or longer than the capture limit. */
  key(text: string | undefined): void;
  /** A captured string value ended; `text` is `undefined` when longer than the capture limit. */
  string(text: string | undefined): void;
}

/** Longest string kept when captured (decoded UTF-8 bytes); longer ones are reported as `undefined`. */
export const MAX_CAPTURED_BYTES = 64 * 1024;
/** serde_json refuses the 128th nested container. */
const MAX_DEPTH = 127;

const S_VALUE = 0;
const S_ARRAY_FIRST = 1;
const S_OBJECT_FIRST = 2;
const S_KEY = 3;
const S_COLON = 4;
const S_AFTER = 5;
const S_STRING = 6;
const S_ESCAPE = 7;
const S_UNICODE = 8;
const S_NUMBER = 9;
const S_LITERAL = 10;
const S_DONE = 11;
const S_FAILED = 12;

// Number sub-states.
const N_MINUS = 0;
const N_ZERO = 1;
const N_INT = 2;
const N_DOT = 3;
const N_FRAC = 4;
const N_E = 5;
const N_ESIGN = 6;
const N_EXP = 7;

/** The bytes of `true`, `false` and `null`. */
const LITERALS: readonly (readonly number[])[] = [
  [116, 114, 117, 101],
  [102, 97, 108, 115, 101],
  [110, 117, 108, 108],
];

function hexValue(byte: number): number {
  if (byte >= 48 && byte <= 57) return byte - 48;
  if (byte >= 65 && byte <= 70) return byte - 55;
  if (byte >= 97 && byte <= 102) return byte - 87;
  return -1;
}

let decoder: TextDecoder | undefined;

/**
 * Incremental JSON lexer: feed bytes with {@link write} in chunks of any size, then call
 * {@link end}. The first error stops it; {@link error} then holds serde_json's message with
 * its `line L column C` suffix.
 */
export class JsonLexer {
  /** serde_json's error text once the input is refused. */
  error: string | undefined;
  private state = S_VALUE;
  private depth = 0;
  private readonly containers = new Uint8Array(MAX_DEPTH + 1); // 1 = object, 0 = array
  private inKey = false;
  private capturing = false;
  private captured = new Uint8Array(256);
  private capturedLength = 0;
  private captureOverflow = false;
  private highSurrogate = -1;
  private hexCount = 0;
  private hex = 0;
  private numState = N_MINUS;
  private numIntDigits = 0;
  private numFracZeros = 0;
  private numAllZero = true;
  private numExp = 0;
  private numExpNeg = false;
  private literal: readonly number[] = LITERALS[0] as readonly number[];
  private literalPos = 0;
  private line = 1;
  private column = 0;

  constructor(private readonly listener: JsonListener) {}

  /** Refuses the input with `message` (a listener's shape error); later input is ignored. */
  fail(message: string): void {
    if (this.state === S_FAILED) return;
    this.state = S_FAILED;
    this.error = `${message} at line ${this.line} column ${this.column}`;
  }

  /** Whether the input has been refused. */
  get failed(): boolean {
    return this.state === S_FAILED;
  }

  /** Reads one chunk of the input. */
  write(chunk: Uint8Array): void {
    const length = chunk.length;
    if (this.state === S_NUMBER) {
      // A number continued from the previous chunk.
      this.numChunk = chunk;
      this.numStart = 0;
    }
    this.scan(chunk, length, 0);
    if (this.state === S_NUMBER && this.numChunk === chunk) {
      if (this.numCarry.length + (length - this.numStart) > 4096) this.numCarryOverflow = true;
      else this.numCarry += String.fromCharCode(...chunk.subarray(this.numStart, length));
    }
  }

  private scan(chunk: Uint8Array, length: number, start: number): void {
    let i = start;
    while (i < length) {
      const state = this.state;
      if (state === S_FAILED) return;
      const byte = chunk[i] as number;
      switch (state) {
        case S_STRING: {
          if (this.highSurrogate >= 0 && byte !== 92) {
            this.column++;
            this.fail('unexpected end of hex escape');
            return;
          }
          // Fast path: a run of plain bytes.
          let j = i;
          while (j < length) {
            const b = chunk[j] as number;
            if (b === 34 || b === 92 || b < 32) break;
            j++;
          }
          if (j > i) {
            if (this.capturing) this.capture(chunk, i, j);
            this.column += j - i;
            i = j;
            continue;
          }
          this.column++;
          i++;
          if (byte === 34) this.endString();
          else if (byte === 92) this.state = S_ESCAPE;
          else {
            this.fail('control character (\\u0000-\\u001F) found while parsing a string');
            return;
          }
          continue;
        }
        case S_ESCAPE: {
          this.column++;
          i++;
          if (this.highSurrogate >= 0 && byte !== 117) {
            this.fail('unexpected end of hex escape');
            return;
          }
          let out = -1;
          switch (byte) {
            case 34:
              out = 34;
              break;
            case 92:
              out = 92;
              break;
            case 47:
              out = 47;
              break;
            case 98:
              out = 8;
              break;
            case 102:
              out = 12;
              break;
            case 110:
              out = 10;
              break;
            case 114:
              out = 13;
              break;
            case 116:
              out = 9;
              break;
            case 117:
              this.state = S_UNICODE;
              this.hexCount = 0;
              this.hex = 0;
              continue;
            default:
              this.fail('invalid escape');
              return;
          }
          if (this.capturing) this.captureByte(out);
          this.state = S_STRING;
          continue;
        }
        case S_UNICODE: {
          this.column++;
          i++;
          const digit = hexValue(byte);
          if (digit < 0) {
            this.fail('invalid escape');
            return;
          }
          this.hex = (this.hex << 4) | digit;
          if (++this.hexCount < 4) continue;
          this.unicodeEscape(this.hex);
          continue;
        }
        case S_NUMBER: {
          if (this.numberByte(byte)) {
            this.column++;
            i++;
            continue;
          }
          if (this.state === S_FAILED) return;
          this.endNumber(chunk, i);
          continue; // reread this byte after the number
        }
        case S_LITERAL: {
          this.column++;
          i++;
          if (byte !== this.literal[this.literalPos]) {
            this.fail('expected ident');
            return;
          }
          if (++this.literalPos === this.literal.length) this.valueDone();
          continue;
        }
        default:
          break;
      }
      // Structural states: whitespace first.
      if (byte === 32 || byte === 9 || byte === 13) {
        this.column++;
        i++;
        continue;
      }
      if (byte === 10) {
        this.line++;
        this.column = 0;
        i++;
        continue;
      }
      this.column++;
      i++;
      this.structural(byte, chunk, i - 1);
    }
  }

  /** Ends the input; returns the error, if any. */
  end(): string | undefined {
    if (this.state === S_NUMBER) {
      if (this.depth === 0) this.endNumber(undefined, 0);
      else this.fail('EOF while parsing a value');
    }
    switch (this.state) {
      case S_DONE:
      case S_FAILED:
        break;
      case S_STRING:
      case S_ESCAPE:
      case S_UNICODE:
        this.fail('EOF while parsing a string');
        break;
      case S_LITERAL:
        this.fail('EOF while parsing a value');
        break;
      default:
        if (this.depth === 0) this.fail('EOF while parsing a value');
        else
          this.fail(
            this.containers[this.depth - 1] === 1
              ? 'EOF while parsing an object'
              : 'EOF while parsing a list',
          );
    }
    return this.error;
  }

  private structural(byte: number, chunk: Uint8Array, at: number): void {
    switch (this.state) {
      case S_DONE:
        this.fail('trailing characters');
        return;
      case S_COLON:
        if (byte !== 58) {
          this.fail('expected `:`');
          return;
        }
        this.state = S_VALUE;
        return;
      case S_OBJECT_FIRST:
        if (byte === 125) {
          this.closeContainer();
          return;
        }
        if (byte !== 34) {
          this.fail('key must be a string');
          return;
        }
        this.startString(true);
        return;
      case S_KEY:
        if (byte !== 34) {
          this.fail(byte === 125 ? 'trailing comma' : 'key must be a string');
          return;
        }
        this.startString(true);
        return;
      case S_AFTER: {
        const object = this.containers[this.depth - 1] === 1;
        if (byte === 44) {
          this.state = object ? S_KEY : S_VALUE;
          if (!object) this.afterComma = true;
          return;
        }
        if (byte === (object ? 125 : 93)) {
          this.closeContainer();
          return;
        }
        this.fail(object ? 'expected `,` or `}`' : 'expected `,` or `]`');
        return;
      }
      case S_ARRAY_FIRST:
        if (byte === 93) {
          this.closeContainer();
          return;
        }
        this.startValue(byte, chunk, at);
        return;
      default:
        // S_VALUE
        if (byte === 93 && this.afterComma) {
          this.fail('trailing comma');
          return;
        }
        this.startValue(byte, chunk, at);
        return;
    }
  }

  private afterComma = false;

  private startValue(byte: number, chunk: Uint8Array, at: number): void {
    this.afterComma = false;
    switch (byte) {
      case 123:
      case 91: {
        if (this.depth >= MAX_DEPTH) {
          this.fail('recursion limit exceeded');
          return;
        }
        const object = byte === 123;
        this.listener.value(object ? JsonKind.Object : JsonKind.Array);
        if (this.state === S_FAILED) return;
        this.containers[this.depth++] = object ? 1 : 0;
        this.state = object ? S_OBJECT_FIRST : S_ARRAY_FIRST;
        return;
      }
      case 34: {
        const capture = this.listener.value(JsonKind.String);
        if (this.state === S_FAILED) return;
        this.startString(false, capture);
        return;
      }
      case 116:
      case 102:
      case 110: {
        this.listener.value(
          byte === 116 ? JsonKind.True : byte === 102 ? JsonKind.False : JsonKind.Null,
        );
        if (this.state === S_FAILED) return;
        this.literal = LITERALS[byte === 116 ? 0 : byte === 102 ? 1 : 2] as readonly number[];
        this.literalPos = 1;
        this.state = S_LITERAL;
        return;
      }
      default:
        if (byte === 45 || (byte >= 48 && byte <= 57)) {
          this.listener.value(JsonKind.Number);
          if (this.state === S_FAILED) return;
          this.state = S_NUMBER;
          this.numIntDigits = 0;
          this.numFracZeros = 0;
          this.numAllZero = true;
          this.numExp = 0;
          this.numExpNeg = false;
          this.numStart = at;
          this.numChunk = chunk;
          this.numCarry = '';
          this.numCarryOverflow = false;
          if (byte === 45) this.numState = N_MINUS;
          else this.numberDigitStart(byte);
          return;
        }
        this.fail('expected value');
        return;
    }
  }

  private numStart = 0;
  private numCarry = '';
  private numCarryOverflow = false;
  private numChunk: Uint8Array | undefined;

  private numberDigitStart(byte: number): void {
    if (byte === 48) this.numState = N_ZERO;
    else {
      this.numState = N_INT;
      this.numIntDigits = 1;
      this.numAllZero = false;
    }
  }

  /** Consumes `byte` as part of the number; `false` when the number ended before it. */
  private numberByte(byte: number): boolean {
    const digit = byte >= 48 && byte <= 57;
    switch (this.numState) {
      case N_MINUS:
        if (!digit) {
          this.fail('invalid number');
          return false;
        }
        this.numberDigitStart(byte);
        return true;
      case N_ZERO:
        if (digit) {
          this.fail('invalid number');
          return false;
        }
        return this.numberSuffix(byte);
      case N_INT:
        if (digit) {
          this.numIntDigits++;
          return true;
        }
        return this.numberSuffix(byte);
      case N_DOT:
      case N_FRAC:
        if (digit) {
          if (this.numAllZero) {
            if (byte === 48) this.numFracZeros++;
            else this.numAllZero = false;
          }
          this.numState = N_FRAC;
          return true;
        }
        if (this.numState === N_DOT) {
          this.fail('invalid number');
          return false;
        }
        if (byte === 101 || byte === 69) {
          this.numState = N_E;
          return true;
        }
        return false;
      case N_E:
      case N_ESIGN:
        if (this.numState === N_E && (byte === 43 || byte === 45)) {
          this.numExpNeg = byte === 45;
          this.numState = N_ESIGN;
          return true;
        }
        if (!digit) {
          this.fail('invalid number');
          return false;
        }
        this.numState = N_EXP;
        this.numExp = byte - 48;
        return true;
      default:
        // N_EXP
        if (digit) {
          if (this.numExp < 1e7) this.numExp = this.numExp * 10 + (byte - 48);
          return true;
        }
        return false;
    }
  }

  private numberSuffix(byte: number): boolean {
    if (byte === 46) {
      this.numState = N_DOT;
      return true;
    }
    if (byte === 101 || byte === 69) {
      this.numState = N_E;
      return true;
    }
    return false;
  }

  /** Number ended before `chunk[at]` (or at the end of input): check it fits an f64. */
  private endNumber(chunk: Uint8Array | undefined, at: number): void {
    if (
      this.numState === N_MINUS ||
      this.numState === N_DOT ||
      this.numState === N_E ||
      this.numState === N_ESIGN
    ) {
      this.fail('invalid number');
      return;
    }
    if (!this.numAllZero) {
      const exp = this.numExpNeg ? -this.numExp : this.numExp;
      // The value lies in [10^(magnitude-1), 10^magnitude).
      const magnitude = (this.numIntDigits > 0 ? this.numIntDigits : -this.numFracZeros) + exp;
      if (magnitude > 309) {
        this.fail('number out of range');
        return;
      }
      if (magnitude === 309) {
        // Close to f64::MAX: decide on the text when it lies in this chunk, else refuse.
        const tail =
          chunk !== undefined && chunk === this.numChunk
            ? String.fromCharCode(
                ...chunk.subarray(this.numStart, Math.min(at, this.numStart + 4096)),
              )
            : '';
        const text = this.numCarryOverflow || at - this.numStart > 4096 ? '' : this.numCarry + tail;
        if (text === '' || !Number.isFinite(Number(text))) {
          this.fail('number out of range');
          return;
        }
      }
    }
    this.numChunk = undefined;
    this.valueDone();
  }

  private startString(isKey: boolean, capture = false): void {
    this.inKey = isKey;
    this.capturing = isKey ? this.listener.wantKey() : capture;
    if (this.state === S_FAILED) return;
    this.capturedLength = 0;
    this.captureOverflow = false;
    this.highSurrogate = -1;
    this.state = S_STRING;
  }

  private endString(): void {
    let text: string | undefined;
    if (this.capturing && !this.captureOverflow) {
      try {
        decoder ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
        text = decoder.decode(this.captured.subarray(0, this.capturedLength));
      } catch {
        this.fail('invalid unicode code point');
        return;
      }
    }
    this.capturing = false;
    if (this.inKey) {
      this.state = S_COLON;
      this.listener.key(text);
      return;
    }
    this.state = S_AFTER;
    if (text !== undefined || this.captureOverflow) this.listener.string(text);
    if (this.state !== S_FAILED) this.valueDone();
  }

  private unicodeEscape(unit: number): void {
    if (this.highSurrogate >= 0) {
      if (unit < 0xdc00 || unit > 0xdfff) {
        this.fail('lone leading surrogate in hex escape');
        return;
      }
      const point = ((this.highSurrogate - 0xd800) << 10) + (unit - 0xdc00) + 0x10000;
      this.highSurrogate = -1;
      this.state = S_STRING;
      if (this.capturing) this.capturePoint(point);
      return;
    }
    // serde_json reports a trailing surrogate first as a "lone leading" one (read.rs:911).
    if (unit >= 0xdc00 && unit <= 0xdfff) {
      this.fail('lone leading surrogate in hex escape');
      return;
    }
    this.state = S_STRING;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      this.highSurrogate = unit;
      return;
    }
    if (this.capturing) this.capturePoint(unit);
  }

  private valueDone(): void {
    this.state = this.depth === 0 ? S_DONE : S_AFTER;
  }

  private closeContainer(): void {
    this.depth--;
    this.listener.close();
    if (this.state !== S_FAILED) this.valueDone();
  }

  private capture(chunk: Uint8Array, from: number, to: number): void {
    const length = to - from;
    if (!this.reserve(length)) return;
    this.captured.set(chunk.subarray(from, to), this.capturedLength);
    this.capturedLength += length;
  }

  private captureByte(byte: number): void {
    if (!this.reserve(1)) return;
    this.captured[this.capturedLength++] = byte;
  }

  private capturePoint(point: number): void {
    if (point < 0x80) {
      this.captureByte(point);
      return;
    }
    if (point < 0x800) {
      this.captureByte(0xc0 | (point >> 6));
    } else if (point < 0x10000) {
      this.captureByte(0xe0 | (point >> 12));
      this.captureByte(0x80 | ((point >> 6) & 0x3f));
    } else {
      this.captureByte(0xf0 | (point >> 18));
      this.captureByte(0x80 | ((point >> 12) & 0x3f));
      this.captureByte(0x80 | ((point >> 6) & 0x3f));
    }
    this.captureByte(0x80 | (point & 0x3f));
  }

  private reserve(extra: number): boolean {
    if (this.captureOverflow) return false;
    const needed = this.capturedLength + extra;
    if (needed > MAX_CAPTURED_BYTES) {
      this.captureOverflow = true;
      return false;
    }
    if (needed > this.captured.length) {
      const grown = new Uint8Array(
        Math.min(MAX_CAPTURED_BYTES, Math.max(needed, this.captured.length * 2)),
      );
      grown.set(this.captured.subarray(0, this.capturedLength));
      this.captured = grown;
    }
    return true;
  }
}
