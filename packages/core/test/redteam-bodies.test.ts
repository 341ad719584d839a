// Red-team cases of the streaming body scan: each failed before its fix.
import { describe, expect, it } from 'vitest';
import { nextTask, scanBodyStream } from '../src/index.js';

const ACCESS = { kind: 'collections', collections: [{ collection: 'docs', access: 'r' }] } as const;

/** A stream with every chunk already queued: reads resolve in microtasks, never yielding. */
function queuedTinyChunks(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i++) controller.enqueue(bytes.subarray(i, i + 1));
      controller.close();
    },
  });
}

describe('scanBodyStream over many tiny chunks', () => {
  // Turns of the event loop while a scan runs, counted by a chain of `nextTask` callbacks.
  async function turnsDuring(run: () => Promise<unknown>): Promise<number> {
    let turns = 0;
    let stop = false;
    const tick = (): void => {
      if (stop) return;
      turns++;
      void nextTask().then(tick);
    };
    void nextTask().then(tick);
    await run();
    stop = true;
    return turns;
  }

  it('yields to the event loop every 256 reads by default, not only every 64 KiB of bytes', async () => {
    // 8 000 one-byte chunks are far below the 64 KiB byte slice: counting bytes alone never yields.
    const body = `{"lookup_from":{"collection":"docs"},"x":"${'a'.repeat(8_000)}"}`;
    let result: Awaited<ReturnType<typeof scanBodyStream>> | undefined;
    const turns = await turnsDuring(async () => {
      result = await scanBodyStream('query', queuedTinyChunks(body), {
        access: ACCESS,
        maxBytes: 1 << 20,
      });
    });
    expect(result?.ok && result.scan.collections).toEqual(['docs']);
    expect(turns).toBeGreaterThanOrEqual(20);
  });

  it('sliceReads sets the reads per turn', async () => {
    const body = `{"x":"${'a'.repeat(2_000)}"}`;
    const turns = await turnsDuring(() =>
      scanBodyStream('query', queuedTinyChunks(body), { maxBytes: 1 << 20, sliceReads: 100 }),
    );
    expect(turns).toBeGreaterThanOrEqual(15);
  });
});
