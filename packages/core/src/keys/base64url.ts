// Strict base64url as the Rust `base64` crate's URL_SAFE_NO_PAD engine decodes it: no padding,
// no whitespace, a length that is not 1 mod 4, and zero trailing bits in the last symbol.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The value of a base64url symbol (`A-Z a-z 0-9 - _`), -1 for any other character code. */
function sextetOf(code: number): number {
  if (code >= 0x61) return code <= 0x7a ? code - 71 : -1;
  if (code >= 0x41) return code <= 0x5a ? code - 0x41 : code === 0x5f ? 63 : -1;
  if (code >= 0x30) return code <= 0x39 ? code + 4 : -1;
  return code === 0x2d ? 62 : -1;
}

/** Decodes `text[start, end)`; `undefined` when it is not canonical unpadded base64url. */
export function decodeBase64Url(
  text: string,
  start = 0,
  end = text.length,
): Uint8Array<ArrayBuffer> | undefined {
  const size = decodedSize(end - start);
  if (size < 0) return undefined;
  const out = new Uint8Array(size);
  return decodeInto(text, start, end, out) ? out : undefined;
}

// Reused by decodeBase64UrlTransient: a byte array over 64 bytes lives off the JS heap, and
// allocating (then collecting) one per request costs about as much as decoding it.
const MAX_SCRATCH = 16_384;
let scratch: Uint8Array | undefined;

/**
 * Like {@link decodeBase64Url}, but the bytes may live in a shared scratch buffer that the next
 * call overwrites: only for bytes read synchronously and dropped (e.g. parsed as JSON), never
 * for bytes handed to crypto or kept.
 */
export function decodeBase64UrlTransient(
  text: string,
  start: number,
  end: number,
): Uint8Array | undefined {
  const size = decodedSize(end - start);
  if (size < 0) return undefined;
  if (size > MAX_SCRATCH) return decodeBase64Url(text, start, end);
  if (scratch === undefined || size > scratch.length)
    scratch = new Uint8Array(size > 1024 ? MAX_SCRATCH : 1024);
  // A view of exactly `size` bytes: readers see `undefined` past the end, never stale bytes.
  const out = scratch.subarray(0, size);
  return decodeInto(text, start, end, out) ? out : undefined;
}

/** Decoded size of `length` base64url characters; -1 when no canonical text has that length. */
function decodedSize(length: number): number {
  const rest = length & 3;
  if (rest === 1 || length < 0) return -1;
  return (length >> 2) * 3 + (rest === 0 ? 0 : rest - 1);
}

function decodeInto(text: string, start: number, end: number, out: Uint8Array): boolean {
  // Six bits in per symbol, a byte out whenever eight are pending; a Uint8Array keeps the low
  // eight bits of what it is given, so `bits` alone says which bits of `pending` are unread.
  let pending = 0;
  let bits = 0;
  let o = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    const sextet = sextetOf(code);
    if (sextet < 0) return false;
    pending = ((pending << 6) | sextet) & 0xfff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = pending >> bits;
    }
  }
  // The bits left over (4 after two symbols, 2 after three) must be zero.
  return (pending & ((1 << bits) - 1)) === 0;
}

/** Encodes bytes as unpadded base64url. */
export function encodeBase64Url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n =
      ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out +=
      ALPHABET.charAt(n >> 18) +
      ALPHABET.charAt((n >> 12) & 63) +
      ALPHABET.charAt((n >> 6) & 63) +
      ALPHABET.charAt(n & 63);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out += ALPHABET.charAt(n >> 18) + ALPHABET.charAt((n >> 12) & 63);
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out +=
      ALPHABET.charAt(n >> 18) + ALPHABET.charAt((n >> 12) & 63) + ALPHABET.charAt((n >> 6) & 63);
  }
  return out;
}

let encoder: TextEncoder | undefined;

/** UTF-8 bytes of a string (native: faster than a JS loop even for ASCII). */
export function utf8(text: string): Uint8Array<ArrayBuffer> {
  encoder ??= new TextEncoder();
  return encoder.encode(text) as Uint8Array<ArrayBuffer>;
}

/** Encodes a UTF-8 string as unpadded base64url. */
export function encodeBase64UrlText(text: string): string {
  return encodeBase64Url(utf8(text));
}
