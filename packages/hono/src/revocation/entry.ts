import * as z from 'zod/mini';
import type { RevocationChange, RevocationEntry, RevocationTarget } from '../state/types.js';

const encoder = new TextEncoder();

function toHex(bytes: ArrayBuffer): string {
  let out = '';
  for (const byte of new Uint8Array(bytes)) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** Lower-case hex SHA-256 of `text`'s UTF-8 bytes (Web Crypto). */
export async function sha256Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

/**
 * The id of the entry revoking `target`: `rv_` and 24 hex digits of a SHA-256 over the kind
 * and the value, so one target has one entry (revoking it again replaces it) and the id says
 * nothing about a subject's name.
 */
export async function revocationId(target: RevocationTarget): Promise<string> {
  const text =
    target.tokenHash !== undefined
      ? `token\u0000${target.tokenHash}`
      : `subject\u0000${target.subject}`;
  return `rv_${(await sha256Hex(text)).slice(0, 24)}`;
}

/** Shape of a revocation id. */
export const REVOCATION_ID = /^rv_[0-9a-f]{24}$/;

const millis = z.number().check(z.int(), z.nonnegative());

// Entries as stored: checked on every load, so a corrupted or foreign value is skipped.
const storedEntry = z.union([
  z.strictObject({
    id: z.string().check(z.regex(REVOCATION_ID)),
    tokenHash: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
    createdAt: millis,
    until: z.optional(millis),
  }),
  z.strictObject({
    id: z.string().check(z.regex(REVOCATION_ID)),
    subject: z.string(),
    createdAt: millis,
    until: z.optional(millis),
  }),
]);

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Reads a stored entry; `undefined` when it is not one. */
export function readRevocationEntry(value: unknown): RevocationEntry | undefined {
  const parsed = storedEntry.safeParse(value);
  return parsed.success ? (parsed.data as RevocationEntry) : undefined;
}

/** Reads an entry from its JSON text; `undefined` when it is not one. */
export function parseRevocationEntry(json: string): RevocationEntry | undefined {
  return readRevocationEntry(parseJsonText(json));
}

const changeMessage = z.union([
  z.object({ version: z.number().check(z.int()), op: z.literal('put'), entry: z.unknown() }),
  z.object({
    version: z.number().check(z.int()),
    op: z.literal('delete'),
    id: z.string().check(z.regex(REVOCATION_ID)),
  }),
]);

/** Reads a change message from the store's channel; `undefined` when it is not one. */
export function parseRevocationChange(json: string): RevocationChange | undefined {
  const parsed = changeMessage.safeParse(parseJsonText(json));
  if (!parsed.success) return undefined;
  if (parsed.data.op === 'delete') return parsed.data;
  const entry = readRevocationEntry(parsed.data.entry);
  return entry === undefined ? undefined : { version: parsed.data.version, op: 'put', entry };
}

/** Whether `entry` still applies at `now` (unix milliseconds). */
export function isInForce(entry: RevocationEntry, now: number): boolean {
  return entry.until === undefined || entry.until > now;
}
