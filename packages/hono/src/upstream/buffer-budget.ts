// Upstream answers the gateway must filter are read whole into memory. One answer is capped by
// `maxFilteredResponseBytes`; this budget caps all of them together, so a flood of slow, large
// list answers cannot hold more than a fixed amount of memory at once.

/**
 * The bytes one response holds of a {@link ResponseBufferBudget}: taken chunk by chunk as the
 * answer is read, all given back at once when the gateway is done with it.
 */
export interface ResponseBufferLease {
  /** Takes `bytes` more; `false` (and nothing taken) when the budget has not that much left. */
  take(bytes: number): boolean;
  /** Gives back everything this lease took; later calls do nothing. */
  release(): void;
}

/** A limit on the bytes of upstream answers buffered at once, shared by every request. */
export interface ResponseBufferBudget {
  /** Most bytes held at once. */
  readonly limitBytes: number;
  /** Bytes held now. */
  readonly usedBytes: number;
  /** A lease for one response. Release it in a `finally`: a lost lease shrinks the budget. */
  lease(): ResponseBufferLease;
}

/**
 * A budget of `limitBytes` bytes for answers read whole (response filtering with key hiding).
 * One gateway makes its own from `QDRANT_GATEWAY_FILTER_BUFFER_BYTES`; pass one to several
 * gateways in a process to share it.
 */
export function createResponseBufferBudget(limitBytes: number): ResponseBufferBudget {
  if (!Number.isSafeInteger(limitBytes) || limitBytes < 1) {
    throw new RangeError('a response buffer budget needs a whole number of bytes, at least 1');
  }
  let used = 0;
  return {
    limitBytes,
    get usedBytes() {
      return used;
    },
    lease() {
      let held = 0;
      let released = false;
      return {
        take(bytes) {
          if (released || used + bytes > limitBytes) return false;
          used += bytes;
          held += bytes;
          return true;
        },
        release() {
          if (released) return;
          released = true;
          used -= held;
          held = 0;
        },
      };
    },
  };
}
