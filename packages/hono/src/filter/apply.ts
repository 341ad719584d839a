import type { CollectionGrant } from '@qdrant-kit/core';
import type { AuthorizedRequest } from '../check-request.js';
import type { ForwardResult } from '../upstream/forwarder.js';
import {
  RESPONSE_FILTER_RULES,
  type ResponseFilter,
  type ResponseFilterRule,
} from './response-filters.js';

/**
 * The filter rule for an allowed request, when its answer must be filtered or refused: only for
 * collection-scoped keys (global keys see what the cluster shows the gateway's key).
 */
export function responseFilterRule(
  method: string,
  pass: AuthorizedRequest,
): ResponseFilterRule | undefined {
  if (pass.access?.kind !== 'collections' || pass.route === undefined) return undefined;
  return RESPONSE_FILTER_RULES.get(`${method} ${pass.route.pattern}`);
}

/**
 * Applies `filter` to a fully read upstream answer (2xx only: errors pass as they came, unless
 * they carry a `result`, which the cluster's never do) and
 * sets `content-length` to what the caller gets. An answer of another shape is refused
 * (`unfilterable-response`, a 502): never passed on unfiltered.
 */
export async function applyResponseFilter(
  forwarded: Extract<ForwardResult, { ok: true }>,
  filter: ResponseFilter,
  grants: readonly CollectionGrant[],
): Promise<ForwardResult> {
  const upstream = forwarded.response;
  if (upstream.body === null) return forwarded;
  const bytes = new Uint8Array(await upstream.arrayBuffer());
  let out: Uint8Array = bytes;
  if (upstream.status >= 200 && upstream.status < 300) {
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      out = new TextEncoder().encode(filter(text, grants));
    } catch {
      // Not UTF-8, not JSON, or not the cluster's shape: fail closed.
      return { ok: false, reason: 'unfilterable-response' };
    }
  } else if (carriesResult(bytes)) {
    // The cluster's error answers never carry a `result` (only its 200 does:
    // src/actix/helpers.rs:61-63 and :102-104); one that does would pass unfiltered.
    return { ok: false, reason: 'unfilterable-response' };
  }
  const headers = new Headers(upstream.headers);
  headers.set('content-length', String(out.byteLength));
  return {
    ok: true,
    response: new Response(out as Uint8Array<ArrayBuffer>, {
      status: upstream.status,
      statusText: upstream.statusText,
      headers,
    }),
    status: forwarded.status,
  };
}

/** Whether an answer is a JSON object with a `result` member (text that is not JSON has none). */
function carriesResult(bytes: Uint8Array): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return false;
  }
  return typeof parsed === 'object' && parsed !== null && 'result' in parsed;
}
