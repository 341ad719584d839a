// Tokens from a real OpenID Provider on loopback (oidc-provider, client credentials, JWT access
// tokens): discovery, verification, the access mapping and core's decision.
import { authorizeRequest, createVerifiedTokenCache } from '@qdrant-kit/core';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOidcCredentialVerifier,
  createOidcVerifier,
  type OidcCredential,
  type OidcCredentialRefusal,
  parseAccessMapping,
} from '../../src/oidc/index.js';
import { AUDIENCE, type IdentityProvider, startIdentityProvider } from './identity-provider.js';

let idp: IdentityProvider;
beforeAll(async () => {
  idp = await startIdentityProvider();
});
afterAll(() => idp.close());

const mapping = parseAccessMapping(
  '[{"collection":"tenant-{org_id}","access":"rw"},{"collection":"shared-docs","access":"r"}]',
);

function gatewayVerifier() {
  const credential = createOidcCredentialVerifier({
    oidc: createOidcVerifier({ issuer: idp.issuer, audience: AUDIENCE }),
    access: mapping,
    cache: createVerifiedTokenCache(),
  });
  return {
    async verifyKey(token: string): Promise<OidcCredential | OidcCredentialRefusal> {
      const answer = await credential.verify(token);
      if (answer === null) throw new Error('the credential must answer for its own tokens');
      return answer;
    },
  };
}

describe('a real OpenID Provider', () => {
  it('issues JWT access tokens the way the tests assume', async () => {
    const token = await idp.token('acme-app');
    expect(decodeProtectedHeader(token)).toMatchObject({
      alg: 'ES256',
      typ: 'at+jwt',
      kid: 'idp-es256',
    });
    expect(decodeJwt(token)).toMatchObject({
      iss: idp.issuer,
      aud: AUDIENCE,
      client_id: 'acme-app',
      org_id: 'acme',
    });
  });

  it.each(['ES256', 'RS256'] as const)(
    '%s tokens: verified through discovery, mapped, decided by core',
    async (alg) => {
      const verifier = gatewayVerifier();
      const token = await idp.token('acme-app', alg);
      expect(decodeProtectedHeader(token).alg).toBe(alg);
      const result = await verifier.verifyKey(token);
      expect(result).toMatchObject({
        ok: true,
        keyKind: 'oidc',
        issuer: idp.issuer,
        subject: 'acme-app',
      });
      if (!result.ok) return;
      expect(
        authorizeRequest(result.access, { method: 'GET', path: '/collections/tenant-acme' }).ok,
      ).toBe(true);
      expect(
        authorizeRequest(result.access, { method: 'GET', path: '/collections/tenant-globex' }),
      ).toMatchObject({
        ok: false,
        status: 403,
        message: 'Forbidden: Access to collection tenant-globex is required',
      });
      expect(
        authorizeRequest(result.access, {
          method: 'PUT',
          path: '/collections/shared-docs/points',
          body: { points: [] },
        }),
      ).toMatchObject({
        status: 403,
        message: 'Forbidden: Write access to collection shared-docs is required',
      });
    },
  );

  it('each tenant gets its own collection', async () => {
    const verifier = gatewayVerifier();
    const globex = await verifier.verifyKey(await idp.token('globex-app'));
    expect(globex.ok && globex.access).toEqual({
      kind: 'collections',
      collections: [
        { collection: 'tenant-globex', access: 'rw' },
        { collection: 'shared-docs', access: 'r' },
      ],
    });
  });

  it('an org_id that is not a collection name, or none, grants only the static grant', async () => {
    const verifier = gatewayVerifier();
    for (const client of ['bad-org-app', 'no-org-app']) {
      const result = await verifier.verifyKey(await idp.token(client));
      expect(result.ok && result.access).toEqual({
        kind: 'collections',
        collections: [{ collection: 'shared-docs', access: 'r' }],
      });
    }
  });

  it('a verifier for another audience refuses the same token', async () => {
    const other = createOidcVerifier({ issuer: idp.issuer, audience: 'not-qdrant' });
    expect(await other.verify(await idp.token('acme-app'))).toMatchObject({
      ok: false,
      reason: 'wrong-audience',
    });
  });

  it('a tampered token from the provider is refused with the cluster 403', async () => {
    const token = await idp.token('acme-app');
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = { ...decodeJwt(token), org_id: 'globex' };
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    expect(await gatewayVerifier().verifyKey(forged)).toEqual(
      expect.objectContaining({ ok: false, status: 403, message: 'InvalidSignature' }),
    );
    expect(payload).not.toBe('');
  });

  it('many tokens, one verifier: the provider JWKS is fetched once', async () => {
    const before = idp.jwksRequests();
    const verifier = gatewayVerifier();
    const tokens = await Promise.all(
      ['acme-app', 'globex-app', 'acme-app'].map((c) => idp.token(c)),
    );
    const results = await Promise.all(tokens.map((t) => verifier.verifyKey(t)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(idp.jwksRequests() - before).toBe(1);
  });
});
