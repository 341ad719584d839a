import type { CollectionGrant } from '@qdrant-kit/core';
import type { GatePass } from '../gate.js';
import { qdrantErrorResponse } from '../responses.js';
import type { ForwardResult } from '../upstream/forwarder.js';
import {
  RESPONSE_FILTER_RULES,
  type ResponseFilter,
  type ResponseFilterRule,
} from './response-filters.js';

/** Message of the 502 answered when an upstream answer to filter has an unexpected shape. */
export const UNFILTERABLE_RESPONSE_MESSAGE =
  'Bad Gateway: the upstream answer could not be filtered for this key, so it is not passed on';

/**
 * The filter rule for an allowed request, when its answer must be filtered or refused: only for
 * collection-scoped keys (global keys see what the cluster shows the gateway's key).
 */
export function responseFilterRule(method: string, pass: GatePass): ResponseFilterRule | undefined {
  if (pass.access?.kind !== 'collections' || pass.route === undefined) return undefined;
  return RESPONSE_FILTER_RULES.get(`${method} ${pass.route.pattern}`);
}

/**
 * Applies `filter` to a fully read upstream answer (2xx only: errors pass as they came) and
 * sets `content-length` to what the caller gets. An answer of another shape is a 502.
 */
export async function applyResponseFilter(
  forwarded: ForwardResult,
  filter: ResponseFilter,
  grants: readonly CollectionGrant[],
  startedAt: number,
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
      return {
        response: qdrantErrorResponse(502, UNFILTERABLE_RESPONSE_MESSAGE, startedAt),
        status: 502,
      };
    }
  }
  const headers = new Headers(upstream.headers);
  headers.set('content-length', String(out.byteLength));
  return {
    response: new Response(out as Uint8Array<ArrayBuffer>, {
      status: upstream.status,
      statusText: upstream.statusText,
      headers,
    }),
    status: forwarded.status,
  };
}
