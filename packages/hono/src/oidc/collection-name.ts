/**
 * The cluster's rule for a collection name it would create, used to decide whether a name
 * built from a token's claims can be granted.
 *
 * @module
 */

/** Longest collection name the cluster accepts, in characters (`src/actix/api/mod.rs:36`). */
export const MAX_COLLECTION_NAME_CHARS = 255;

// `lib/common/common/src/validation.rs:93` (INVALID_NAME_CHARS): the characters a new
// collection's name may not contain, on Linux and Windows file systems alike.
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL and U+001F are two of the forbidden characters.
const FORBIDDEN_CHARS = /[<>:"/\\|?*\u0000\u001f]/u;
/** An unpaired surrogate: with the `u` flag a surrogate range matches no paired one. */
export const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** True when `text` holds a character no collection name may hold (see {@link isValidCollectionName}). */
export function hasForbiddenNameChars(text: string): boolean {
  return FORBIDDEN_CHARS.test(text) || LONE_SURROGATE.test(text);
}

/**
 * True when the cluster would accept `name` for a new collection: 1 to 255 characters (Unicode
 * scalar values, as the cluster's validator counts) and none of `< > : " / \ | ? *`, NUL or
 * U+001F (`lib/common/common/src/validation.rs:113`, `src/actix/api/mod.rs:34`).
 *
 * Stricter than the cluster in one way, the safe one: `.` and `..` are refused too, since
 * they are path segments to every URL parser between a browser and the cluster.
 */
export function isValidCollectionName(name: string): boolean {
  if (typeof name !== 'string' || name.length === 0) return false;
  if (name === '.' || name === '..') return false;
  // A claim can hold a lone surrogate: JSON.parse reads a `\ud800` escape as one.
  if (hasForbiddenNameChars(name)) return false;
  let chars = 0;
  for (const _ of name) if (++chars > MAX_COLLECTION_NAME_CHARS) return false;
  return true;
}
