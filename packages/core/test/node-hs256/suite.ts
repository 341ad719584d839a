// Runtime-neutral cases for nodeHs256 (@qdrant-kit/core/node) on every runtime with node:crypto
// (Node 20, Node 24, Bun, Deno; workerd has no node:crypto without nodejs_compat, and the entry
// does not promise it): the provider agrees with Web Crypto token by token, and the key suites
// run again with it injected. Registered in vitest and run per runtime by node-hs256.test.ts.
import {
  createKeyVerifier,
  type Hs256Provider,
  type KeyVerifierOptions,
  signDatabaseKey,
  type VerifyResult,
  webCryptoHs256,
} from '@qdrant-kit/core';
import { nodeHs256 } from '@qdrant-kit/core/node';
import {
  assert,
  assertDeepEqual,
  assertEqual,
  type TestCase,
  test,
} from '@qdrant-kit/runtime-harness/suite';
import fc from 'fast-check';
import { jwtVerify, SignJWT } from 'jose';
import accessTokenKinds from '../conformance/access-token-kinds.js';
import boundedCache from '../conformance/bounded-cache.js';
import grpcRequests from '../conformance/grpc-requests.js';
import {
  createKeyVerifier as injectedCreateKeyVerifier,
  signDatabaseKey as injectedSignDatabaseKey,
  withHs256,
} from '../conformance/hs256-fixtures.js';
import keys from '../conformance/keys.js';
import keysParity from '../conformance/keys-parity.js';

const NOW_MS = 1_700_000_000_000;

/**
 * Secrets as a cluster configuration may hold them: ASCII, non-ASCII (its UTF-8 bytes are the
 * key, src/common/auth/jwt_parser.rs builds the key from the secret's bytes), one byte, longer
 * than SHA-256's 64-byte block (hashed first), and a lone surrogate, which no cluster config can
 * hold (Rust strings are UTF-8) and which core encodes as U+FFFD for both providers.
 */
const SECRETS = [
  'main-secret-0123456789',
  'clé-secrète-ünïcødé-🔑-日本語',
  'x',
  'k'.repeat(100),
  'lone-\uD800-surrogate',
];

function b64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
function unb64url(text: string): Uint8Array {
  return Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
}
/** The segment with bit `bit` of byte `at` (from the end when negative) of its bytes flipped. */
function flipBit(segment: string, at: number, bit = 0): string {
  const bytes = unb64url(segment);
  const index = at < 0 ? bytes.length + at : at;
  bytes[index] = (bytes[index] ?? 0) ^ (1 << bit);
  return b64url(bytes);
}

/** Every way a presented token may differ from a good one, by name. */
function variants(token: string, otherSecretToken: string): Record<string, string> {
  const [h = '', p = '', s = ''] = token.split('.');
  const sig = unb64url(s);
  // 43 characters carry 258 bits: the last one's two low bits are unused, set here. The
  // cluster's decoder refuses that (base64 crate, trailing bits not allowed), so does core's.
  const last = s.charAt(s.length - 1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const nonCanonical = s.slice(0, -1) + alphabet.charAt(alphabet.indexOf(last) | 1);
  return {
    valid: token,
    'signature: first bit flipped': `${h}.${p}.${flipBit(s, 0)}`,
    'signature: last byte, high bit flipped': `${h}.${p}.${flipBit(s, -1, 7)}`,
    'header: one bit flipped': `${flipBit(h, 3, 1)}.${p}.${s}`,
    'payload: one bit flipped': `${h}.${flipBit(p, -2, 2)}.${s}`,
    'signature: truncated to 31 bytes': `${h}.${p}.${b64url(sig.subarray(0, 31))}`,
    'signature: first 16 bytes only': `${h}.${p}.${b64url(sig.subarray(0, 16))}`,
    'signature: empty': `${h}.${p}.`,
    'signature: 33 bytes (one appended)': `${h}.${p}.${b64url(Uint8Array.of(...sig, 0))}`,
    'signature: 64 bytes (twice)': `${h}.${p}.${b64url(Uint8Array.of(...sig, ...sig))}`,
    'signature: non-canonical last character': `${h}.${p}.${nonCanonical}`,
    'signature: padded with =': `${h}.${p}.${s}=`,
    'signature: standard base64 alphabet': `${h}.${p}.${s.replace(/-/g, '+').replace(/_/g, '/')}`,
    'signature: all zero, 32 bytes': `${h}.${p}.${b64url(new Uint8Array(32))}`,
    'signed with another secret': otherSecretToken,
  };
}

const verify = (provider: Hs256Provider | undefined, options: KeyVerifierOptions, token: string) =>
  createKeyVerifier({
    jwtRbac: true,
    cache: false,
    now: () => NOW_MS,
    ...options,
    ...(provider === undefined ? {} : { hs256: provider }),
  }).verifyKey(token);

/**
 * Cases asserting that `provider` answers exactly as the Web Crypto default on every variant
 * of a token for every secret. Exported so a test can show a wrong provider fails them.
 */
export function agreementCases(provider: Hs256Provider): TestCase[] {
  const claims = { access: [{ collection: 'docs', access: 'rw' as const }], subject: 'u' };
  const cases: TestCase[] = SECRETS.map((secret, i) =>
    test(`agreement: every token variant, secret #${i} (${secret.length} chars)`, async () => {
      const token = await signDatabaseKey(secret, claims);
      const other = await signDatabaseKey(SECRETS[(i + 1) % SECRETS.length] ?? '', claims);
      const seen = new Set<string>();
      for (const [name, variant] of Object.entries(variants(token, other))) {
        const reference = await verify(undefined, { apiKey: secret }, variant);
        const answer = await verify(provider, { apiKey: secret }, variant);
        assertDeepEqual(answer, reference, name);
        seen.add(reference.ok ? 'ok' : `${reference.status} ${reference.message}`);
        if (name === 'valid') assert(answer.ok, 'the good token is accepted');
        // (A signature without - or _ reads the same in both alphabets.)
        else if (variant !== token) assert(!answer.ok, `${name} is refused`);
      }
      // The variants reach the HMAC (403 InvalidSignature), not only the decoder (401).
      assert(seen.has('403 InvalidSignature'), [...seen].join(', '));
      // Signing agrees too: same token, byte for byte.
      assertEqual(await signDatabaseKey(secret, claims, { hs256: provider }), token, 'sign');
    }),
  );
  cases.push(
    test('agreement: two secrets (api_key, alt_api_key), token of either or of neither', async () => {
      const [apiKey = '', altApiKey = '', third = ''] = SECRETS;
      for (const secret of [apiKey, altApiKey, third]) {
        const token = await signDatabaseKey(secret, { access: 'r' });
        for (const variant of Object.values(variants(token, token))) {
          assertDeepEqual(
            await verify(provider, { apiKey, altApiKey }, variant),
            await verify(undefined, { apiKey, altApiKey }, variant),
          );
        }
      }
    }),
    test('agreement: an empty secret is unset, as in the cluster, with either provider', async () => {
      const token = await signDatabaseKey('x', { access: 'r' });
      for (const options of [{ apiKey: '' }, { apiKey: '', altApiKey: 'x' }, { altApiKey: '' }]) {
        const answer: VerifyResult = await verify(provider, options, token);
        assertDeepEqual(answer, await verify(undefined, options, token), JSON.stringify(options));
      }
    }),
    test('agreement: provider.verify on signatures of every length 0..65 and random bytes', async () => {
      const secret = new TextEncoder().encode(SECRETS[1]);
      const ours = await provider.importKey(secret);
      const web = await webCryptoHs256.importKey(secret);
      await fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ maxLength: 300 }),
          fc.uint8Array({ minLength: 0, maxLength: 65 }),
          async (message, random) => {
            const good = new Uint8Array(await webCryptoHs256.sign(web, message));
            assertDeepEqual(new Uint8Array(await provider.sign(ours, message)), good, 'sign');
            assertEqual(await provider.verify(ours, good, message), true, 'good signature');
            for (const signature of [random, good.subarray(0, random.length % 33)]) {
              assertEqual(
                await provider.verify(ours, signature, message),
                await webCryptoHs256.verify(web, signature, message),
                `signature of ${signature.length} bytes`,
              );
            }
          },
        ),
        { numRuns: 200 },
      );
    }),
  );
  return cases;
}

const interop: TestCase[] = [
  test('nodeHs256 interop: jose verifies what we sign, we verify what jose signs', async () => {
    const secret = SECRETS[1] ?? '';
    const bytes = new TextEncoder().encode(secret);
    const ours = await signDatabaseKey(
      secret,
      { access: 'r', exp: 4_000_000_000 },
      { hs256: nodeHs256 },
    );
    const { payload } = await jwtVerify(ours, bytes, { algorithms: ['HS256'] });
    assertDeepEqual(payload, { access: 'r', exp: 4_000_000_000 });
    const theirs = await new SignJWT({ access: 'm', subject: 'jose' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(bytes);
    const result = await verify(nodeHs256, { apiKey: secret }, theirs);
    assert(result.ok && result.subject === 'jose', JSON.stringify(result));
  }),
];

/** nodeHs256 with its calls counted, and its verify answer replaceable. */
function spy(answer?: (valid: boolean) => boolean | Promise<boolean>) {
  const calls = { importKey: 0, verify: 0, sign: 0 };
  const provider: Hs256Provider = {
    importKey(secret) {
      calls.importKey++;
      return nodeHs256.importKey(secret);
    },
    verify: (key, signature, message) => {
      calls.verify++;
      const valid = nodeHs256.verify(key, signature, message) as boolean;
      return answer ? answer(valid) : valid;
    },
    sign(key, message) {
      calls.sign++;
      return nodeHs256.sign(key, message);
    },
  };
  return { calls, provider };
}

const BAD_SIGNATURE = { ok: false, status: 403, message: 'InvalidSignature' };

const contract: TestCase[] = [
  test('hs256 option: the verifier imports each secret once and verifies with the provider', async () => {
    const { calls, provider } = spy();
    const verifier = createKeyVerifier({
      apiKey: 'a',
      altApiKey: 'b',
      jwtRbac: true,
      cache: false,
      hs256: provider,
    });
    const token = await signDatabaseKey('b', { access: 'r' }, { hs256: provider });
    assertEqual(calls.sign, 1, 'signDatabaseKey signs with the provider');
    for (let i = 0; i < 3; i++) assert((await verifier.verifyKey(token)).ok);
    assertDeepEqual(calls, { importKey: 3, verify: 6, sign: 1 });
  }),
  test('hs256 option: withHs256 injects the provider into the suites it re-runs', async () => {
    const { calls, provider } = spy();
    const [first] = withHs256('spy', provider, [
      test('one verification', async () => {
        const token = await injectedSignDatabaseKey('s', { access: 'r' });
        assert(
          (await injectedCreateKeyVerifier({ apiKey: 's', jwtRbac: true }).verifyKey(token)).ok,
        );
      }),
    ]);
    await first?.run({ env: {} });
    assert(calls.verify === 1 && calls.sign === 1, JSON.stringify(calls));
  }),
  test('hs256 option: a throw, a rejection or a non-true answer is a bad signature', async () => {
    const token = await signDatabaseKey('s', { access: 'r' });
    const answers: Array<(valid: boolean) => boolean | Promise<boolean>> = [
      () => {
        throw new Error('provider failure');
      },
      () => Promise.reject(new Error('provider failure')),
      () => Promise.resolve(1 as unknown as boolean),
      () => Promise.resolve(false),
      () => false,
    ];
    for (const answer of answers) {
      const { provider } = spy(answer);
      assertDeepEqual(
        await createKeyVerifier({ apiKey: 's', jwtRbac: true, hs256: provider }).verifyKey(token),
        BAD_SIGNATURE,
        String(answer),
      );
    }
    // And an asynchronous true accepts, as Web Crypto's does.
    const { provider } = spy((valid) => Promise.resolve(valid));
    assert(
      (await createKeyVerifier({ apiKey: 's', jwtRbac: true, hs256: provider }).verifyKey(token))
        .ok,
    );
  }),
];

const cases: TestCase[] = [
  ...contract,
  ...agreementCases(nodeHs256),
  ...interop,
  ...withHs256('nodeHs256', nodeHs256, [
    ...keys,
    ...keysParity,
    ...accessTokenKinds,
    ...grpcRequests,
    ...boundedCache,
  ]),
];
export default cases;
