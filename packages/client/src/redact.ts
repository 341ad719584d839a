// Keeps secrets out of everything the client throws or reports. Values that came back from a
// server (error messages, details) or from a caller (paths) are scrubbed before they are stored.

const MASK = '[REDACTED]';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every spelling of each secret a server or a URL could echo: as is, URL-encoded, JSON-escaped. */
function spellings(secrets: readonly string[]): string[] {
  const out = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret === '') continue;
    out.add(secret);
    out.add(encodeURIComponent(secret));
    out.add(JSON.stringify(secret).slice(1, -1));
  }
  // Longest first, so a spelling that contains another is masked whole.
  return [...out].sort((a, b) => b.length - a.length);
}

const patterns = new WeakMap<readonly string[], RegExp | null>();

/**
 * Replaces every occurrence of each secret in `text` with `[REDACTED]`, in any letter case and
 * in its URL-encoded and JSON-escaped spellings, however short the secret is.
 */
export function scrub(text: string, secrets: readonly string[]): string {
  let pattern = patterns.get(secrets);
  if (pattern === undefined) {
    const all = spellings(secrets);
    pattern = all.length === 0 ? null : new RegExp(all.map(escapeRegExp).join('|'), 'gi');
    patterns.set(secrets, pattern);
  }
  return pattern === null ? text : text.replace(pattern, MASK);
}

/** Scrubs any JSON-able value by scrubbing every string in it (keys included). */
export function scrubValue<T>(value: T, secrets: readonly string[], depth = 0): T {
  if (typeof value === 'string') return scrub(value, secrets) as T;
  if (typeof value !== 'object' || value === null) return value;
  if (depth > 32) return '[too deep]' as T;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, secrets, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[scrub(key, secrets)] = scrubValue(item, secrets, depth + 1);
  }
  return out as T;
}
