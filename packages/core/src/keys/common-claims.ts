// One pass from bytes to claims for the shape almost every database key has: a compact object
// with `exp`, `access` (a global mode or `{"collection":..,"access":..}` grants), `sub` and
// `subject`, each once, plain ASCII strings, no whitespace. Anything else (escapes, spaces,
// other fields, duplicates, payload constraints, big numbers...) returns `undefined` and goes
// through the general JSON reader and claims parser, which decide it exactly as the cluster.
// So this reader never refuses a token and never accepts one the general path would not: on
// what it accepts it gives the same result (a property test holds it to that).
import {
  type Access,
  type CollectionAccessMode,
  type CollectionGrant,
  GLOBAL_MANAGE,
  GLOBAL_READ,
} from '../access/model.js';
import type { AccessClaim, ClaimsParseResult, DatabaseKeyClaims } from './claims.js';

const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
// `exp` up to 15 digits is below 2^53: exact as a number, and always a u64.
const MAX_EXP_DIGITS = 15;

class Cursor {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  take(byte: number): boolean {
    if (this.bytes[this.pos] !== byte) return false;
    this.pos++;
    return true;
  }

  /** A string of printable ASCII without escapes; `undefined` otherwise. */
  plainString(): string | undefined {
    const b = this.bytes;
    if (b[this.pos] !== QUOTE) return undefined;
    const start = this.pos + 1;
    let end = start;
    for (;;) {
      const c = b[end];
      if (c === undefined || c < 0x20 || c > 0x7e || c === 0x5c) return undefined;
      if (c === QUOTE) break;
      end++;
    }
    this.pos = end + 1;
    if (end - start > 32) return asciiDecoder.decode(b.subarray(start, end));
    let text = '';
    for (let i = start; i < end; i++) text += String.fromCharCode(b[i] as number);
    return text;
  }

  /** Consumes `"word":` when it comes next (compared as bytes: no string is built). */
  key(word: string): boolean {
    const b = this.bytes;
    const p = this.pos;
    const length = word.length;
    if (b[p] !== QUOTE || b[p + length + 1] !== QUOTE || b[p + length + 2] !== COLON) return false;
    for (let i = 0; i < length; i++) if (b[p + 1 + i] !== word.charCodeAt(i)) return false;
    this.pos = p + length + 3;
    return true;
  }

  /** Consumes a quoted access mode, returned as a constant string. */
  mode(): 'r' | 'rw' | 'prw' | 'm' | undefined {
    const b = this.bytes;
    const p = this.pos;
    if (b[p] !== QUOTE) return undefined;
    let found: 'r' | 'rw' | 'prw' | 'm' | undefined;
    let length = 0;
    if (b[p + 1] === 0x72) {
      if (b[p + 2] === 0x77) [found, length] = ['rw', 2];
      else [found, length] = ['r', 1];
    } else if (b[p + 1] === 0x6d) [found, length] = ['m', 1];
    else if (b[p + 1] === 0x70 && b[p + 2] === 0x72 && b[p + 3] === 0x77)
      [found, length] = ['prw', 3];
    if (found === undefined || b[p + length + 1] !== QUOTE) return undefined;
    this.pos = p + length + 2;
    return found;
  }

  /** Digits of a non-negative integer without leading zeros (and no fraction or exponent). */
  exp(): number | undefined {
    const b = this.bytes;
    const start = this.pos;
    let value = 0;
    while (this.pos < b.length) {
      const c = b[this.pos] as number;
      if (c < 0x30 || c > 0x39) break;
      value = value * 10 + (c - 0x30);
      this.pos++;
    }
    const digits = this.pos - start;
    if (digits === 0 || digits > MAX_EXP_DIGITS) return undefined;
    if (digits > 1 && b[start] === 0x30) return undefined;
    const next = b[this.pos];
    if (next === 0x2e || next === 0x65 || next === 0x45) return undefined;
    return value;
  }
}

// Longer strings are built natively (the bytes are printable ASCII, so any decoder agrees).
const asciiDecoder = new TextDecoder();

function readGrants(cursor: Cursor): readonly CollectionGrant[] | undefined {
  const grants: CollectionGrant[] = [];
  if (cursor.take(0x5d)) return Object.freeze(grants);
  do {
    if (!cursor.take(0x7b)) return undefined;
    let collection: string | undefined;
    let mode: CollectionAccessMode | undefined;
    if (cursor.key('collection')) {
      collection = cursor.plainString();
      if (!cursor.take(COMMA) || !cursor.key('access')) return undefined;
      mode = collectionMode(cursor.mode());
    } else if (cursor.key('access')) {
      mode = collectionMode(cursor.mode());
      if (!cursor.take(COMMA) || !cursor.key('collection')) return undefined;
      collection = cursor.plainString();
    }
    if (collection === undefined || mode === undefined || !cursor.take(0x7d)) return undefined;
    // A repeated collection is a validation error: left to the general parser.
    for (const grant of grants) if (grant.collection === collection) return undefined;
    grants.push(Object.freeze({ collection, access: mode }));
  } while (cursor.take(COMMA));
  return cursor.take(0x5d) ? Object.freeze(grants) : undefined;
}

function collectionMode(mode: string | undefined): CollectionAccessMode | undefined {
  return mode === 'm' ? undefined : (mode as CollectionAccessMode | undefined);
}

/**
 * Reads claims of the common compact shape in one pass; `undefined` means "not that shape",
 * never "refused": the caller then runs the general parser.
 */
export function readCommonClaims(bytes: Uint8Array): ClaimsParseResult | undefined {
  const cursor = new Cursor(bytes);
  if (!cursor.take(0x7b)) return undefined;
  let sub: string | undefined;
  let exp: number | undefined;
  let claim: AccessClaim | undefined;
  let access: Access = GLOBAL_MANAGE;
  let subject: string | undefined;
  if (!cursor.take(0x7d)) {
    do {
      if (exp === undefined && cursor.key('exp')) {
        exp = cursor.exp();
        if (exp === undefined) return undefined;
      } else if (claim === undefined && cursor.key('access')) {
        if (cursor.take(0x5b)) {
          const grants = readGrants(cursor);
          if (grants === undefined) return undefined;
          claim = grants;
          access = Object.freeze({ kind: 'collections', collections: grants });
        } else {
          const mode = cursor.mode();
          if (mode === 'r') access = GLOBAL_READ;
          else if (mode !== 'm') return undefined;
          claim = mode;
        }
      } else if (sub === undefined && cursor.key('sub')) {
        sub = cursor.plainString();
        if (sub === undefined) return undefined;
      } else if (subject === undefined && cursor.key('subject')) {
        subject = cursor.plainString();
        if (subject === undefined) return undefined;
      } else return undefined;
    } while (cursor.take(COMMA));
    if (!cursor.take(0x7d)) return undefined;
  }
  if (cursor.pos !== bytes.length) return undefined;
  // Same fields in the same order as the general parser builds them.
  const claims: { -readonly [K in keyof DatabaseKeyClaims]: DatabaseKeyClaims[K] } = {};
  if (sub !== undefined) claims.sub = sub;
  if (exp !== undefined) claims.exp = exp;
  if (claim !== undefined) claims.access = claim;
  if (subject !== undefined) claims.subject = subject;
  return {
    ok: true,
    claims: Object.freeze(claims),
    access,
    expiresAt: exp,
    validationError: undefined,
  };
}
