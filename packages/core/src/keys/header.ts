// The JOSE header as jsonwebtoken v10 reads it: `alg` required and one of its known algorithms,
// known fields typed, unknown fields flattened into a string map (so they must be strings).
import { JsonObject, type JsonValue } from './json.js';

const KNOWN_ALGORITHMS = new Set([
  'HS256',
  'HS384',
  'HS512',
  'ES256',
  'ES384',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'EdDSA',
]);
const OPTIONAL_STRING_FIELDS = new Set([
  'typ',
  'cty',
  'jku',
  'kid',
  'x5u',
  'x5t',
  'x5t#S256',
  'enc',
  'zip',
  'url',
  'nonce',
]);
const OPTIONAL_STRING_LIST_FIELDS = new Set(['x5c', 'crit']);

/** A decoded JOSE header: `alg` plus whatever else was sent. */
export interface JoseHeader {
  readonly alg: string;
  readonly typ?: string;
  readonly kid?: string;
  readonly [field: string]: unknown;
}

/**
 * Why a token is no JWT the cluster reads (it then answers 401). Put in words only by
 * `decodeDatabaseKey` (`headerRefusalText` in `header-refusal.ts`): the verifier needs no text,
 * so it bundles none of them.
 */
export enum HeaderProblem {
  /** `not a JWT: expected header.payload.signature` */
  NotAJwt = 0,
  /** `header is not base64url` */
  NotBase64Url = 1,
  /** `header is not a JSON object` */
  NotAnObject = 2,
  /** `unknown alg <the value as JSON>` */
  UnknownAlg = 3,
  /** `header <field> must be a string` */
  NotAString = 4,
  /** `header <field> must be a list of strings` */
  NotAStringList = 5,
  /** `header jwk is not supported` */
  Jwk = 6,
  /** `duplicate header field <field>` */
  DuplicateField = 7,
  /** `header has no alg` */
  NoAlg = 8,
}

/** A refused header: the problem and what its text names (a field name, or the `alg` value). */
export type HeaderRefusal = readonly [why: HeaderProblem, detail?: unknown];

/** Whether a header read (or token split) was refused: a refusal is an array, a header never is. */
export function isHeaderRefusal(read: object): read is HeaderRefusal {
  return Array.isArray(read);
}

/** Reads a header; an array is the refusal (a header is never one). */
export function readJoseHeader(value: JsonValue | undefined): JoseHeader | HeaderRefusal {
  if (!(value instanceof JsonObject)) return [HeaderProblem.NotAnObject];
  const out: Record<string, unknown> = {};
  for (const [name, field] of value.entries) {
    if (name === 'alg') {
      if (typeof field !== 'string' || !KNOWN_ALGORITHMS.has(field))
        return [HeaderProblem.UnknownAlg, field];
      out.alg = field;
    } else if (OPTIONAL_STRING_FIELDS.has(name)) {
      if (field !== null && typeof field !== 'string') return [HeaderProblem.NotAString, name];
      if (field !== null) out[name] = field;
    } else if (OPTIONAL_STRING_LIST_FIELDS.has(name)) {
      if (field === null) continue;
      if (!Array.isArray(field) || !field.every((v) => typeof v === 'string')) {
        return [HeaderProblem.NotAStringList, name];
      }
      out[name] = field;
    } else if (name === 'jwk') {
      // An embedded JWK is never part of a Qdrant key; refusing it is stricter than the cluster.
      if (field !== null) return [HeaderProblem.Jwk];
    } else {
      if (typeof field !== 'string') return [HeaderProblem.NotAString, name];
      out[name] = field;
    }
  }
  if (value.repeated) {
    for (const name of value.repeated) {
      if (
        name === 'alg' ||
        OPTIONAL_STRING_FIELDS.has(name) ||
        OPTIONAL_STRING_LIST_FIELDS.has(name) ||
        name === 'jwk'
      ) {
        return [HeaderProblem.DuplicateField, name];
      }
    }
  }
  if (out.alg === undefined) return [HeaderProblem.NoAlg];
  return out as unknown as JoseHeader;
}
