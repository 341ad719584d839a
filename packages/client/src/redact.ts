// Keeps secrets out of everything the client throws or reports. Values that came back from a
// server (error messages, details) or from a caller (paths) are scrubbed before they are stored.

const MASK = '[REDACTED]';

/** Replaces every occurrence of each secret in `text` with `[REDACTED]`. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    // Short secrets would mask ordinary text; real keys are long.
    if (secret.length >= 8 && out.includes(secret)) out = out.split(secret).join(MASK);
  }
  return out;
}

/** Scrubs any JSON-able value by round-tripping it through its JSON text. */
export function scrubValue<T>(value: T, secrets: readonly string[]): T {
  if (value === undefined) return value;
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    return '[unserializable]' as T;
  }
  // Inside JSON text a secret with `"` or `\\` appears escaped; scrub that spelling too.
  const clean = scrub(text, [
    ...secrets,
    ...secrets.map((secret) => JSON.stringify(secret).slice(1, -1)),
  ]);
  return clean === text ? value : (JSON.parse(clean) as T);
}
