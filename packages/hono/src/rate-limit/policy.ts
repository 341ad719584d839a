import type { RateLimitPolicy } from '../state/types.js';

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  s: 1,
  sec: 1,
  second: 1,
  m: 60,
  min: 60,
  minute: 60,
  h: 3600,
  hour: 3600,
};

const MAX_QUOTA = 1_000_000_000;

/**
 * Reads a rate limit written `<requests>/<unit>`: `100/s`, `6000/min`, `50000/h` (units `s`,
 * `sec`, `second`, `m`, `min`, `minute`, `h`, `hour`). Throws RangeError naming the syntax,
 * never echoing the value.
 */
export function parseRateLimit(text: string): RateLimitPolicy {
  const match = /^\s*(\d{1,10})\s*\/\s*([a-z]+)\s*$/.exec(text);
  const windowSeconds = match ? UNIT_SECONDS[match[2] as string] : undefined;
  const quota = match ? Number(match[1]) : Number.NaN;
  if (windowSeconds === undefined || !(quota >= 1 && quota <= MAX_QUOTA)) {
    throw new RangeError(
      'must be <requests>/<unit> with 1 to 1000000000 requests and a unit of s, min or h (e.g. 100/s, 6000/min)',
    );
  }
  return { quota, windowSeconds };
}

/** Per-subject limits: a policy, or `null` for a subject that is not limited at all. */
export type RateLimitOverrides = ReadonlyMap<string, RateLimitPolicy | null>;

/**
 * Reads `QDRANT_GATEWAY_RATE_LIMIT_OVERRIDES`: a JSON object from `subject` claim to a limit
 * (`{"tenant-a": "1000/min", "batch": "off"}`; `off` = not limited). Throws RangeError.
 */
export function parseRateLimitOverrides(text: string): RateLimitOverrides {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RangeError(
      'must be a JSON object from subject to limit, e.g. {"tenant-a":"1000/min"}',
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RangeError(
      'must be a JSON object from subject to limit, e.g. {"tenant-a":"1000/min"}',
    );
  }
  const overrides = new Map<string, RateLimitPolicy | null>();
  for (const [subject, limit] of Object.entries(value)) {
    if (typeof limit !== 'string') {
      throw new RangeError('each value must be a limit such as "1000/min", or "off"');
    }
    overrides.set(subject, limit.trim() === 'off' ? null : parseRateLimit(limit));
  }
  return overrides;
}

/** Writes a policy back as `<quota>/<unit>` (s, min or h). */
export function formatRateLimit(policy: RateLimitPolicy): string {
  if (policy.windowSeconds === 3600) return `${policy.quota}/h`;
  if (policy.windowSeconds === 60) return `${policy.quota}/min`;
  if (policy.windowSeconds === 1) return `${policy.quota}/s`;
  return `${policy.quota}/${policy.windowSeconds}s`;
}

/**
 * Tokens an instance takes from the shared bucket at once: a twentieth of a second's worth of
 * the limit, at least 1 and at most 1000. Small against the limit, so what instances hold but have
 * not used is little; for `5/s` it is 1 (every request asks the store).
 */
export function leaseSizeFor(policy: RateLimitPolicy): number {
  const perSecond = policy.quota / policy.windowSeconds;
  return Math.max(1, Math.min(1000, Math.floor(perSecond / 20), Math.floor(policy.quota / 20)));
}
