// Red-team cases of how the gateway reads request bodies in key-hiding mode (the gateway's
// decision is the only check). Each case failed before its fix.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { type Access, signDatabaseKey } from '@qdrant-kit/core';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readScannedBody } from '../src/body.js';
import { inProcessGateway, testConfig } from './support/gateways.js';
import { type RecordingUpstream, startRecordingUpstream } from '@qdrant-kit/test-support/upstream';

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
      if (sent === 0)
        controller.enqueue(encoder.encode('{"lookup_from":{"collection":"docs"},"x":"'));
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
    // The bytes forwarded are exactly the bytes scanned, in order.
    const expected = `{"lookup_from":{"collection":"docs"},"x":"${'a'.repeat(chunks)}"}`;
    expect(read.ok && new TextDecoder().decode(read.bytes) === expected).toBe(true);
    // 200 000 one-byte views kept until the end cost ~50 MB; the body itself is 0.2 MB.
    expect(held).toBeLessThan(16 * 1024 * 1024);
  }, 120_000);

  it('keeps bytes in order when small and large chunks alternate', async () => {
    const text = `{"lookup_from":{"collection":"docs"},"x":"${'abcdefghij'.repeat(30_000)}"}`;
    const all = new TextEncoder().encode(text);
    const sizes = [1, 3, 20_000, 5, 70_000, 16_383, 16_384, 2, 65_536, 7];
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        let at = 0;
        for (let i = 0; at < all.length; i++) {
          const size = sizes[i % sizes.length] as number;
          controller.enqueue(all.slice(at, at + size));
          at += size;
        }
        controller.close();
      },
    });
    const request = new Request('http://gateway.test/collections/docs/points/query', {
      method: 'POST',
      body: stream,
      duplex: 'half',
    } as RequestInit);
    const read = await readScannedBody(request, 'query', ACCESS, LIMIT);
    expect(read.ok && Buffer.from(read.bytes).equals(Buffer.from(all))).toBe(true);
  });

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

describe('Content-Encoding as the cluster reads it (key-hiding mode)', () => {
  const SECRET = 'redteam-bodies-admin-key-01';
  let upstream: RecordingUpstream;
  let app: Hono;
  let key: string;
  let n = 0;
  beforeAll(async () => {
    upstream = await startRecordingUpstream();
    app = inProcessGateway(
      testConfig(upstream.url, { apiKey: SECRET, upstreamApiKey: 'redteam-upstream-key-23' }),
    ).app;
    key = await signDatabaseKey(SECRET, { access: [{ collection: 'docs', access: 'r' }] } as never);
  });
  afterAll(async () => {
    await upstream?.close();
  });

  async function post(body: string | Uint8Array<ArrayBuffer>, encoding: string) {
    const mark = `redteambody${++n}`;
    const response = await app.request(
      `http://gateway.test/collections/docs/points/query?marker=${mark}`,
      {
        method: 'POST',
        headers: {
          'api-key': key,
          'content-type': 'application/json',
          'content-encoding': encoding,
        },
        body,
      },
    );
    const text = await response.text();
    return { status: response.status, text, reached: upstream.find(mark).length > 0 };
  }

  // actix-http decoder.rs `from_headers`: an encoding FromStr does not know (`x-gzip` is not one
  // of br, gzip, deflate, zstd, identity) is read as identity, so the body is parsed as sent.
  it('x-gzip is not decompressed by the cluster: a plain JSON body is read as it is', async () => {
    const answer = await post('{"query":[1,2],"lookup_from":{"collection":"docs"}}', 'x-gzip');
    expect(answer.status).toBe(200);
    expect(answer.reached).toBe(true);
  });

  it('x-gzip with gzip bytes is a JSON syntax error for the cluster (400), not a lookup (403)', async () => {
    const answer = await post(
      new Uint8Array(gzipSync('{"lookup_from":{"collection":"other"}}')),
      'x-gzip',
    );
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('Format error in JSON body: expected value at line 1 column 1');
    expect(answer.reached).toBe(false);
  });

  it('known codings still decode, ASCII case-insensitively and trimmed', async () => {
    const answer = await post(
      new Uint8Array(gzipSync('{"lookup_from":{"collection":"other"}}')),
      ' GZip ',
    );
    expect(answer.status).toBe(403);
    expect(answer.reached).toBe(false);
  });

  it('a comma (several headers, maybe a first `br`) and br/zstd are refused, not guessed', async () => {
    for (const encoding of ['gzip, br', 'br, identity', 'identity, gzip', 'br', 'ZSTD']) {
      const answer = await post('{"query":[1,2]}', encoding);
      expect(answer.status, encoding).toBe(415);
      expect(answer.reached).toBe(false);
    }
  });
});
