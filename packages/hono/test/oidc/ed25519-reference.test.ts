// The Ed25519 key guard (src/oidc/ed25519.ts) against a well-kept reference, @noble/curves:
// a key is safe exactly when noble decodes it strictly (canonical y, on the curve, RFC 8032
// section 5.1.3 including "x = 0 with the sign bit set") and the point is not of small order.
// The guard is written out (about 50 lines of bigint arithmetic) instead of depending on noble
// at run time, which would add about 33 KiB minified to a Worker for this one check.
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { isSafeEd25519PublicKey } from '../../src/oidc/ed25519.js';

const toBase64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

function referenceSafe(bytes: Uint8Array): boolean {
  try {
    return !ed25519.Point.fromBytes(bytes, false).isSmallOrder();
  } catch {
    return false;
  }
}

const P = 2n ** 255n - 19n;
function littleEndian(value: bigint, signBit = false): Uint8Array {
  const bytes = new Uint8Array(32);
  let v = value;
  for (let i = 0; i < 32; i++) {
    bytes[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (signBit) bytes[31] = (bytes[31] as number) | 0x80;
  return bytes;
}

/** Some point of the curve, decoded from random bytes (about half of all y are points). */
function randomPoint() {
  for (;;) {
    try {
      return ed25519.Point.fromBytes(crypto.getRandomValues(new Uint8Array(32)), false);
    } catch {}
  }
}

/** The eight points of small order: [n]Q of random points Q (n = the base point's order). */
const torsion = (() => {
  const n = ed25519.Point.CURVE().n;
  const points = [ed25519.Point.ZERO];
  for (let tries = 0; points.length < 8 && tries < 500; tries++) {
    const q = randomPoint();
    const t = q.multiply(n - 1n).add(q);
    if (!points.some((p) => p.equals(t))) points.push(t);
  }
  return points;
})();

describe('isSafeEd25519PublicKey agrees with @noble/curves', () => {
  it('on random 32-byte strings (about half of them points)', () => {
    for (let i = 0; i < 3000; i++) {
      const bytes = crypto.getRandomValues(new Uint8Array(32));
      expect(isSafeEd25519PublicKey(toBase64Url(bytes))).toBe(referenceSafe(bytes));
    }
  });

  it('on public keys of random private keys, alone and plus every small-order point', () => {
    expect(torsion).toHaveLength(8);
    const smallOrder = torsion;
    for (let i = 0; i < 40; i++) {
      const point = ed25519.Point.fromBytes(ed25519.getPublicKey(ed25519.utils.randomSecretKey()));
      for (const offset of smallOrder) {
        const bytes = point.add(offset).toBytes();
        expect(referenceSafe(bytes)).toBe(true);
        expect(isSafeEd25519PublicKey(toBase64Url(bytes))).toBe(true);
      }
    }
  });

  it('on every small-order point, in canonical and non-canonical spellings', () => {
    const spellings: Uint8Array[] = [];
    for (const point of torsion) {
      const bytes = point.toBytes();
      spellings.push(
        bytes,
        Uint8Array.from(bytes, (b, i) => (i === 31 ? b ^ 0x80 : b)),
      );
      // y + p still fits in 255 bits for small y: a non-canonical spelling of the same point.
      let y = 0n;
      for (let i = 31; i >= 0; i--)
        y = (y << 8n) | BigInt((bytes[i] as number) & (i === 31 ? 0x7f : 0xff));
      if (y + P < 2n ** 255n) spellings.push(littleEndian(y + P, (bytes[31] as number) >= 0x80));
    }
    expect(spellings.length).toBeGreaterThanOrEqual(16);
    for (const bytes of spellings) {
      expect(isSafeEd25519PublicKey(toBase64Url(bytes))).toBe(false);
      expect(isSafeEd25519PublicKey(toBase64Url(bytes))).toBe(referenceSafe(bytes));
    }
  });

  it('on values of y at and just below p, with either sign bit', () => {
    for (let delta = 0n; delta < 40n; delta++) {
      for (const y of [P - 1n - delta, P + delta]) {
        if (y >= 2n ** 255n) continue;
        for (const sign of [false, true]) {
          const bytes = littleEndian(y, sign);
          expect(isSafeEd25519PublicKey(toBase64Url(bytes))).toBe(referenceSafe(bytes));
        }
      }
    }
  });
});
