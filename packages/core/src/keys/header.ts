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

/** Reads a header; a string is the reason it is refused (the cluster then answers 401). */
export function readJoseHeader(value: JsonValue | undefined): JoseHeader | string {
  if (!(value instanceof JsonObject)) return 'header is not a JSON object';
  const out: Record<string, unknown> = {};
  for (const [name, field] of value.entries) {
    if (name === 'alg') {
      if (typeof field !== 'string' || !KNOWN_ALGORITHMS.has(field))
        return `unknown alg ${JSON.stringify(field)}`;
      out.alg = field;
    } else if (OPTIONAL_STRING_FIELDS.has(name)) {
      if (field !== null && typeof field !== 'string') return `header ${name} must be a string`;
      if (field !== null) out[name] = field;
    } else if (OPTIONAL_STRING_LIST_FIELDS.has(name)) {
      if (field === null) continue;
      if (!Array.isArray(field) || !field.every((v) => typeof v === 'string')) {
        return `header ${name} must be a list of strings`;
      }
      out[name] = field;
    } else if (name === 'jwk') {
      // An embedded JWK is never part of a Qdrant key; refusing it is stricter than the cluster.
      if (field !== null) return 'header jwk is not supported';
    } else {
      if (typeof field !== 'string') return `header ${name} must be a string`;
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
        return `duplicate header field ${name}`;
      }
    }
  }
  if (out.alg === undefined) return 'header has no alg';
  return out as unknown as JoseHeader;
}
