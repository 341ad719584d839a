// Red-team cases of how the gateway reads request bodies in key-hiding mode (the gateway's
// decision is the only check). Each case failed before its fix.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Access } from '@qdrant-kit/core';
import { describe, expect, it } from 'vitest';
import { readScannedBody } from '../src/body.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
setFlagsFromString('--no-expose-gc');

const ACCESS: Access = { kind: 'collections', collections: [{ collection: 'docs', access: 'r' }] };
const LIMIT = 32 * 1024 * 1024;

function heapAndBuffers(): number {
  collectGarbage();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** A query body whose filler string arrives one byte per chunk, as a slow sender's packets can. */
function tinyChunkBody(chunks: number, atLastChunk?: () => void): Request {
  const encoder = new TextEncoder();
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === 0) controller.enqueue(encoder.encode('{"lookup_from":{"collection":"docs"},"x":"'));
      for (let k = 0; k < 512 && sent < chunks; k++, sent++) {
        controller.enqueue(new Uint8Array([97]));
      }
      if (sent === chunks) {
        atLastChunk?.();
        controller.enqueue(encoder.encode('"}'));
        controller.close();
      }
    },
  });
  return new Request('http://gateway.test/collections/docs/points/query', {
    method: 'POST',
    body: stream,
    duplex: 'half',
  } as RequestInit);
}

describe('a body sent in many tiny chunks', () => {
  it('is held in memory at about its own size, not a few hundred bytes per chunk', async () => {
    const chunks = 200_000;
    const before = heapAndBuffers();
    let held = 0;
    const read = await readScannedBody(
      tinyChunkBody(chunks, () => {
        held = heapAndBuffers() - before;
      }),
      'query',
      ACCESS,
      LIMIT,
    );
    expect(read.ok && read.scan.collections).toEqual(['docs']);
    expect(read.ok && read.bytes.byteLength).toBe(chunks + 44);
    // 200 000 one-byte views kept until the end cost ~50 MB; the body itself is 0.2 MB.
    expect(held).toBeLessThan(16 * 1024 * 1024);
  }, 120_000);

  it('does not keep the event loop busy for long between two of its chunks', async () => {
    let last = performance.now();
    let longest = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 1);
    try {
      const read = await readScannedBody(tinyChunkBody(200_000), 'query', ACCESS, LIMIT);
      expect(read.ok).toBe(true);
    } finally {
      clearInterval(ticker);
    }
    // Yielding only every 64 KiB of bytes meant 65 536 reads in one turn (over a second).
    expect(longest).toBeLessThan(400);
  }, 120_000);
});
