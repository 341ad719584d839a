// Signing keys made with jose for the generated edge cases, and a token factory.
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, SignJWT } from 'jose';

export type TestAlg = 'RS256' | 'PS256' | 'ES256' | 'ES384' | 'EdDSA';

export interface TestKey {
  readonly kid: string;
  readonly alg: TestAlg;
  readonly privateKey: CryptoKey;
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

let counter = 0;

export async function makeKey(
  alg: TestAlg,
  options: { publishAlg?: boolean; kid?: string } = {},
): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = options.kid ?? `${alg.toLowerCase()}-${++counter}`;
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, use: 'sig' };
  if (options.publishAlg !== false) publicJwk.alg = alg;
  return { kid, alg, privateKey, privateJwk: await exportJWK(privateKey), publicJwk };
}

export interface SignOptions {
  readonly header?: Record<string, unknown>;
  /** Omit the kid header. */
  readonly noKid?: boolean;
  /** Sign with this algorithm instead of the key's own (same key material). */
  readonly alg?: string;
}

export async function sign(
  key: TestKey,
  claims: JWTPayload,
  options: SignOptions = {},
): Promise<string> {
  // Another algorithm on the same key material (RS256 vs PS256): re-import the private key for it.
  const signingKey =
    options.alg !== undefined && options.alg !== key.alg
      ? ((await importJWK({ ...key.privateJwk, alg: undefined }, options.alg)) as CryptoKey)
      : key.privateKey;
  const header = {
    alg: options.alg ?? key.alg,
    typ: 'at+jwt',
    ...(options.noKid ? {} : { kid: key.kid }),
    ...options.header,
  };
  return new SignJWT(claims).setProtectedHeader(header as never).sign(signingKey);
}

/** An ES256 token with any header at all (jose refuses to sign some, e.g. unknown `crit`). */
export async function signRaw(
  key: TestKey,
  header: Record<string, unknown>,
  claims: JWTPayload,
): Promise<string> {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = new Uint8Array(
    await crypto.subtle.sign(
      { name: 'ECDSA', hash: 'SHA-256' },
      key.privateKey,
      new TextEncoder().encode(input),
    ),
  );
  return `${input}.${b64url(signature)}`;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export function standardClaims(issuer: string, extra: JWTPayload = {}): JWTPayload {
  const iat = nowSeconds();
  return { iss: issuer, aud: 'qdrant', sub: 'user-1', iat, exp: iat + 300, ...extra };
}

function b64url(bytes: Uint8Array | string): string {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  let binary = '';
  for (const byte of data) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A token signed with HMAC-SHA256 whose secret is `secret` (bytes or text), with any header. */
export async function signHmac(
  header: Record<string, unknown>,
  claims: JWTPayload,
  secret: Uint8Array | string,
): Promise<string> {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const raw = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  const key = await crypto.subtle.importKey(
    'raw',
    raw as Uint8Array<ArrayBuffer>,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(
    await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(input)),
  );
  return `${input}.${b64url(mac)}`;
}

/** An unsigned (`alg: none`) token. */
export function unsigned(claims: JWTPayload, header: Record<string, unknown> = {}): string {
  return `${b64url(JSON.stringify({ alg: 'none', ...header }))}.${b64url(JSON.stringify(claims))}.`;
}

export { b64url };
