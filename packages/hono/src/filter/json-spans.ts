// Byte-faithful edits of JSON text: the kept parts of a response are copied as they came, so
// numbers the cluster wrote (u64 peer ids, `time`) never pass through a JS number.
// Every function expects text that `JSON.parse` already accepted.

/** Offsets `[start, end)` of one JSON value in a text. */
export interface JsonSpan {
  readonly start: number;
  readonly end: number;
}

/** One member of a JSON object: its decoded key, where the member starts, and its value. */
export interface JsonMember {
  readonly key: string;
  readonly start: number;
  readonly value: JsonSpan;
}

function skipSpace(text: string, i: number): number {
  let at = i;
  while (at < text.length) {
    const c = text.charCodeAt(at);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    at++;
  }
  return at;
}

function stringEnd(text: string, start: number): number {
  let at = start + 1;
  while (at < text.length) {
    const c = text.charCodeAt(at);
    if (c === 0x22) return at + 1;
    at += c === 0x5c ? 2 : 1;
  }
  return text.length;
}

/** End offset of the value starting at `start` (no leading space). */
function valueEnd(text: string, start: number): number {
  const first = text.charCodeAt(start);
  if (first === 0x22) return stringEnd(text, start);
  if (first === 0x7b || first === 0x5b) {
    let depth = 0;
    let at = start;
    while (at < text.length) {
      const c = text.charCodeAt(at);
      if (c === 0x22) {
        at = stringEnd(text, at);
        continue;
      }
      if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        depth--;
        if (depth === 0) return at + 1;
      }
      at++;
    }
    return text.length;
  }
  let at = start;
  while (at < text.length) {
    const c = text.charCodeAt(at);
    if (
      c === 0x2c ||
      c === 0x7d ||
      c === 0x5d ||
      c === 0x20 ||
      c === 0x0a ||
      c === 0x0d ||
      c === 0x09
    )
      break;
    at++;
  }
  return at;
}

/** The span of the whole document's value. */
export function rootSpan(text: string): JsonSpan {
  const start = skipSpace(text, 0);
  return { start, end: valueEnd(text, start) };
}

/** The members of the object at `span`, in text order. */
export function objectMembers(text: string, span: JsonSpan): JsonMember[] {
  const members: JsonMember[] = [];
  let at = skipSpace(text, span.start + 1);
  if (text.charCodeAt(at) === 0x7d) return members;
  while (at < span.end) {
    const keyEnd = stringEnd(text, at);
    const key = JSON.parse(text.slice(at, keyEnd)) as string;
    const valueStart = skipSpace(text, skipSpace(text, keyEnd) + 1);
    const end = valueEnd(text, valueStart);
    members.push({ key, start: at, value: { start: valueStart, end } });
    at = skipSpace(text, end);
    if (text.charCodeAt(at) !== 0x2c) break;
    at = skipSpace(text, at + 1);
  }
  return members;
}

/** The elements of the array at `span`, in order. */
export function arrayElements(text: string, span: JsonSpan): JsonSpan[] {
  const elements: JsonSpan[] = [];
  let at = skipSpace(text, span.start + 1);
  if (text.charCodeAt(at) === 0x5d) return elements;
  while (at < span.end) {
    const end = valueEnd(text, at);
    elements.push({ start: at, end });
    at = skipSpace(text, end);
    if (text.charCodeAt(at) !== 0x2c) break;
    at = skipSpace(text, at + 1);
  }
  return elements;
}

/**
 * The object at `span` rewritten member by member: `edit` returns `undefined` to keep a member
 * as it is, `null` to drop it, or the new JSON text of its value.
 */
export function rewriteObject(
  text: string,
  span: JsonSpan,
  edit: (member: JsonMember) => string | null | undefined,
): string {
  const parts: string[] = [];
  for (const member of objectMembers(text, span)) {
    const replaced = edit(member);
    if (replaced === null) continue;
    parts.push(
      replaced === undefined
        ? text.slice(member.start, member.value.end)
        : text.slice(member.start, member.value.start) + replaced,
    );
  }
  return `{${parts.join(',')}}`;
}

/** The array at `span` with only the elements `keep` picks, in the order given. */
export function pickElements(text: string, picked: readonly JsonSpan[]): string {
  return `[${picked.map((s) => text.slice(s.start, s.end)).join(',')}]`;
}

/**
 * Whether any object in the (already `JSON.parse`d) text has a key twice. `JSON.parse` keeps
 * the last copy while the span functions find the first, so a filter deciding on one copy
 * could edit the other; such a text is never filtered.
 */
export function hasDuplicateKeys(text: string): boolean {
  // One entry per open container: its keys so far for an object, `null` for an array.
  const stack: Array<Set<string> | null> = [];
  let expectKey = false;
  let at = 0;
  while (at < text.length) {
    const c = text.charCodeAt(at);
    if (c === 0x22) {
      const end = stringEnd(text, at);
      const keys = stack[stack.length - 1];
      if (expectKey && keys) {
        const raw = text.slice(at + 1, end - 1);
        const key = raw.includes('\\') ? (JSON.parse(text.slice(at, end)) as string) : raw;
        if (keys.has(key)) return true;
        keys.add(key);
        expectKey = false;
      }
      at = end;
      continue;
    }
    if (c === 0x7b) {
      stack.push(new Set());
      expectKey = true;
    } else if (c === 0x5b) {
      stack.push(null);
      expectKey = false;
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c) {
      expectKey = (stack[stack.length - 1] ?? null) !== null;
    }
    at++;
  }
  return false;
}
