/** What the gateway decided about one request. */
export type GatewayDecision = 'allowed' | 'denied' | 'exempt' | 'preflight' | 'unchecked';

/** One structured log line. Never carries a secret: `keyId` is redacted by @qdrant-kit/core. */
export interface RequestLogEntry {
  readonly time: string;
  readonly method: string;
  /** Matched route pattern, e.g. `/collections/{collection_name}/points/search`. */
  readonly route: string | null;
  readonly collection: string | null;
  readonly decision: GatewayDecision;
  readonly status: number;
  readonly latencyMs: number;
  readonly keyKind: string | null;
  readonly keyId: string | null;
  /** Why a request was denied or failed (the cluster's message, never a key). */
  readonly reason?: string;
}

/** Receives one entry per request. */
export type RequestLogger = (entry: RequestLogEntry) => void;

/** Writes each entry as one JSON line with `console.log`. */
export const jsonLineLogger: RequestLogger = (entry) => {
  console.log(JSON.stringify(entry));
};

/** Drops every entry. */
export const silentLogger: RequestLogger = () => undefined;
