import type { Context } from 'hono';

/**
 * When the gateway started on this request (`performance.now()`): the first of its middleware
 * to run records it, so log latencies and the `time` of error bodies count from the request's
 * start whichever middleware an app composes.
 */
export function requestStart(c: Context): number {
  const recorded = c.get('qdrantRequestStart');
  if (recorded !== undefined) return recorded;
  const now = performance.now();
  c.set('qdrantRequestStart', now);
  return now;
}
