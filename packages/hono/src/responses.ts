import { qdrantErrorBody } from '@qdrant-kit/core';

// The gateway turns every decision into a response here, so bodies match the cluster's bytes.

/** A plain-text answer, as the cluster's auth layer sends 401/403. */
export function plainTextResponse(status: number, message: string): Response {
  return new Response(message, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  });
}

/** The cluster's JSON error shape: `{"status":{"error":message},"time":seconds}`. */
export function qdrantErrorResponse(status: number, message: string, startedAt?: number): Response {
  const seconds = startedAt === undefined ? 0 : (performance.now() - startedAt) / 1000;
  return new Response(qdrantErrorBody(message, seconds), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}
