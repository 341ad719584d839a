// What the transport and the database helpers learn from a failed exchange: a secret-free
// summary of a thrown error, whether it can change on a retry, and the Cloud's trace id.
import type { SafeCause } from './errors.js';
import { scrub } from './redact.js';

// Error codes (Node, undici, Deno, Bun) of failures a retry cannot fix: a bad certificate or a
// request the runtime refuses to build. Connection refusals, resets and DNS misses can be
// transient (a restart, a rollout) and stay retryable.
const PERMANENT_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_INVALID_URL',
  'ERR_INVALID_ARG_TYPE',
  'ERR_INVALID_ARG_VALUE',
  'ERR_INVALID_CHAR',
  'ERR_INVALID_HTTP_TOKEN',
  'UND_ERR_INVALID_ARG',
  'UND_ERR_NOT_SUPPORTED',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/** The innermost error of a cause chain (bounded: a custom fetch may build a loop). */
function innermost(error: unknown): unknown {
  let inner: unknown = error;
  for (let depth = 0; depth < 16; depth++) {
    if (!inner || typeof inner !== 'object' || !('cause' in inner)) break;
    const next = (inner as { cause?: unknown }).cause;
    if (!next || typeof next !== 'object' || next === inner) break;
    inner = next;
  }
  return inner;
}

/**
 * A thrown fetch error as name and scrubbed message. Fetch failures nest (undici: TypeError
 * "fetch failed" caused by ECONNREFUSED) and a wrapping error may hold the request options (and
 * so the key), so only the innermost error's name, message and code are kept.
 */
export function safeCause(error: unknown, secrets: readonly string[]): SafeCause {
  const inner = innermost(error);
  const name = inner instanceof Error ? inner.name : 'Error';
  const code = (inner as { code?: unknown } | null)?.code;
  const text = inner instanceof Error ? inner.message : String(inner);
  const detail = `${text}${typeof code === 'string' && !text.includes(code) ? ` (${code})` : ''}`;
  return { name, message: scrub(detail, secrets) };
}

/** Whether a thrown fetch error is one that a retry cannot change. */
export function isPermanentFailure(error: unknown): boolean {
  for (let inner: unknown = error, depth = 0; inner && depth < 16; depth++) {
    const code = (inner as { code?: unknown }).code;
    if (typeof code === 'string' && PERMANENT_CODES.has(code)) return true;
    const next = (inner as { cause?: unknown }).cause;
    if (next === inner) break;
    inner = next;
  }
  return false;
}

// The REST gateway (grpc-gateway) forwards gRPC header metadata as `Grpc-Metadata-<key>` and
// trailer metadata as `Grpc-Trailer-<key>`; a proxy may also pass the bare name on.
const TRACE_HEADERS = ['grpc-metadata-qc-trace-id', 'grpc-trailer-qc-trace-id', 'qc-trace-id'];
const TRACE_ID = /^[\w.:/+=-]{1,128}$/;

/** The Cloud's `qc-trace-id` of a response, when it carries one. */
export function traceIdOf(headers: Headers | undefined): string | undefined {
  if (!headers) return undefined;
  for (const name of TRACE_HEADERS) {
    const value = headers.get(name)?.split(',')[0]?.trim();
    if (value && TRACE_ID.test(value)) return value;
  }
  return undefined;
}
