// A key set is read only so far: at most `maxKeys` usable keys are kept, and at most four times
// `maxKeys` entries are looked at, so a huge set of unusable entries (each Ed25519 one costs a
// curve computation) cannot make one fetch expensive.
import { describe, expect, it } from 'vitest';
import { createJwksCache } from '../../src/oidc/index.js';
import { makeKey } from './keys.js';

const ISSUER = 'https://idp.example';
const unusable = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    kty: 'RSA',
    use: 'enc',
    kid: `enc-${i}`,
    n: 'AQAB',
    e: 'AQAB',
  }));

describe('key set bounds', () => {
  it('a usable key after 4 × maxKeys unusable entries is not read', async () => {
    const { publicJwk } = await makeKey('ES256');
    expect(() =>
      createJwksCache({ issuer: ISSUER, maxKeys: 8, jwks: { keys: [...unusable(32), publicJwk] } }),
    ).toThrow(/no usable signing key/);
  });

  it('a usable key within 4 × maxKeys entries is kept', async () => {
    const { publicJwk } = await makeKey('ES256');
    const cache = createJwksCache({
      issuer: ISSUER,
      maxKeys: 8,
      jwks: { keys: [...unusable(31), publicJwk] },
    });
    expect(cache.status().keys).toBe(1);
  });
});
