/** How retries are done. `0` or `false` turns them off. */
export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  readonly retries?: number | undefined;
  /** Delay before the first retry in ms; it doubles each time, with full jitter (default 500). */
  readonly baseDelayMs?: number | undefined;
  /** Upper bound of one delay in ms, also for `Retry-After` (default 30 000). */
  readonly maxDelayMs?: number | undefined;
}

/** Per-call options, the last argument of every method. */
export interface CallOptions {
  /** Cancels the call (including retries and back-off waits). */
  readonly signal?: AbortSignal | undefined;
  /** Per-attempt time limit in ms (overrides the client's). `0` = none. */
  readonly timeoutMs?: number | undefined;
  /** Retry policy for this call (overrides the client's); `0` or `false` = no retries. */
  readonly retry?: number | false | RetryOptions | undefined;
  /** Extra headers for this call. `authorization` cannot be overridden here. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /**
   * Treat the call as idempotent (safe to retry) or not, overriding what the RPC's HTTP method
   * implies (GET/PUT/DELETE and read-only POSTs like `getQuote` are idempotent).
   */
  readonly idempotent?: boolean | undefined;
  /**
   * For `delete…` methods: resolve (to an empty message) instead of rejecting when the API answers
   * 404, i.e. the resource is already gone. Default false.
   */
  readonly ignoreNotFound?: boolean | undefined;
  /** Skip the request check before sending (the server still validates). Default false. */
  readonly skipValidation?: boolean | undefined;
}
