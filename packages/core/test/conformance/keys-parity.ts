// Runtime-neutral cases where the cluster's header reading and claims parsing were once
// misread: `exp: null`, numbers that overflow f64, and header values containing ", ".
// Expected answers are the cluster's (Qdrant v1.19.0, jsonwebtoken 10.4.0, serde_json 1.0.15x),
// or stricter where noted (a refusal the cluster would not give is the safe direction).
import { decodeDatabaseKey, type KeyVerifierOptions, readDatabaseKey } from '@qdrant-kit/core';
import {
  assert,
  assertDeepEqual,
  assertEqual,
  assertMatch,
  type TestCase,
  test,
} from '@qdrant-kit/runtime-harness/suite';
import { createKeyVerifier, signDatabaseKey } from './hs256-fixtures.js';

const SECRET = 'parity-secret-0123456789';
const ALT = 'parity-alt-secret-987654';
const NOW_MS = 1_700_000_000_000;

const INVALID = { ok: false, status: 401, message: 'Invalid API key or JWT' };
const BAD_SIGNATURE = { ok: false, status: 403, message: 'InvalidSignature' };
const HS256 = '{"alg":"HS256","typ":"JWT"}';

function b64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
const text = (s: string) => b64url(new TextEncoder().encode(s));

async function craft(payload: string, secret = SECRET): Promise<string> {
  const input = `${text(HS256)}.${text(payload)}`;
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const signature = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(input));
  return `${input}.${b64url(new Uint8Array(signature))}`;
}

function verifier(options: Partial<KeyVerifierOptions> = {}) {
  return createKeyVerifier({ apiKey: SECRET, jwtRbac: true, now: () => NOW_MS, ...options });
}

/**
 * A well-signed token whose claims the cluster cannot parse: its parser counts as "not a JWT"
 * (src/common/auth/jwt_parser.rs:36-46 maps every error but ExpiredSignature/InvalidSignature
 * to None), so the answer is 401 without `alt_api_key` and the alt parser's 403
 * InvalidSignature with one (src/common/auth/mod.rs:171-176).
 */
const unparsable = (name: string, payload: string) =>
  test(`claims parity: ${name} -> not a JWT (401; 403 InvalidSignature with alt)`, async () => {
    const token = await craft(payload);
    assertDeepEqual(await verifier().verifyKey(token), INVALID, 'api_key only');
    assertDeepEqual(
      await verifier({ altApiKey: ALT }).verifyKey(token),
      BAD_SIGNATURE,
      'alt configured',
    );
    assertDeepEqual(
      await verifier({ altApiKey: ALT }).verifyKey(await craft(payload, ALT)),
      BAD_SIGNATURE,
      'signed with alt',
    );
    assertMatch(decodeDatabaseKey(token), { ok: false }, 'decodeDatabaseKey');
  });

const accepted = (name: string, payload: string) =>
  test(`claims parity: ${name} is accepted`, async () => {
    const result = await verifier().verifyKey(await craft(payload));
    assert(result.ok, `expected acceptance, got ${JSON.stringify(result)}`);
  });

const cases: TestCase[] = [
  // --- exp: null ------------------------------------------------------------------------------
  // jsonwebtoken 10.4.0 reads `exp` a second time for validation through `numeric_type`
  // (src/validation.rs:200), whose visitor has only visit_u64/visit_f64 (src/validation.rs:362-398):
  // `null` fails, becomes FailedToParse, and with validate_exp on (Qdrant leaves the default)
  // decode returns InvalidClaimFormat("exp") (src/validation.rs:287-288). Qdrant's own
  // `exp: Option<u64>` (src/common/auth/claims.rs:14) would have taken null.
  unparsable('exp null', '{"exp":null}'),
  unparsable('exp null with access', '{"exp":null,"access":[{"collection":"a","access":"r"}]}'),
  test('claims parity: signDatabaseKey refuses exp null', async () => {
    let message = '';
    try {
      await signDatabaseKey(SECRET, { exp: null } as unknown as { exp: number });
    } catch (error) {
      message = String(error);
    }
    assert(/exp/.test(message), `expected a refusal naming exp, got ${message}`);
  }),
  accepted('nbf null (not validated by Qdrant)', '{"nbf":null}'),

  // --- numbers that overflow f64 ------------------------------------------------------------------
  // `access` is an untagged enum (lib/storage/src/rbac/mod.rs:29-31): serde buffers the whole value,
  // materialising every number, and serde_json refuses one that overflows f64
  // (serde_json 1.0.150 src/de.rs:639-664 `f64_from_parts`, NumberOutOfRange), even in a field
  // the struct then ignores.
  unparsable(
    '1e400 in an unknown field of a grant',
    '{"access":[{"collection":"a","access":"r","note":1e400}]}',
  ),
  unparsable(
    '-1e400 nested in a grant',
    '{"access":[{"collection":"a","access":"r","note":{"x":[-1e400]}}]}',
  ),
  unparsable(
    'a 400-digit integer in a grant',
    `{"access":[{"collection":"a","access":"r","n":1${'0'.repeat(400)}}]}`,
  ),
  // `iss`/`aud` are read leniently into untagged enums (jsonwebtoken src/validation.rs:206-209):
  // the overflow error leaves serde_json mid-list (src/de.rs:1439 then `end_seq`, src/de.rs:1072,
  // stops at the ","), and the claims object no longer parses.
  unparsable('1e400 inside iss', '{"iss":[1e400,"x"]}'),
  unparsable('1e400 inside aud', '{"aud":[1e400,"x"]}'),
  // Stricter than the cluster: a top-level overflow in an ignored claim is skipped by serde_json's
  // ignore_value (src/de.rs:1102, 1217-1275: digits are skipped, no f64 is built); we refuse it.
  unparsable('1e400 in an unknown claim (stricter than the cluster)', '{"foo":1e400}'),
  unparsable('1e400 as iss (stricter than the cluster)', '{"iss":1e400}'),
  accepted('1e-400 (underflows to 0, as serde_json)', '{"foo":1e-400,"iss":["a",-1e-400]}'),
  accepted('1e308 (finite)', '{"foo":1e308,"access":[{"collection":"a","access":"r","n":1e308}]}'),

  // --- header values containing ", " ---------------------------------------------------------------
  // actix's HeaderMap::get returns the first value whole (src/actix/auth.rs:145 reads
  // `req.headers().get(key)`, src/common/auth/mod.rs:145-146): `key, junk` is one key that is
  // not `key`. fetch's Headers joins repeated values with ", ", so the joined text is the key
  // (repeated key headers are then refused: the safe direction).
  test('headers parity: a value containing ", " is read whole', () => {
    assertEqual(readDatabaseKey(new Headers({ 'api-key': 'a, b' })), 'a, b');
    assertEqual(readDatabaseKey(new Headers({ authorization: 'Bearer a, b' })), 'a, b');
    const repeated = new Headers();
    repeated.append('api-key', 'first');
    repeated.append('api-key', 'second');
    assertEqual(readDatabaseKey(repeated), 'first, second');
  }),
  test('headers parity: `<key>, junk` is not the key', async () => {
    const v = verifier();
    assertDeepEqual(await v.verify(new Headers({ 'api-key': `${SECRET}, junk` })), INVALID);
    assertDeepEqual(
      await v.verify(new Headers({ authorization: `Bearer ${SECRET}, junk` })),
      INVALID,
    );
    const token = await craft('{"access":"r"}');
    assertDeepEqual(await v.verify(new Headers({ 'api-key': `${token}, junk` })), INVALID);
    const repeated = new Headers();
    repeated.append('api-key', SECRET);
    repeated.append('api-key', SECRET);
    assertDeepEqual(await v.verify(repeated), INVALID, 'repeated key headers are refused');
    assertMatch(await v.verify(new Headers({ 'api-key': SECRET })), { ok: true });
  }),
];

export default cases;
