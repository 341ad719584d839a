import type { RetryOptions } from './call-options.js';

/** A retry policy with every value filled in. */
export interface ResolvedRetry {
  readonly retries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

const DEFAULTS: ResolvedRetry = { retries: 3, baseDelayMs: 500, maxDelayMs: 30_000 };

/** Turns the `retry` option (count, options, `0`/`false`, undefined) into a full policy. */
export function resolveRetry(option: number | false | RetryOptions | undefined): ResolvedRetry {
  if (option === undefined) return DEFAULTS;
  if (option === false) return { ...DEFAULTS, retries: 0 };
  if (typeof option === 'number') return { ...DEFAULTS, retries: wholeNumber(option) };
  return {
    retries: option.retries === undefined ? DEFAULTS.retries : wholeNumber(option.retries),
    baseDelayMs: option.baseDelayMs ?? DEFAULTS.baseDelayMs,
    maxDelayMs: option.maxDelayMs ?? DEFAULTS.maxDelayMs,
  };
}

function wholeNumber(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

/**
 * The pause before retry number `attempt` in ms: the server's `Retry-After` (seconds) when it
 * sent one, else exponential back-off with full jitter, uniform in
 * [0, min(max, base * 2^(attempt-1))]. Undefined when the server asks for more than `maxDelayMs`.
 */
export function delayBeforeRetry(
  attempt: number,
  policy: ResolvedRetry,
  retryAfterSeconds: number | undefined,
): number | undefined {
  if (retryAfterSeconds !== undefined) {
    const asked = retryAfterSeconds * 1000;
    return asked > policy.maxDelayMs ? undefined : asked;
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(Math.random() * ceiling);
}

/** `Retry-After` in seconds (delta-seconds or an HTTP date), or undefined if absent or unreadable. */
export function parseRetryAfter(
  value: string | null,
  now: number = Date.now(),
): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** Resolves after `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
