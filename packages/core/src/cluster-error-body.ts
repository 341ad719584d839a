/**
 * Bodies in the cluster's own error format, for layers that answer in its place.
 *
 * @module
 */

/**
 * The JSON body a Qdrant cluster sends with a handler error:
 * `{"status":{"error":message},"time":seconds}`.
 *
 * @param message e.g. `Forbidden: Access to collection docs is required`
 * @param timeSeconds time spent, in seconds (default 0)
 */
export function qdrantErrorBody(message: string, timeSeconds = 0): string {
  return JSON.stringify({ status: { error: message }, time: timeSeconds });
}
