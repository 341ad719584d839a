// The identity-provider variables: refused at start-up with every problem named.
import { describe, expect, it } from 'vitest';
import { OidcConfigError, parseOidcSettings } from '../../src/oidc/index.js';

const base = {
  QDRANT_GATEWAY_OIDC_ISSUER: 'https://login.example.com/',
  QDRANT_GATEWAY_OIDC_AUDIENCE: 'qdrant, qdrant-dev',
  QDRANT_GATEWAY_OIDC_ACCESS: '[{"collection":"tenant-{org_id}","access":"rw"}]',
  QDRANT_UPSTREAM_API_KEY: 'upstream-secret-value',
};

describe('parseOidcSettings', () => {
  it('off without an issuer', () => {
    expect(parseOidcSettings({})).toBeUndefined();
    expect(parseOidcSettings({ QDRANT_GATEWAY_OIDC_ISSUER: '  ' })).toBeUndefined();
  });

  it('reads the issuer, the audiences and the mapping', () => {
    const settings = parseOidcSettings(base);
    expect(settings).toMatchObject({
      issuer: 'https://login.example.com/',
      jwksUri: undefined,
      audiences: ['qdrant', 'qdrant-dev'],
    });
    expect(settings?.access.accessFor({ org_id: 'a' })).toEqual({
      kind: 'collections',
      collections: [{ collection: 'tenant-a', access: 'rw' }],
    });
  });

  it.each([
    ['no upstream key', { QDRANT_UPSTREAM_API_KEY: undefined }, /needs QDRANT_UPSTREAM_API_KEY/],
    [
      'no audience',
      { QDRANT_GATEWAY_OIDC_AUDIENCE: ' , ' },
      /QDRANT_GATEWAY_OIDC_AUDIENCE is required/,
    ],
    [
      'no access',
      { QDRANT_GATEWAY_OIDC_ACCESS: undefined },
      /QDRANT_GATEWAY_OIDC_ACCESS is required/,
    ],
    ['bad access', { QDRANT_GATEWAY_OIDC_ACCESS: '"rw"' }, /QDRANT_GATEWAY_OIDC_ACCESS must be/],
    [
      'http issuer',
      { QDRANT_GATEWAY_OIDC_ISSUER: 'http://login.example.com' },
      /ISSUER must be an https/,
    ],
    [
      'http JWKS',
      { QDRANT_GATEWAY_OIDC_JWKS_URI: 'http://keys.example.com' },
      /JWKS_URI must be an https/,
    ],
  ])('%s is refused', (_name, change, message) => {
    expect(() => parseOidcSettings({ ...base, ...change })).toThrow(OidcConfigError);
    expect(() => parseOidcSettings({ ...base, ...change })).toThrow(message);
  });

  it('lists every problem at once, and never a value', () => {
    let error: unknown;
    try {
      parseOidcSettings({
        QDRANT_GATEWAY_OIDC_ISSUER: 'https://x.example',
        QDRANT_GATEWAY_OIDC_ACCESS: 'secret-looking',
      });
    } catch (e) {
      error = e;
    }
    const message = (error as Error).message;
    expect(message.split('\n')).toHaveLength(3);
    expect(message).not.toContain('secret-looking');
  });

  it('other OIDC variables without the issuer are refused', () => {
    expect(() => parseOidcSettings({ QDRANT_GATEWAY_OIDC_AUDIENCE: 'qdrant' })).toThrow(
      /without QDRANT_GATEWAY_OIDC_ISSUER/,
    );
  });
});
