/**
 * HS256 database keys: sign, decode (inspection only) and the cluster-exact verification core.
 *
 * @module
 */
import type { Access } from '../access/model.js';
import { decodeBase64Url, decodeBase64UrlTransient, encodeBase64Url, utf8 } from './base64url.js';
import { type BoundedCache, createBoundedCache } from './bounded-cache.js';
import { type DatabaseKeyClaims, parseClaimsValue } from './claims.js';
import { claimsRefusalText } from './claims-refusal.js';
import {
  HeaderProblem,
  type HeaderRefusal,
  isHeaderRefusal,
  type JoseHeader,
  readJoseHeader,
} from './header.js';
import { headerRefusalText } from './header-refusal.js';
import { type Hs256Provider, signingKey, webCryptoHs256 } from './hmac.js';
import { parseJson } from './json.js';
import {
  EXP_LEEWAY_SECONDS,
  MESSAGE_EXPIRED_SIGNATURE,
  MESSAGE_INVALID_SIGNATURE,
} from './messages.js';

export type { JoseHeader } from './header.js';

/** Result of {@link decodeDatabaseKey}. */
export type DecodedDatabaseKey =
  | {
      readonly ok: true;
      /** The JOSE header (`alg` is always `HS256` here). */
      readonly header: JoseHeader;
      /** The claims as the cluster reads them. */
      readonly claims: DatabaseKeyClaims;
      /** The access the claims grant. */
      readonly access: Access;
      /** `exp` in unix seconds, when set. */
      readonly expiresAt?: number;
      /** True when the cluster would refuse the key as expired (`exp` before now minus 30 s). */
      isExpired(nowMs?: number): boolean;
    }
  | { readonly ok: false; readonly message: string };

/** A token cut at its last two dots (jsonwebtoken splits from the right). */
export interface TokenParts {
  readonly header: JoseHeader;
  /** `header.payload` exactly as sent: the HMAC input. */
  readonly signingInput: string;
  readonly payloadStart: number;
  readonly signatureStart: number;
}

// Tokens from one signer share their header segment, so the few last seen are remembered
// (frozen, string fields only) instead of being decoded and parsed on every request.
let knownHeaders: BoundedCache<string, JoseHeader> | undefined;
const MAX_KNOWN_HEADER_LENGTH = 256;

function rememberHeader(segment: string, header: JoseHeader): void {
  for (const name in header) if (typeof header[name] !== 'string') return;
  knownHeaders ??= createBoundedCache({ maxEntries: 8 });
  knownHeaders.set(segment, Object.freeze(header));
}

/**
 * Splits a token and reads its header; an array (a {@link HeaderRefusal}) is why the cluster
 * would not treat it as a JWT.
 */
export function readTokenParts(token: string): TokenParts | HeaderRefusal {
  const lastDot = token.lastIndexOf('.');
  const payloadDot = token.lastIndexOf('.', lastDot - 1);
  if (lastDot < 1 || payloadDot === -1) return [HeaderProblem.NotAJwt];
  const segment = payloadDot <= MAX_KNOWN_HEADER_LENGTH ? token.slice(0, payloadDot) : undefined;
  let header = segment === undefined ? undefined : knownHeaders?.get(segment);
  if (header === undefined) {
    const headerBytes = decodeBase64UrlTransient(token, 0, payloadDot);
    if (!headerBytes) return [HeaderProblem.NotBase64Url];
    const read = readJoseHeader(parseJson(headerBytes));
    if (isHeaderRefusal(read)) return read;
    if (segment !== undefined) rememberHeader(segment, read);
    header = read;
  }
  return {
    header,
    signingInput: token.slice(0, lastDot),
    payloadStart: payloadDot + 1,
    signatureStart: lastDot + 1,
  };
}

/** True when a token with this `exp` is refused as expired at `nowSeconds`. */
export function isExpiredAt(exp: number | undefined, nowSeconds: number): boolean {
  return exp !== undefined && exp < nowSeconds - EXP_LEEWAY_SECONDS;
}

/**
 * Outcome of checking one token against one secret, mirroring the cluster's JWT parser: the
 * claims, an error with the cluster's status, or (no `status`) "not a JWT this parser reads",
 * which the cluster skips in favour of the next parser's answer.
 */
export type SecretCheck =
  | {
      readonly ok: true;
      readonly claims: DatabaseKeyClaims;
      readonly access: Access;
      readonly expiresAt: number | undefined;
    }
  | { readonly ok: false; readonly status: 401 | 403; readonly message: string }
  | { readonly ok: false; readonly status?: undefined };

const NOT_JWT: SecretCheck = { ok: false };
const INVALID_SIGNATURE: SecretCheck = {
  ok: false,
  status: 403,
  message: MESSAGE_INVALID_SIGNATURE,
};
const EXPIRED: SecretCheck = { ok: false, status: 403, message: MESSAGE_EXPIRED_SIGNATURE };

// Claims of a payload up to this many characters are parsed while the HMAC runs on the
// runtime's crypto thread (Node's threadpool): the parse then costs no latency. Longer payloads
// are parsed only once the signature is known good, so a forged huge token costs no more than
// its HMAC. (The decision never depends on the early parse until the signature is checked.)
const EARLY_PARSE_MAX_PAYLOAD = 4096;

/**
 * A token whose header was read, ready to be checked against each configured secret: the
 * signature bytes, message bytes and claims are decoded once however many secrets are tried.
 */
export type PreparedToken = <Key>(
  hs256: Hs256Provider<Key>,
  key: Key,
  nowSeconds: number,
) => Promise<SecretCheck> | SecretCheck;

/**
 * Prepares `token` (split into `parts`) for checks against one secret each (`key`, imported by
 * `hs256`): alg, HMAC, claims parse, `exp`, claims validation. A check is synchronous when
 * `hs256` answers synchronously.
 */
export function prepareToken(token: string, parts: TokenParts): PreparedToken {
  const { header, signingInput, payloadStart, signatureStart } = parts;
  let signature: Uint8Array | undefined | null = null;
  let message: Uint8Array | undefined;
  let claimsResult: SecretCheck | undefined;
  let pendingExp: number | undefined;

  /** Decodes and parses the claims once; the result is only used after the HMAC passed. */
  const parseClaims = (): SecretCheck => {
    if (claimsResult !== undefined) return claimsResult;
    const bytes = decodeBase64UrlTransient(token, payloadStart, signatureStart - 1);
    const json = bytes ? parseJson(bytes) : undefined;
    const parsed = json === undefined ? undefined : parseClaimsValue(json);
    if (!parsed?.ok) claimsResult = NOT_JWT;
    else if (parsed.validationError !== undefined) {
      // Kept aside: `exp` is checked before the validator runs.
      claimsResult = { ok: false, status: 401, message: parsed.validationError };
      pendingExp = parsed.expiresAt;
    } else {
      claimsResult = {
        ok: true,
        claims: parsed.claims,
        access: parsed.access,
        expiresAt: parsed.expiresAt,
      };
    }
    return claimsResult;
  };

  const afterSignature = (nowSeconds: number): SecretCheck => {
    const result = parseClaims();
    if (!result.ok && result.status === undefined) return result;
    const exp = result.ok ? result.expiresAt : pendingExp;
    if (isExpiredAt(exp, nowSeconds)) return EXPIRED;
    return result;
  };

  return (hs256, key, nowSeconds) => {
    if (header.alg !== 'HS256') return NOT_JWT;
    if (signature === null) signature = decodeBase64Url(token, signatureStart);
    if (signature === undefined) return NOT_JWT;
    message ??= utf8(signingInput);
    // A provider that throws or rejects refuses; only `true` accepts. Any answer but a thenable
    // is a synchronous one: `1` or `'true'` is a refusal (403), not a throw that would skip the
    // next secret and answer 401.
    let verified: unknown;
    try {
      verified = hs256.verify(key, signature, message);
      if (typeof (verified as PromiseLike<unknown> | null)?.then !== 'function')
        verified = verified === true;
    } catch {
      verified = false;
    }
    // Known at once: the claims are parsed only behind a good signature.
    if (typeof verified === 'boolean')
      return verified ? afterSignature(nowSeconds) : INVALID_SIGNATURE;
    if (signatureStart - payloadStart <= EARLY_PARSE_MAX_PAYLOAD) parseClaims();
    return Promise.resolve(verified).then(
      (valid) => (valid === true ? afterSignature(nowSeconds) : INVALID_SIGNATURE),
      () => INVALID_SIGNATURE,
    );
  };
}

/** Options of {@link signDatabaseKey}. */
export interface SignDatabaseKeyOptions {
  /**
   * The HMAC-SHA256 implementation. Default: Web Crypto ({@link webCryptoHs256}); on Node and
   * Bun `nodeHs256` from `@qdrant-kit/core/node` is faster. Same tokens either way.
   */
  readonly hs256?: Hs256Provider;
}

/**
 * Signs claims as an HS256 database key with `secret` (the cluster's `api_key` or
 * `alt_api_key`: its UTF-8 bytes are the HMAC key). Refuses claims the cluster would not accept.
 *
 * @throws TypeError when the claims would be refused by a cluster (e.g. duplicate collections).
 */
export async function signDatabaseKey(
  secret: string,
  claims: DatabaseKeyClaims,
  options: SignDatabaseKeyOptions = {},
): Promise<string> {
  if (typeof secret !== 'string' || secret.length === 0)
    throw new TypeError('The secret must be a non-empty string');
  const payloadJson = JSON.stringify(claims, bigintAsNumber);
  const payloadBytes = utf8(payloadJson);
  const json = parseJson(payloadBytes);
  const parsed = json === undefined ? undefined : parseClaimsValue(json);
  if (!parsed?.ok)
    throw new TypeError(
      `A cluster would refuse these claims: ${parsed ? claimsRefusalText(parsed.refusal) : 'not JSON'}`,
    );
  if (parsed.validationError)
    throw new TypeError(`A cluster would refuse these claims: ${parsed.validationError}`);
  const signingInput = `${HEADER_SEGMENT}.${encodeBase64Url(payloadBytes)}`;
  const hs256 = options.hs256;
  const message = utf8(signingInput);
  const signature = hs256
    ? await hs256.sign(await hs256.importKey(utf8(secret)), message)
    : await webCryptoHs256.sign(await signingKey(secret, utf8(secret)), message);
  return `${signingInput}.${encodeBase64Url(signature)}`;
}

function bigintAsNumber(_key: string, value: unknown): unknown {
  if (typeof value !== 'bigint') return value;
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new TypeError('value_exists integers beyond 2^53 cannot be signed from JavaScript');
  }
  return Number(value);
}

/** `{"alg":"HS256","typ":"JWT"}` in base64url (a test checks it), the header of every key we sign. */
export const HEADER_SEGMENT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9';

/**
 * Decodes a database key WITHOUT checking its signature, for inspection and tooling.
 * Applies the cluster's header and claims rules; never throws.
 */
export function decodeDatabaseKey(token: string): DecodedDatabaseKey {
  if (typeof token !== 'string') return { ok: false, message: 'not a JWT: expected a string' };
  const parts = readTokenParts(token);
  if (isHeaderRefusal(parts)) return { ok: false, message: headerRefusalText(parts) };
  if (parts.header.alg !== 'HS256')
    return { ok: false, message: `unsupported alg ${parts.header.alg}: Qdrant only accepts HS256` };
  if (!decodeBase64Url(token, parts.signatureStart))
    return { ok: false, message: 'signature is not base64url' };
  const bytes = decodeBase64UrlTransient(token, parts.payloadStart, parts.signatureStart - 1);
  if (!bytes) return { ok: false, message: 'payload is not base64url' };
  const json = parseJson(bytes);
  if (json === undefined) return { ok: false, message: 'payload is not valid JSON' };
  const parsed = parseClaimsValue(json);
  if (!parsed.ok)
    return { ok: false, message: `claims refused: ${claimsRefusalText(parsed.refusal)}` };
  if (parsed.validationError) return { ok: false, message: parsed.validationError };
  const expiresAt = parsed.expiresAt;
  return {
    ok: true,
    // A copy: the verifier shares remembered headers between tokens.
    header: { ...parts.header },
    claims: parsed.claims,
    access: parsed.access,
    ...(expiresAt === undefined ? {} : { expiresAt }),
    isExpired: (nowMs = Date.now()) => isExpiredAt(expiresAt, Math.floor(nowMs / 1000)),
  };
}
