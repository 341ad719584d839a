// Interop with jose (both directions) and property tests: the parser never throws, and the
// exported zod schema agrees with the hand-written claims parser.
import {
  createKeyVerifier as coreCreateKeyVerifier,
  decodeDatabaseKey,
  type Hs256Provider,
  type KeyVerifierOptions,
  readDatabaseKey,
  signDatabaseKey as coreSignDatabaseKey,
  type DatabaseKeyClaims,
} from '@qdrant-kit/core';
import { nodeHs256 } from '@qdrant-kit/core/node';
import { databaseKeyClaimsSchema } from '@qdrant-kit/core/schemas';
import fc from 'fast-check';
import { decodeJwt, jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';

const SECRET = 'interop-secret-0123456789';
const bytes = new TextEncoder().encode(SECRET);

// Every case twice: with the Web Crypto default and with nodeHs256 (@qdrant-kit/core/node).
const PROVIDERS: Array<[string, Hs256Provider | undefined]> = [
  ['Web Crypto (default)', undefined],
  ['nodeHs256', nodeHs256],
];

for (const [label, hs256] of PROVIDERS) {
  const createKeyVerifier = (options: KeyVerifierOptions) =>
    coreCreateKeyVerifier(hs256 === undefined ? options : { ...options, hs256 });
  const signDatabaseKey = (secret: string, claims: DatabaseKeyClaims) =>
    coreSignDatabaseKey(secret, claims, hs256 === undefined ? {} : { hs256 });

  describe(label, () => {
    describe('jose interop', () => {
      it('tokens we sign verify with jose', async () => {
        const token = await signDatabaseKey(SECRET, {
          access: [{ collection: 'docs', access: 'rw' }],
          exp: 4_000_000_000,
          subject: 's',
        });
        const { payload, protectedHeader } = await jwtVerify(token, bytes, {
          algorithms: ['HS256'],
        });
        expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
        expect(payload).toEqual({
          access: [{ collection: 'docs', access: 'rw' }],
          exp: 4_000_000_000,
          subject: 's',
        });
      });

      it('tokens jose signs verify with us', async () => {
        const token = await new SignJWT({ access: 'r', subject: 'bob' })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(bytes);
        const result = await createKeyVerifier({ apiKey: SECRET, jwtRbac: true }).verifyKey(token);
        expect(result).toMatchObject({
          ok: true,
          keyKind: 'jwt',
          access: { kind: 'global', mode: 'r' },
          subject: 'bob',
        });
        expect(decodeDatabaseKey(token)).toMatchObject({
          ok: true,
          claims: { access: 'r', subject: 'bob' },
        });
        expect(decodeJwt(token)).toMatchObject({ access: 'r' });
      });

      it('jose HS512 tokens are refused like the cluster (401)', async () => {
        const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS512' }).sign(bytes);
        expect(await createKeyVerifier({ apiKey: SECRET, jwtRbac: true }).verifyKey(token)).toEqual(
          {
            ok: false,
            status: 401,
            message: 'Invalid API key or JWT',
          },
        );
      });
    });

    describe('properties', () => {
      const verifier = createKeyVerifier({
        apiKey: SECRET,
        altApiKey: 'alt-secret',
        jwtRbac: true,
        cache: false,
      });
      const b64 = (s: string) => btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

      it('verifyKey never throws and always answers 401/403 or success', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.oneof(
              fc.string(),
              fc.string({ unit: 'binary' }),
              fc
                .tuple(fc.json(), fc.json(), fc.string())
                .map(([h, p, s]) => `${b64(h)}.${b64(p)}.${b64(s)}`),
              fc
                .tuple(fc.jsonValue(), fc.string())
                .map(
                  ([p, s]) =>
                    `${b64('{"alg":"HS256"}')}.${b64(unescape(encodeURIComponent(JSON.stringify(p) ?? 'null')))}.${s}`,
                ),
            ),
            async (token) => {
              const result = await verifier.verifyKey(token);
              if (!result.ok) {
                expect([401, 403]).toContain(result.status);
                expect(typeof result.message).toBe('string');
              }
              expect(() => decodeDatabaseKey(token)).not.toThrow();
            },
          ),
          { numRuns: 400 },
        );
      });

      it('readDatabaseKey never throws', () => {
        fc.assert(
          fc.property(fc.string(), fc.string(), (a, b) => {
            const headers = new Headers();
            try {
              headers.set('api-key', a);
              headers.set('authorization', b);
            } catch {
              return; // values fetch itself refuses never reach us
            }
            readDatabaseKey(headers);
          }),
        );
      });

      it('the zod schema agrees with the verifier on claims objects', async () => {
        const claim = fc.record(
          {
            sub: fc.oneof(fc.string(), fc.constant(null), fc.integer()),
            exp: fc.oneof(
              fc.nat(2_000_000_000).map((n) => n + 2_000_000_000),
              fc.constant(null),
              fc.constant(-5),
              fc.constant(1.5),
              fc.constant('1'),
            ),
            access: fc.oneof(
              fc.constantFrom('r', 'm', 'rw', null),
              fc.array(
                fc.record(
                  {
                    collection: fc.constantFrom('a', 'b', 'c', 'docs'),
                    access: fc.constantFrom('r', 'rw', 'prw', 'm'),
                    payload: fc.oneof(fc.constant(null), fc.constant({ f: 1 })),
                  },
                  { requiredKeys: ['collection', 'access'] },
                ),
                { maxLength: 4 },
              ),
            ),
            subject: fc.oneof(fc.string(), fc.constant(null), fc.boolean()),
            value_exists: fc.oneof(
              fc.constant(null),
              fc.record({
                collection: fc.string(),
                matches: fc.array(
                  fc.record({
                    key: fc.constantFrom('a', 'b.c'),
                    value: fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.double()),
                  }),
                  {
                    maxLength: 2,
                  },
                ),
              }),
            ),
            other: fc.jsonValue(),
          },
          { requiredKeys: [] },
        );
        await fc.assert(
          fc.asyncProperty(claim, async (claims) => {
            const b64json = b64(unescape(encodeURIComponent(JSON.stringify(claims))));
            const input = `${b64('{"alg":"HS256"}')}.${b64json}`;
            const key = await crypto.subtle.importKey(
              'raw',
              bytes,
              { name: 'HMAC', hash: 'SHA-256' },
              false,
              ['sign'],
            );
            const sig = new Uint8Array(
              await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(input)),
            );
            const token = `${input}.${b64(String.fromCharCode(...sig))}`;
            const ours = await createKeyVerifier({
              apiKey: SECRET,
              jwtRbac: true,
              checkValueExists: async () => 'match',
            }).verifyKey(token);
            const zodOk = databaseKeyClaimsSchema.safeParse(claims).success;
            expect(ours.ok).toBe(zodOk);
          }),
          { numRuns: 300 },
        );
      });
    });
  });
}
