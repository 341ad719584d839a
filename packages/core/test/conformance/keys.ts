// Runtime-neutral cases for headers, static keys, HS256 database keys, the verified-token cache,
// claims builders, Cloud access rules and redaction. Every expected answer is the cluster's
// (Qdrant v1.19 + jsonwebtoken 10.4), status and body text included.
import {
  accessToCloudAccessRules,
  type CloudAccessRule,
  claimsFor,
  cloudAccessRulesToAccess,
  createVerifiedTokenCache,
  databaseKeyHeaders,
  decodeDatabaseKey,
  type KeyVerifierOptions,
  managementKeyHeaders,
  qdrantErrorBody,
  readDatabaseKey,
  redactKey,
  validateCloudAccessRules,
  type VerifyResult,
} from '@qdrant-kit/core';
import {
  assert,
  assertDeepEqual,
  assertEqual,
  assertMatch,
  type TestCase,
  test,
} from '@qdrant-kit/runtime-harness/suite';
import { createKeyVerifier, signDatabaseKey } from './hs256-fixtures.js';

const SECRET = 'main-secret-0123456789';
const ALT = 'alt-secret-9876543210';
const READ_ONLY = 'read-only-key-abcdef';
const NOW_MS = 1_700_000_000_000;
const NOW = NOW_MS / 1000;

const NO_KEY = {
  ok: false,
  status: 401,
  message: 'Must provide an API key or an Authorization bearer token',
};
const INVALID = { ok: false, status: 401, message: 'Invalid API key or JWT' };
const BAD_SIGNATURE = { ok: false, status: 403, message: 'InvalidSignature' };
const EXPIRED = { ok: false, status: 403, message: 'ExpiredSignature' };

const HS256 = '{"alg":"HS256","typ":"JWT"}';

function b64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
const text = (s: string) => b64url(new TextEncoder().encode(s));

async function hmac(secret: string, message: string, hash = 'SHA-256'): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash },
    false,
    ['sign'],
  );
  return b64url(
    new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(message))),
  );
}

/** A token from raw header and payload JSON text, signed with `secret` (HS256 unless `hash`). */
async function craft(
  header: string,
  payload: string,
  secret = SECRET,
  hash?: string,
): Promise<string> {
  const input = `${text(header)}.${text(payload)}`;
  return `${input}.${await hmac(secret, input, hash)}`;
}

function verifier(options: Partial<KeyVerifierOptions> = {}) {
  // One JWT secret by default, the common setup; two-secret cases pass `altApiKey: ALT`.
  return createKeyVerifier({
    apiKey: SECRET,
    readOnlyApiKey: READ_ONLY,
    jwtRbac: true,
    now: () => NOW_MS,
    ...options,
  });
}

function expectDenial(
  result: VerifyResult,
  expected: { status: number; message: string },
  label = '',
): void {
  assertDeepEqual(result, { ok: false, ...expected }, label);
}

const tokenCase = (
  name: string,
  header: string,
  payload: string,
  expected: object | 'ok',
  secret = SECRET,
  options: Partial<KeyVerifierOptions> = {},
) =>
  test(`JWT: ${name}`, async () => {
    const result = await verifier(options).verifyKey(await craft(header, payload, secret));
    if (expected === 'ok') assert(result.ok, `expected acceptance, got ${JSON.stringify(result)}`);
    else assertDeepEqual(result, expected);
  });

const cases: TestCase[] = [
  // --- headers -------------------------------------------------------------------------------
  test('headers: databaseKeyHeaders and managementKeyHeaders', () => {
    assertDeepEqual(databaseKeyHeaders('k'), { 'api-key': 'k' });
    assertDeepEqual(databaseKeyHeaders('k', { scheme: 'bearer' }), { authorization: 'Bearer k' });
    assertDeepEqual(managementKeyHeaders('m'), { authorization: 'apikey m' });
  }),
  test('headers: api-key wins even when empty; Bearer is case-sensitive with one space', () => {
    assertEqual(readDatabaseKey(new Headers()), undefined);
    assertEqual(readDatabaseKey(new Headers({ 'API-KEY': 'a' })), 'a');
    assertEqual(readDatabaseKey(new Headers({ 'api-key': '', authorization: 'Bearer b' })), '');
    assertEqual(readDatabaseKey(new Headers({ 'api-key': 'a', authorization: 'Bearer b' })), 'a');
    assertEqual(readDatabaseKey(new Headers({ authorization: 'Bearer b' })), 'b');
    assertEqual(readDatabaseKey(new Headers({ authorization: 'bearer b' })), undefined);
    assertEqual(readDatabaseKey(new Headers({ authorization: 'BEARER b' })), undefined);
    assertEqual(readDatabaseKey(new Headers({ authorization: 'Bearer  b' })), ' b');
    assertEqual(readDatabaseKey(new Headers({ authorization: 'Bearer' })), undefined);
    assertEqual(
      readDatabaseKey(new Headers({ authorization: 'Bearer ' })),
      undefined,
      'trailing space is trimmed by HTTP',
    );
    assertEqual(readDatabaseKey(new Headers({ authorization: 'Basic b' })), undefined);
    assertEqual(readDatabaseKey(new Headers({ authorization: 'apikey b' })), undefined);
  }),
  test('headers: a repeated header is read joined (refused); non-ASCII value counts as absent', () => {
    const repeated = new Headers();
    repeated.append('api-key', 'first');
    repeated.append('api-key', 'second');
    assertEqual(readDatabaseKey(repeated), 'first, second');
    const emptyFirst = new Headers();
    emptyFirst.append('api-key', '');
    emptyFirst.append('api-key', 'second');
    assertEqual(readDatabaseKey(emptyFirst), ', second');
    assertEqual(
      readDatabaseKey(new Headers({ 'api-key': 'caf\u00e9', authorization: 'Bearer b' })),
      'b',
    );
    assertEqual(readDatabaseKey(new Headers({ authorization: 'Bearer caf\u00e9' })), undefined);
  }),

  // --- static keys and order of checks ---------------------------------------------------------
  test('verify: no key -> 401 Must provide...', async () => {
    expectDenial(await verifier().verify(new Headers()), NO_KEY);
    expectDenial(await verifier().verifyKey(undefined), NO_KEY);
  }),
  test('verify: api, alt and read-only keys', async () => {
    assertMatch(await verifier().verify(new Headers({ 'api-key': SECRET })), {
      ok: true,
      keyKind: 'api-key',
      access: { kind: 'global', mode: 'm' },
    });
    assertMatch(
      await verifier({ altApiKey: ALT }).verify(new Headers({ authorization: `Bearer ${ALT}` })),
      {
        ok: true,
        keyKind: 'alt-api-key',
        access: { kind: 'global', mode: 'm' },
      },
    );
    assertMatch(await verifier().verify(new Headers({ 'api-key': READ_ONLY })), {
      ok: true,
      keyKind: 'read-only-api-key',
      access: { kind: 'global', mode: 'r' },
    });
  }),
  test('verify: header oddities', async () => {
    const v = verifier();
    expectDenial(
      await v.verify(new Headers({ 'api-key': '', authorization: `Bearer ${SECRET}` })),
      INVALID,
      'empty api-key wins',
    );
    expectDenial(
      await v.verify(new Headers({ 'api-key': 'wrong', authorization: `Bearer ${SECRET}` })),
      INVALID,
      'both',
    );
    expectDenial(
      await v.verify(new Headers({ authorization: `bearer ${SECRET}` })),
      NO_KEY,
      'scheme case',
    );
    expectDenial(
      await v.verify(new Headers({ authorization: `Bearer  ${SECRET}` })),
      INVALID,
      'double space',
    );
    expectDenial(await v.verify(new Headers({ authorization: `${SECRET}` })), NO_KEY, 'no scheme');
    assertMatch(
      await v.verify(new Headers({ 'api-key': 'caf\u00e9', authorization: `Bearer ${SECRET}` })),
      { ok: true },
    );
    expectDenial(
      await v.verify(new Headers({ 'api-key': `${SECRET}x` })),
      INVALID,
      'prefix match is no match',
    );
    expectDenial(
      await v.verify(new Headers({ 'api-key': SECRET.slice(0, -1) })),
      INVALID,
      'shorter',
    );
  }),
  test('verify: auth disabled when no key is configured (empty strings are unset)', async () => {
    const v = createKeyVerifier({ apiKey: '', altApiKey: '', readOnlyApiKey: '', jwtRbac: true });
    assertEqual(v.authEnabled, false);
    assertMatch(await v.verify(new Headers()), {
      ok: true,
      keyKind: 'none',
      access: { kind: 'global', mode: 'm' },
    });
    assertMatch(await v.verifyKey('anything'), { ok: true, keyKind: 'none' });
  }),
  test('verify: read-only key alone enables auth; JWTs need jwtRbac and an api key', async () => {
    const v = createKeyVerifier({ readOnlyApiKey: READ_ONLY, jwtRbac: true });
    const token = await signDatabaseKey(SECRET, {});
    expectDenial(await v.verifyKey(token), INVALID);
    const off = createKeyVerifier({ apiKey: SECRET });
    expectDenial(await off.verifyKey(token), INVALID, 'jwt_rbac off');
  }),

  // --- JWT: algorithms, signatures, structure ------------------------------------------------
  tokenCase('a valid HS256 token is accepted', HS256, '{"access":"r"}', 'ok'),
  tokenCase('alg none -> 401', '{"alg":"none","typ":"JWT"}', '{}', INVALID),
  tokenCase('alg HS512 (validly signed) -> 401', '{"alg":"HS512","typ":"JWT"}', '{}', INVALID),
  tokenCase('alg RS256 -> 401', '{"alg":"RS256","typ":"JWT"}', '{}', INVALID),
  tokenCase('alg hs256 (wrong case) -> 401', '{"alg":"hs256"}', '{}', INVALID),
  tokenCase('no alg -> 401', '{"typ":"JWT"}', '{}', INVALID),
  tokenCase('alg given twice -> 401', '{"alg":"HS256","alg":"HS256"}', '{}', INVALID),
  tokenCase(
    'unknown header field that is not a string -> 401',
    '{"alg":"HS256","foo":1}',
    '{}',
    INVALID,
  ),
  tokenCase('unknown string header field is fine', '{"alg":"HS256","foo":"bar"}', '{}', 'ok'),
  tokenCase('typ as a number -> 401', '{"alg":"HS256","typ":1}', '{}', INVALID),
  tokenCase('kid null is fine', '{"alg":"HS256","kid":null}', '{}', 'ok'),
  tokenCase('header that is an array -> 401', '["HS256"]', '{}', INVALID),
  tokenCase(
    'signed with another secret -> 403 InvalidSignature',
    HS256,
    '{}',
    BAD_SIGNATURE,
    'not-the-secret',
  ),
  test('JWT: HS512-signed token claiming HS256 -> 403 InvalidSignature', async () => {
    const input = `${text(HS256)}.${text('{}')}`;
    const token = `${input}.${await hmac(SECRET, input, 'SHA-512')}`;
    expectDenial(await verifier().verifyKey(token), BAD_SIGNATURE);
  }),
  test('JWT: structure and base64 oddities', async () => {
    const v = verifier();
    const good = await craft(HS256, '{"access":"r"}');
    const [h, p, s] = good.split('.') as [string, string, string];
    expectDenial(await v.verifyKey(`${h}.${p}`), INVALID, 'two parts');
    expectDenial(await v.verifyKey(`${h}.${p}.${s}.${s}`), INVALID, 'four parts');
    expectDenial(await v.verifyKey(`${h}=.${p}.${s}`), INVALID, 'padded header');
    expectDenial(await v.verifyKey(`${h}.${p}.${s}=`), INVALID, 'padded signature');
    expectDenial(
      await v.verifyKey(`${h}.${p}.${s.slice(0, -3)}`),
      BAD_SIGNATURE,
      'short signature still base64',
    );
    expectDenial(
      await v.verifyKey(`${h}.${p}.${s.slice(0, -1)}`),
      INVALID,
      'non-zero trailing bits in signature',
    );
    expectDenial(await v.verifyKey(`${h}.${p}.${s}AB`), INVALID, 'signature length 1 mod 4');
    expectDenial(await v.verifyKey(`${h}.${p}.!!!`), INVALID, 'signature not base64');
    expectDenial(
      await v.verifyKey(`${h}.${p}.`),
      BAD_SIGNATURE,
      'empty signature decodes to nothing',
    );
    expectDenial(
      await v.verifyKey(`${h.replace(/-/g, '+')}x.${p}.${s}`),
      INVALID,
      'header not base64',
    );
    expectDenial(await v.verifyKey(`.${p}.${s}`), INVALID, 'empty header');
    expectDenial(
      await v.verifyKey(`${h}.${p}!.${s}`),
      BAD_SIGNATURE,
      'payload not base64 and bad signature',
    );
    expectDenial(await v.verifyKey('...'), INVALID);
    expectDenial(await v.verifyKey(''), INVALID);
    expectDenial(await v.verifyKey('eyJ'), INVALID);
  }),
  test('JWT: base64 with non-zero trailing bits is refused like the Rust base64 crate', async () => {
    // '{}' encodes to 'e30'; 'e31' decodes to the same bytes with a non-zero trailing bit.
    const input = `${text(HS256)}.e31`;
    const token = `${input}.${await hmac(SECRET, input)}`;
    expectDenial(await verifier().verifyKey(token), INVALID);
  }),
  test('JWT: payload that is not base64 but correctly signed -> 401', async () => {
    const input = `${text(HS256)}.not*base64`;
    expectDenial(await verifier().verifyKey(`${input}.${await hmac(SECRET, input)}`), INVALID);
  }),
  tokenCase('payload not JSON -> 401', HS256, '{"access":', INVALID),
  tokenCase('payload trailing garbage -> 401', HS256, '{} x', INVALID),
  tokenCase('payload trailing comma -> 401', HS256, '{"access":"r",}', INVALID),
  tokenCase('payload an array -> 401', HS256, '[null,null,"r",null]', INVALID),
  tokenCase('payload a string -> 401', HS256, '"r"', INVALID),
  tokenCase('payload with whitespace is fine', HS256, ' \n{ "access" : "r" }\t', 'ok'),
  tokenCase('lone surrogate in a claim -> 401', HS256, '{"subject":"\\ud800"}', INVALID),

  // --- exp ---------------------------------------------------------------------------------------
  tokenCase('exp 31 s ago -> 403 ExpiredSignature', HS256, `{"exp":${NOW - 31}}`, EXPIRED),
  tokenCase('exp 30 s ago (inside leeway) is accepted', HS256, `{"exp":${NOW - 30}}`, 'ok'),
  tokenCase('exp 1 s ago is accepted', HS256, `{"exp":${NOW - 1}}`, 'ok'),
  tokenCase('exp 0 -> 403 ExpiredSignature', HS256, '{"exp":0}', EXPIRED),
  // jsonwebtoken 10.4.0 src/validation.rs:287-288: null fails `numeric_type`, InvalidClaimFormat.
  tokenCase('exp null -> 401 (not a JWT)', HS256, '{"exp":null}', INVALID),
  tokenCase('exp as float -> 401', HS256, `{"exp":${NOW + 100}.5}`, INVALID),
  tokenCase('exp as 1.0 -> 401', HS256, `{"exp":${NOW + 100}.0}`, INVALID),
  tokenCase('exp with exponent -> 401', HS256, '{"exp":2e9}', INVALID),
  tokenCase('exp as string -> 401', HS256, `{"exp":"${NOW + 100}"}`, INVALID),
  tokenCase('exp negative -> 401', HS256, '{"exp":-1}', INVALID),
  tokenCase('exp -0 -> 401', HS256, '{"exp":-0}', INVALID),
  tokenCase('exp u64 max is accepted', HS256, '{"exp":18446744073709551615}', 'ok'),
  tokenCase('exp beyond u64 -> 401', HS256, '{"exp":18446744073709551616}', INVALID),
  tokenCase('exp given twice -> 401', HS256, `{"exp":${NOW + 100},"exp":${NOW + 100}}`, INVALID),
  tokenCase(
    'malformed claims win over expiry (401, not 403)',
    HS256,
    `{"exp":${NOW - 100},"access":"rw"}`,
    INVALID,
  ),
  tokenCase(
    'expired with a bad signature -> 403 InvalidSignature',
    HS256,
    `{"exp":${NOW - 100}}`,
    BAD_SIGNATURE,
    'other',
  ),
  tokenCase(
    'nbf, iat, iss, aud, jti and unknown claims are ignored',
    HS256,
    `{"nbf":${NOW + 10_000},"iat":"x","iss":{"a":1},"aud":[1],"jti":5,"foo":[{"bar":null}]}`,
    'ok',
  ),
  tokenCase('iss given twice -> 401', HS256, '{"iss":"a","iss":"b"}', INVALID),
  tokenCase('nbf as a non-empty list -> 401', HS256, '{"nbf":[1]}', INVALID),
  tokenCase('nbf as an empty list is ignored', HS256, '{"nbf":[]}', 'ok'),

  // --- claims ------------------------------------------------------------------------------------
  tokenCase('access rw (global) -> 401', HS256, '{"access":"rw"}', INVALID),
  tokenCase('access null -> 401', HS256, '{"access":null}', INVALID),
  tokenCase('access {} -> 401', HS256, '{"access":{}}', INVALID),
  tokenCase(
    'collection mode m -> 401',
    HS256,
    '{"access":[{"collection":"a","access":"m"}]}',
    INVALID,
  ),
  tokenCase(
    'collection grant without access -> 401',
    HS256,
    '{"access":[{"collection":"a"}]}',
    INVALID,
  ),
  tokenCase('sub as a number -> 401', HS256, '{"sub":1}', INVALID),
  tokenCase('subject as a list -> 401', HS256, '{"subject":["a"]}', INVALID),
  tokenCase(
    'deprecated payload -> 401 with the validator text',
    HS256,
    '{"access":[{"collection":"a","access":"r","payload":{"f":1}}]}',
    {
      ok: false,
      status: 401,
      message: "access[0].payload: The 'payload' constraint is deprecated and should not be used",
    },
  ),
  tokenCase(
    'payload false counts as present',
    HS256,
    '{"access":[{"collection":"a","access":"r","payload":false}]}',
    {
      ok: false,
      status: 401,
      message: "access[0].payload: The 'payload' constraint is deprecated and should not be used",
    },
  ),
  tokenCase(
    'payload null is accepted',
    HS256,
    '{"access":[{"collection":"a","access":"r","payload":null}]}',
    'ok',
  ),
  tokenCase(
    'duplicate collections -> 401 with the validator text',
    HS256,
    '{"access":[{"collection":"a","access":"r"},{"collection":"b","access":"rw"},{"collection":"a","access":"rw"}]}',
    { ok: false, status: 401, message: 'access[2].collection: Collection name should be unique' },
  ),
  tokenCase(
    'several validation errors are concatenated in entry order',
    HS256,
    '{"access":[{"collection":"a","access":"r","payload":1},{"collection":"a","access":"r"}]}',
    {
      ok: false,
      status: 401,
      message:
        "access[0].payload: The 'payload' constraint is deprecated and should not be useda" +
        'ccess[1].collection: Collection name should be unique',
    },
  ),
  tokenCase(
    'duplicate collections but expired -> 403 ExpiredSignature (exp is checked first)',
    HS256,
    `{"exp":${NOW - 100},"access":[{"collection":"a","access":"r"},{"collection":"a","access":"r"}]}`,
    EXPIRED,
  ),
  test('JWT: access forms map to Access', async () => {
    const v = verifier();
    const of = async (payload: string) =>
      ((await v.verifyKey(await craft(HS256, payload))) as { access?: unknown }).access;
    assertDeepEqual(await of('{}'), { kind: 'global', mode: 'm' });
    assertDeepEqual(await of('{"access":"m"}'), { kind: 'global', mode: 'm' });
    assertDeepEqual(await of('{"access":"r"}'), { kind: 'global', mode: 'r' });
    assertDeepEqual(await of('{"access":[]}'), { kind: 'collections', collections: [] });
    assertDeepEqual(await of('{"access":[{"collection":"docs","access":"prw"}]}'), {
      kind: 'collections',
      collections: [{ collection: 'docs', access: 'prw' }],
    });
    // serde also reads a struct from a list, and a unit variant from {"variant": null}.
    assertDeepEqual(await of('{"access":[["docs","rw"]]}'), {
      kind: 'collections',
      collections: [{ collection: 'docs', access: 'rw' }],
    });
    assertDeepEqual(await of('{"access":{"r":null}}'), { kind: 'global', mode: 'r' });
    assertDeepEqual(await of('{"access":[{"collection":"名前 ✓","access":"r"}]}'), {
      kind: 'collections',
      collections: [{ collection: '名前 ✓', access: 'r' }],
    });
  }),
  test('JWT: subject, sub and exp are reported', async () => {
    const result = await verifier().verifyKey(
      await craft(HS256, `{"sub":"inf","subject":"alice","exp":${NOW + 60}}`),
    );
    assertMatch(result, { ok: true, keyKind: 'jwt', subject: 'alice', expiresAt: NOW + 60 });
    assertMatch((result as { claims?: object }).claims, {
      sub: 'inf',
      subject: 'alice',
      exp: NOW + 60,
    });
  }),

  // --- two secrets ----------------------------------------------------------------------------
  tokenCase('signed with alt_api_key is accepted', HS256, '{"access":"r"}', 'ok', ALT, {
    altApiKey: ALT,
  }),
  tokenCase(
    'signed with api_key, alt configured, is accepted',
    HS256,
    '{"access":"r"}',
    'ok',
    SECRET,
    { altApiKey: ALT },
  ),
  tokenCase(
    "expired and signed with alt -> 403 InvalidSignature (the first parser's error)",
    HS256,
    `{"exp":${NOW - 100}}`,
    BAD_SIGNATURE,
    ALT,
    { altApiKey: ALT },
  ),
  tokenCase(
    'expired and signed with api_key, alt configured -> 403 ExpiredSignature',
    HS256,
    `{"exp":${NOW - 100}}`,
    EXPIRED,
    SECRET,
    { altApiKey: ALT },
  ),
  // A parser that finds no valid JWT is skipped, so the other secret's InvalidSignature is
  // what the cluster reports for well-signed tokens with malformed claims.
  tokenCase(
    'malformed claims signed with api_key, alt configured -> 403 InvalidSignature',
    HS256,
    '{"access":"rw"}',
    BAD_SIGNATURE,
    SECRET,
    { altApiKey: ALT },
  ),
  tokenCase(
    'malformed claims signed with alt -> 403 InvalidSignature',
    HS256,
    '{"access":"rw"}',
    BAD_SIGNATURE,
    ALT,
    {
      altApiKey: ALT,
    },
  ),
  tokenCase(
    'malformed claims signed with api_key, no alt -> 401',
    HS256,
    '{"access":"rw"}',
    INVALID,
  ),
  tokenCase(
    'duplicate collections signed with alt -> 403 InvalidSignature',
    HS256,
    '{"access":[{"collection":"a","access":"r"},{"collection":"a","access":"r"}]}',
    BAD_SIGNATURE,
    ALT,
    { altApiKey: ALT },
  ),
  tokenCase(
    'duplicate collections signed with api_key, alt configured -> 401 validator text',
    HS256,
    '{"access":[{"collection":"a","access":"r"},{"collection":"a","access":"r"}]}',
    { ok: false, status: 401, message: 'access[1].collection: Collection name should be unique' },
    SECRET,
    { altApiKey: ALT },
  ),

  // --- huge tokens ----------------------------------------------------------------------------
  test('JWT: huge tokens are answered, not crashed on', async () => {
    const big = `{"subject":"${'x'.repeat(300_000)}","access":"r"}`;
    assertMatch(await verifier().verifyKey(await craft(HS256, big)), {
      ok: true,
      subject: 'x'.repeat(300_000),
    });
    expectDenial(await verifier().verifyKey(await craft(HS256, big, 'other')), BAD_SIGNATURE);
    expectDenial(await verifier().verifyKey(`eyJ${'A'.repeat(1_000_000)}`), INVALID);
    const deep = `{"foo":${'['.repeat(200)}${']'.repeat(200)}}`;
    expectDenial(await verifier().verifyKey(await craft(HS256, deep)), INVALID);
  }),

  // --- value_exists ---------------------------------------------------------------------------
  test('value_exists: refused without a checker, delegated with one', async () => {
    const payload =
      '{"value_exists":{"collection":"users","matches":[{"key":"user.id","value":42},{"key":"ok","value":true}]}}';
    const token = await craft(HS256, payload);
    const stateful = 'Invalid JWT, stateful validation failed';
    expectDenial(await verifier().verifyKey(token), { status: 401, message: stateful });
    const seen: unknown[] = [];
    const answer = (outcome: 'match' | 'no-match' | 'missing-collection') =>
      verifier({
        checkValueExists: async (claim) => {
          seen.push(claim);
          return outcome;
        },
      }).verifyKey(token);
    assertMatch(await answer('match'), { ok: true });
    expectDenial(await answer('no-match'), { status: 401, message: stateful });
    expectDenial(await answer('missing-collection'), { status: 403, message: stateful });
    assertDeepEqual(seen[0], {
      collection: 'users',
      matches: [
        { key: 'user.id', value: 42 },
        { key: 'ok', value: true },
      ],
    });
  }),
  tokenCase(
    'value_exists with a float value -> 401',
    HS256,
    '{"value_exists":{"collection":"u","matches":[{"key":"a","value":1.5}]}}',
    INVALID,
  ),
  tokenCase(
    'value_exists without matches -> 401',
    HS256,
    '{"value_exists":{"collection":"u"}}',
    INVALID,
  ),
  tokenCase('value_exists null is ignored', HS256, '{"value_exists":null}', 'ok'),

  // --- cache ----------------------------------------------------------------------------------
  test('cache: a hit is served, never past exp + 30 s', async () => {
    let now = NOW_MS;
    const cache = createVerifiedTokenCache({ maxEntries: 2 });
    const v = verifier({ cache, now: () => now });
    const token = await craft(HS256, `{"exp":${NOW + 10},"access":"r"}`);
    assertMatch(await v.verifyKey(token), { ok: true });
    assertEqual(cache.size, 1);
    assertMatch(await v.verifyKey(token), { ok: true, access: { kind: 'global', mode: 'r' } });
    now = (NOW + 40) * 1000;
    assertMatch(await v.verifyKey(token), { ok: true }, 'exp + 30 s is still valid');
    now = (NOW + 41) * 1000;
    expectDenial(await v.verifyKey(token), EXPIRED);
    assertEqual(cache.size, 0);
  }),
  test('cache: bounded LRU and scoped to the verifier that filled it', async () => {
    const cache = createVerifiedTokenCache({ maxEntries: 2 });
    const v = verifier({ cache });
    const tokens = await Promise.all(
      ['a', 'b', 'c'].map((c) => craft(HS256, `{"subject":"${c}"}`)),
    );
    for (const t of tokens) await v.verifyKey(t);
    assertEqual(cache.size, 2);
    const other = createKeyVerifier({
      apiKey: 'different-secret',
      jwtRbac: true,
      cache,
      now: () => NOW_MS,
    });
    expectDenial(
      await other.verifyKey(tokens[2] as string),
      BAD_SIGNATURE,
      'a shared cache never crosses secrets',
    );
  }),
  test('cache: disabled with cache: false', async () => {
    const v = verifier({ cache: false });
    const token = await craft(HS256, '{}');
    assertMatch(await v.verifyKey(token), { ok: true });
    assertMatch(await v.verifyKey(token), { ok: true });
  }),

  // --- sign / decode -----------------------------------------------------------------------------
  test('signDatabaseKey + decodeDatabaseKey round trip', async () => {
    const claims = claimsFor({
      access: { docs: 'rw', logs: 'r' },
      expiresIn: '90d',
      subject: 'ci',
      now: () => NOW_MS,
    });
    assertEqual(claims.exp, NOW + 7_776_000);
    const token = await signDatabaseKey(SECRET, claims);
    const decoded = decodeDatabaseKey(token);
    assert(decoded.ok, JSON.stringify(decoded));
    assertDeepEqual(decoded.claims, claims);
    assertDeepEqual(decoded.header, { alg: 'HS256', typ: 'JWT' });
    assertEqual(decoded.isExpired(NOW_MS), false);
    assertEqual(decoded.isExpired((NOW + 7_776_031) * 1000), true);
    assertMatch(await verifier().verifyKey(token), { ok: true, subject: 'ci' });
  }),
  test('signDatabaseKey refuses claims the cluster would refuse', async () => {
    let refused = false;
    try {
      await signDatabaseKey(SECRET, {
        access: [
          { collection: 'a', access: 'r' },
          { collection: 'a', access: 'r' },
        ],
      });
    } catch (error) {
      refused = /Collection name should be unique/.test(String(error));
    }
    assert(refused);
  }),
  test('decodeDatabaseKey explains refusals and never throws', () => {
    assertMatch(decodeDatabaseKey('nope'), { ok: false });
    assertMatch(decodeDatabaseKey(42 as unknown as string), { ok: false });
    const none = `${text('{"alg":"none"}')}.${text('{}')}.`;
    assertMatch(decodeDatabaseKey(none), { ok: false });
  }),
  test('claimsFor: grants and expiry forms', () => {
    assertDeepEqual(claimsFor(), {});
    assertDeepEqual(claimsFor({ access: 'r' }), { access: 'r' });
    assertDeepEqual(claimsFor({ access: { kind: 'global', mode: 'm' } }), { access: 'm' });
    assertDeepEqual(claimsFor({ access: { a: 'prw' } }), {
      access: [{ collection: 'a', access: 'prw' }],
    });
    assertDeepEqual(claimsFor({ expiresAt: new Date(NOW_MS) }), { exp: NOW });
    assertDeepEqual(claimsFor({ expiresIn: '12h', now: () => NOW_MS }), { exp: NOW + 43_200 });
    assertDeepEqual(claimsFor({ expiresIn: 60, now: () => NOW_MS }), { exp: NOW + 60 });
    let threw = 0;
    for (const bad of [
      () => claimsFor({ expiresIn: '3 days' as '3d' }),
      () => claimsFor({ access: { a: 'x' as 'r' } }),
    ]) {
      try {
        bad();
      } catch {
        threw++;
      }
    }
    assertEqual(threw, 2);
  }),

  // --- Cloud rules ---------------------------------------------------------------------------
  test('cloud: rules <-> access', () => {
    assertDeepEqual(cloudAccessRulesToAccess([]), {
      ok: true,
      value: { kind: 'global', mode: 'm' },
    });
    assertDeepEqual(
      cloudAccessRulesToAccess([
        { globalAccess: { accessType: 'GLOBAL_ACCESS_RULE_ACCESS_TYPE_READ_ONLY' } },
      ]),
      {
        ok: true,
        value: { kind: 'global', mode: 'r' },
      },
    );
    const rules: CloudAccessRule[] = [
      {
        collectionAccess: {
          collectionName: 'docs',
          accessType: 'COLLECTION_ACCESS_RULE_ACCESS_TYPE_READ_WRITE',
        },
      },
      {
        collectionAccess: {
          collectionName: 'logs.v1',
          accessType: 'COLLECTION_ACCESS_RULE_ACCESS_TYPE_READ_ONLY',
        },
      },
    ];
    const access = cloudAccessRulesToAccess(rules);
    assertDeepEqual(access, {
      ok: true,
      value: {
        kind: 'collections',
        collections: [
          { collection: 'docs', access: 'rw' },
          { collection: 'logs.v1', access: 'r' },
        ],
      },
    });
    assert(access.ok);
    assertDeepEqual(accessToCloudAccessRules(access.value), { ok: true, value: rules });
    assertMatch(
      accessToCloudAccessRules({
        kind: 'collections',
        collections: [{ collection: 'a', access: 'prw' }],
      }),
      { ok: false },
    );
  }),
  test('cloud: validation issues carry field paths', () => {
    const many = Array.from({ length: 21 }, (_, i) => ({
      collectionAccess: {
        collectionName: `c${i}`,
        accessType: 'COLLECTION_ACCESS_RULE_ACCESS_TYPE_READ_ONLY',
      },
    }));
    assertDeepEqual(
      validateCloudAccessRules(many).map((i) => i.path),
      ['accessRules'],
    );
    const mixed = [
      { globalAccess: { accessType: 'GLOBAL_ACCESS_RULE_ACCESS_TYPE_MANAGE' } },
      {
        collectionAccess: {
          collectionName: 'bad name',
          accessType: 'COLLECTION_ACCESS_RULE_ACCESS_TYPE_UNSPECIFIED',
        },
      },
    ];
    assertDeepEqual(
      validateCloudAccessRules(mixed).map((i) => i.path),
      [
        'accessRules[1].collectionAccess.collectionName',
        'accessRules[1].collectionAccess.accessType',
        'accessRules',
      ],
    );
    assertDeepEqual(
      validateCloudAccessRules([{}]).map((i) => i.path),
      ['accessRules[0]'],
    );
    assertDeepEqual(
      validateCloudAccessRules([
        {
          collectionAccess: {
            collectionName: 'x'.repeat(256),
            accessType: 'COLLECTION_ACCESS_RULE_ACCESS_TYPE_READ_ONLY',
          },
        },
      ]).length,
      1,
    );
  }),

  // --- redaction, error body ------------------------------------------------------------------
  test('redactKey: kind and last characters, never the secret or the claims', async () => {
    const token = await signDatabaseKey(SECRET, { subject: 'very-secret-subject', access: 'r' });
    const redacted = redactKey(token);
    assert(redacted.startsWith('jwt:…') && redacted.endsWith(token.slice(-4)), redacted);
    assert(!redacted.includes(token.split('.')[1] as string));
    assertEqual(redactKey(SECRET), `key:…${SECRET.slice(-4)}`);
    assertEqual(redactKey('short'), 'key:(short)');
    assertEqual(redactKey(''), 'key:(empty)');
    const result = await verifier().verifyKey(SECRET);
    assert(result.ok && !result.keyId.includes(SECRET));
  }),
  test('qdrantErrorBody', () => {
    assertEqual(
      qdrantErrorBody('Forbidden: Global access is required', 0.5),
      '{"status":{"error":"Forbidden: Global access is required"},"time":0.5}',
    );
  }),
];

export default cases;
