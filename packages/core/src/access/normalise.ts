// Path handling exactly as a Qdrant v1.19 cluster does it (actix-web 4.14, actix-router 0.5.4):
// 1. `NormalizePath::trim()` works on the raw path: trailing slashes are trimmed, runs of `/`
//    merged, and an empty result becomes `/`. Nothing else: no dot-segment removal, no case folding.
// 2. The router matches against the path "requoted": every `%XX` is decoded except `%25` (`%`),
//    `%2F` (`/`) and `%2B` (`+`), which stay as written (case kept), then bytes are read as
//    UTF-8 lossily. So `%2F` never splits a segment.
// 3. Path parameters handed to handlers are decoded once more, fully (`%2F` -> `/`).

import { hexDigit } from '../hex-digit.js';

let encoder: TextEncoder | undefined;
let decoder: TextDecoder | undefined;

/**
 * actix-router's `Quoter::requote`: decode `%XX` sequences, except bytes in `protected` stay
 * encoded. Works on UTF-8 bytes; returns the input unchanged when nothing decodes.
 */
function requote(value: string, keepReserved: boolean): string {
  if (value.indexOf('%') === -1) return value;
  encoder ??= new TextEncoder();
  const bytes = encoder.encode(value);
  const out = new Uint8Array(bytes.length);
  let length = 0;
  let changed = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (byte === 37 && i + 2 < bytes.length) {
      const high = hexDigit(bytes[i + 1] as number);
      const low = hexDigit(bytes[i + 2] as number);
      if (high >= 0 && low >= 0) {
        const decoded = (high << 4) | low;
        if (!(keepReserved && (decoded === 0x25 || decoded === 0x2f || decoded === 0x2b))) {
          out[length++] = decoded;
          i += 2;
          changed = true;
          continue;
        }
      }
    }
    out[length++] = byte;
  }
  if (!changed) return value;
  decoder ??= new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  return decoder.decode(out.subarray(0, length));
}

/**
 * Normalises a request path the way a Qdrant cluster does before routing: trailing slashes
 * trimmed, repeated slashes merged, percent-encoding decoded except `%25`, `%2F` and `%2B`
 * (so an encoded slash never separates segments), no dot-segment resolution, case kept.
 * A query string or fragment is dropped. Never throws; a non-string gives `/`.
 *
 * The result is the router's view, not a request target: like actix, feeding it back in would
 * decode a second time. Authorize and forward the raw path; use this only to route or display.
 *
 * @example normalisePath('/collections//docs/points/search/') // '/collections/docs/points/search'
 * @example normalisePath('/dashboard%2f..%2fcollections') // unchanged: one segment, no route
 */
export function normalisePath(path: string): string {
  if (typeof path !== 'string') return '/';
  return requoteRouterPath(trimPath(path));
}

/**
 * The raw path as `NormalizePath::trim()` leaves it in the request's URI: query and fragment cut,
 * trailing slashes trimmed, runs of `/` merged, percent-encoding untouched. This is the path the
 * cluster's auth whitelist is matched on (see `isExemptPath`). Internal; `path` is a string.
 */
export function trimPath(path: string): string {
  // Query and fragment cut at the first `?` or `#`; trailing slashes trimmed before runs merge,
  // by a scan: `/\/+$/` backtracks quadratically on a long run of `/` that does not end the path.
  let end = path.search(/[?#]|$/);
  while (path.charCodeAt(end - 1) === 47) end--;
  return path.slice(0, end).replace(/\/\/+/g, '/') || '/';
}

/** The router's view of a path already passed through {@link trimPath}. Internal. */
export function requoteRouterPath(trimmed: string): string {
  return requote(trimmed, true);
}

/**
 * Decodes one segment of a normalised path into the value a handler sees (every `%XX`
 * decoded, including `%2F`, `%25` and `%2B`), as actix's path extractor does.
 */
export function decodePathParam(segment: string): string {
  return requote(segment, false);
}
