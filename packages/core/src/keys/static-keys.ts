// Static keys compared in constant time over their UTF-8 bytes, as the cluster does (a length
// mismatch returns early there too, so only the length can leak).
import { utf8 } from './base64url.js';

/** A configured static key, kept as bytes for constant-time comparison. */
export class StaticKey {
  private readonly bytes: Uint8Array;
  constructor(secret: string) {
    this.bytes = utf8(secret);
  }

  /** Constant-time equality with `candidate`'s UTF-8 bytes. */
  matches(candidate: Uint8Array): boolean {
    const expected = this.bytes;
    if (candidate.length !== expected.length) return false;
    let diff = 0;
    for (let i = 0; i < expected.length; i++)
      diff |= (expected[i] as number) ^ (candidate[i] as number);
    return diff === 0;
  }
}

/** Constant-time string equality over UTF-8 bytes. */
export function constantTimeEqual(a: string, b: string): boolean {
  return new StaticKey(a).matches(utf8(b));
}
