// Red-team cases of super-linear work on attacker-controlled text in the gateway's readers
// (key-hiding mode: the gateway is the only check). Each case failed before its fix.
import type { Access } from '@qdrant-kit/core';
import { describe, expect, it } from 'vitest';
import { readScannedBody } from '../src/body.js';

const ACCESS: Access = { kind: 'collections', collections: [{ collection: 'docs', access: 'r' }] };

describe('Content-Encoding header of hostile length', () => {
  // `/^[ \t]+|[ \t]+$/g` retried `[ \t]+$` from every blank of an inner run: quadratic, an
  // 80 000-blank value took seconds of one request's time before the body was read.
  it('reads a value with a long inner run of blanks in linear time', async () => {
    const encoding = `x${' \t'.repeat(40_000)}x`;
    const request = new Request('http://gateway.test/collections/docs/points/query', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': encoding },
      body: '{"lookup_from":{"collection":"docs"}}',
    });
    const started = performance.now();
    const read = await readScannedBody(request, 'query', ACCESS, 1024 * 1024);
    expect(performance.now() - started).toBeLessThan(500);
    // Not a coding the cluster knows: the body is read as it is.
    expect(read.ok).toBe(true);
  });

  it('still trims blanks and ignores case around a known coding', async () => {
    const request = new Request('http://gateway.test/x', {
      method: 'POST',
      headers: { 'content-encoding': ` \tGZip\t ` },
      body: 'not gzip',
    });
    const read = await readScannedBody(request, 'query', ACCESS, 1024 * 1024);
    // Decoded as gzip, which this body is not.
    expect(read.ok).toBe(false);
  });
});
