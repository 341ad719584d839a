// Scans a body stream with BodyScanner, yielding to the event loop between slices so that a
// large body never blocks other requests for long.
import type { BodyScan } from './body-scan.js';
import { BodyScanner, type BodyScannerOptions } from './body-scanner.js';
import type { BodyLookups } from './requirements.js';

/** Options of {@link scanBodyStream}. */
export interface ScanBodyStreamOptions extends BodyScannerOptions {
  /** Largest decoded body accepted; beyond it the stream is cancelled (`too-large`). */
  readonly maxBytes: number;
  /** Bytes scanned between two yields to the event loop (default 64 KiB). */
  readonly sliceBytes?: number;
  /**
   * Chunks read between two yields (default 256): many tiny chunks already queued are read
   * in microtasks, so counting bytes alone would let 64 Ki one-byte reads run in one turn.
   */
  readonly sliceReads?: number;
}

/** Result of {@link scanBodyStream}. */
export type ScanBodyStreamResult =
  | { readonly ok: true; readonly scan: BodyScan; readonly bytes: number }
  | { readonly ok: false; readonly reason: 'too-large' | 'unreadable' };

const DEFAULT_SLICE = 64 * 1024;
const DEFAULT_SLICE_READS = 256;

/** Resolves on a later turn of the event loop (a macrotask), so pending I/O runs first. */
export function nextTask(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
  return new Promise((resolve) => {
    if (typeof immediate === 'function') immediate(resolve);
    else setTimeout(resolve, 0);
  });
}

/**
 * Reads a stream of decoded body bytes into a {@link BodyScanner}, at most `sliceBytes` between
 * yields, and stops (cancelling the stream) once more than `maxBytes` arrived.
 */
export async function scanBodyStream(
  kind: BodyLookups,
  stream: ReadableStream<Uint8Array>,
  options: ScanBodyStreamOptions,
): Promise<ScanBodyStreamResult> {
  const scanner = new BodyScanner(kind, options);
  const slice = Math.max(1024, options.sliceBytes ?? DEFAULT_SLICE);
  const sliceReads = Math.max(1, options.sliceReads ?? DEFAULT_SLICE_READS);
  const reader = stream.getReader();
  let total = 0;
  let sinceYield = 0;
  let readsSinceYield = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > options.maxBytes) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, reason: 'too-large' };
      }
      for (let at = 0; at < value.byteLength; at += slice) {
        const piece = value.subarray(at, Math.min(value.byteLength, at + slice));
        scanner.write(piece);
        sinceYield += piece.byteLength;
        if (sinceYield >= slice) {
          sinceYield = 0;
          readsSinceYield = 0;
          await nextTask();
        }
      }
      if (++readsSinceYield >= sliceReads) {
        sinceYield = 0;
        readsSinceYield = 0;
        await nextTask();
      }
    }
  } catch {
    return { ok: false, reason: 'unreadable' };
  } finally {
    reader.releaseLock();
  }
  return { ok: true, scan: scanner.end(), bytes: total };
}
