/**
 * JWT claims of a Qdrant database key: their types, the exact parser the verifier uses (same
 * decisions as the cluster's serde + validator rules), and builders. The zod schemas that
 * describe them live in `../schemas.ts` (the `@qdrant-kit/core/schemas` entry).
 *
 * @module
 */
import {
  type Access,
  type CollectionAccessMode,
  type CollectionGrant,
  GLOBAL_MANAGE,
  GLOBAL_READ,
  type GlobalAccessMode,
} from '../access/model.js';
import { isFiniteNumber, isI64, isU64, JsonNumber, JsonObject, type JsonValue } from './json.js';

/** The Cloud console's default lifetime of a database key: 90 days, in seconds. */
export const CLOUD_DEFAULT_KEY_TTL_SECONDS = 7_776_000;

/** One `key == value` condition of a `value_exists` claim. */
export interface ValueExistsMatch {
  /** JSON path of a payload field, e.g. `user.id`. */
  readonly key: string;
  /** Value compared for equality; integers beyond 2^53 are `bigint`. */
  readonly value: string | number | bigint | boolean;
}

/**
 * The `value_exists` claim: the token is only valid while `collection` holds a point whose
 * payload matches every condition (checked by a {@link ValueExistsChecker}).
 */
export interface ValueExistsClaim {
  readonly collection: string;
  readonly matches: readonly ValueExistsMatch[];
}

/** The `access` claim: a global mode or per-collection grants. Missing = global manage. */
export type AccessClaim = GlobalAccessMode | readonly CollectionGrant[];

/** Claims of a Qdrant database JWT (all optional, unknown claims are ignored by the cluster). */
export interface DatabaseKeyClaims {
  /** Inference token passed on to inference providers; not an identity. */
  readonly sub?: string;
  /**
   * Expiry, unix seconds (u64). Missing = never expires. `null` is refused by the cluster
   * (jsonwebtoken >= 10.3 answers InvalidClaimFormat), so it is not a valid value.
   */
  readonly exp?: number;
  /** Granted access; missing = global manage. */
  readonly access?: AccessClaim;
  /** Stateful condition checked on every request. */
  readonly value_exists?: ValueExistsClaim;
  /** Free-form subject recorded in the cluster's audit log. */
  readonly subject?: string;
}

/** Result of {@link parseClaimsValue}. */
export type ClaimsParseResult =
  | {
      readonly ok: true;
      readonly claims: DatabaseKeyClaims;
      readonly access: Access;
      /** `exp` as a number (u64 beyond 2^53 is rounded), undefined when absent. */
      readonly expiresAt: number | undefined;
      /** The cluster's validator text when the claims parse but are refused (401). */
      readonly validationError: string | undefined;
    }
  | { readonly ok: false; readonly refusal: ClaimsRefusal };

/**
 * Why the cluster refuses claims. Only `decodeDatabaseKey` and `signDatabaseKey` show it, in
 * words (`claimsRefusalText` in `claims-refusal.ts`): the verifier needs no text, so it bundles
 * none of them.
 */
export enum Refusal {
  /** `claims must be a JSON object` */
  NotAnObject = 0,
  /** `a number overflows f64` */
  NumberOverflow = 1,
  /** ``duplicate field `name` `` */
  DuplicateField = 2,
  /** `invalid length n` */
  InvalidLength = 3,
  /** `trailing elements` */
  TrailingElements = 4,
  /** `expected a struct` */
  NotAStruct = 5,
  /** `unreadable` */
  Unreadable = 6,
  /** `expected a string` */
  NotAString = 7,
  /** `null is refused (InvalidClaimFormat)` */
  NullExpiry = 8,
  /** `expected a non-negative integer (u64)` */
  NotU64 = 9,
  /** `data did not match any variant` */
  NoVariant = 10,
}

/** A refusal: the claim path (`''` for the claims object) and, unless the path says it all, why. */
export interface ClaimsRefusal {
  readonly at: string;
  readonly why?: Refusal;
  /** The field name or length the text names. */
  readonly detail?: string | number;
}

/** What a struct read refuses, before it is placed at a path. */
interface StructRefusal {
  readonly why: Refusal;
  readonly detail?: string | number;
}

const refused = (at: string, why?: Refusal, detail?: string | number): ClaimsParseResult => ({
  ok: false,
  refusal: { at, why, detail },
});

/** A struct's field; `undefined` when absent (a JSON value never is). */
type Field = JsonValue | undefined;

// Reads a struct the way a serde-derived Deserialize does: from an object (unknown keys
// ignored, a known key given twice refused) or from an array (fields by position; the fields
// after `requiredCount` carry #[serde(default)] and may be missing at the end).
function readStruct(
  value: JsonValue,
  fields: readonly string[],
  requiredCount: number,
): Field[] | StructRefusal {
  if (value instanceof JsonObject) {
    const repeated = value.repeated && fields.find((name) => value.repeated?.has(name));
    if (repeated) return { why: Refusal.DuplicateField, detail: repeated };
    return fields.map((name) => value.entries.get(name));
  }
  if (Array.isArray(value)) {
    if (value.length < requiredCount) return { why: Refusal.InvalidLength, detail: value.length };
    if (value.length > fields.length) return { why: Refusal.TrailingElements };
    return fields.map((_, i) => value[i]);
  }
  return { why: Refusal.NotAStruct };
}

// serde unit-variant enums also accept the externally tagged map form `{"m": null}` when the
// value was buffered (untagged enums and everything nested in them).
function readUnitVariant<T extends string>(
  value: JsonValue,
  variants: readonly T[],
): T | undefined {
  if (typeof value === 'string')
    return (variants as readonly string[]).includes(value) ? (value as T) : undefined;
  if (value instanceof JsonObject && value.entries.size === 1 && !value.repeated) {
    const [[name, inner]] = value.entries as unknown as [[string, JsonValue]];
    if (inner === null && (variants as readonly string[]).includes(name)) return name as T;
  }
  return undefined;
}

function optionalString(field: Field): string | undefined | false {
  return field == null ? undefined : typeof field === 'string' && field;
}

// serde_json refuses a number that overflows f64 whenever it builds the value (serde_json
// src/de.rs `f64_from_parts`, NumberOutOfRange). Depth is bounded by the JSON reader (128).
function isValue(value: JsonValue): boolean {
  if (value instanceof JsonNumber) return isFiniteNumber(value);
  if (Array.isArray(value)) {
    for (const v of value) if (!isValue(v)) return false;
  } else if (value instanceof JsonObject) {
    for (const v of value.entries.values()) if (!isValue(v)) return false;
  }
  return true;
}

const GLOBAL_MODES = ['r', 'm'] as const;
// The claims the cluster reads, then those jsonwebtoken reads for its own validation: a repeat
// of any is refused, and a non-empty array or object in `nbf` derails its lenient reader (a hard
// parse error).
const CLAIMS_FIELDS = ['sub', 'exp', 'access', 'value_exists', 'subject', 'nbf', 'iss', 'aud'];
const GRANT_FIELDS = ['collection', 'access', 'payload'];
const VALUE_EXISTS_FIELDS = ['collection', 'matches'];
const MATCH_FIELDS = ['key', 'value'];
const COLLECTION_MODES = ['r', 'rw', 'prw'] as const;
const PAYLOAD_DEPRECATED = "The 'payload' constraint is deprecated and should not be used";
const COLLECTION_NOT_UNIQUE = 'Collection name should be unique';

function parseAccess(
  field: Field,
):
  | { access: Access; claim: AccessClaim | undefined; validationError: string | undefined }
  | ClaimsRefusal {
  if (field === undefined)
    return { access: GLOBAL_MANAGE, claim: undefined, validationError: undefined };
  const mode = readUnitVariant(field, GLOBAL_MODES);
  if (mode !== undefined) {
    return {
      access: mode === 'r' ? GLOBAL_READ : GLOBAL_MANAGE,
      claim: mode,
      validationError: undefined,
    };
  }
  if (!Array.isArray(field)) return { at: 'access', why: Refusal.NoVariant };
  const grants: CollectionGrant[] = [];
  // Keys carry a handful of grants: a scan beats a Set until there are many.
  let seen: Set<string> | undefined;
  let validationError = '';
  for (let i = 0; i < field.length; i++) {
    const parts = readStruct(field[i] as JsonValue, GRANT_FIELDS, 2);
    if (!Array.isArray(parts)) return { at: `access[${i}]`, ...parts };
    const [collection, access, payload] = parts as [Field, Field, Field];
    if (typeof collection !== 'string') return { at: `access[${i}].collection` };
    const grantMode = access === undefined ? undefined : readUnitVariant(access, COLLECTION_MODES);
    if (grantMode === undefined) return { at: `access[${i}].access` };
    if (payload != null && !isValue(payload)) return { at: `access[${i}].payload` };
    let duplicate = false;
    if (seen === undefined && grants.length < 16) {
      for (const grant of grants) if (grant.collection === collection) duplicate = true;
    } else {
      seen ??= new Set(grants.map((grant) => grant.collection));
      duplicate = seen.has(collection);
      seen.add(collection);
    }
    grants.push(Object.freeze({ collection, access: grantMode as CollectionAccessMode }));
    // The validator reports per entry, fields of one entry in map order; we print
    // `collection` before `payload` (the cluster's order between the two is unspecified).
    if (duplicate) validationError += `access[${i}].collection: ${COLLECTION_NOT_UNIQUE}`;
    if (payload != null) validationError += `access[${i}].payload: ${PAYLOAD_DEPRECATED}`;
  }
  const frozen = Object.freeze(grants);
  return {
    access: Object.freeze({ kind: 'collections', collections: frozen }),
    claim: frozen,
    validationError: validationError === '' ? undefined : validationError,
  };
}

function parseValueExists(field: Field): ValueExistsClaim | undefined | ClaimsRefusal {
  if (field == null) return undefined;
  const parts = readStruct(field, VALUE_EXISTS_FIELDS, 2);
  if (!Array.isArray(parts)) return { at: 'value_exists', ...parts };
  const [collection, matches] = parts as [Field, Field];
  if (typeof collection !== 'string') return { at: 'value_exists.collection' };
  if (!Array.isArray(matches)) return { at: 'value_exists.matches' };
  const out: ValueExistsMatch[] = [];
  for (const entry of matches) {
    const pair = readStruct(entry, MATCH_FIELDS, 2);
    if (!Array.isArray(pair)) return { at: 'value_exists.matches', ...pair };
    const [key, value] = pair as [Field, Field];
    if (typeof key !== 'string' || key.length === 0) return { at: 'value_exists.matches.key' };
    let parsed: ValueExistsMatch['value'];
    if (typeof value === 'string' || typeof value === 'boolean') parsed = value;
    else if (value instanceof JsonNumber && isI64(value)) {
      const n = Number(value.raw);
      parsed = Number.isSafeInteger(n) ? n : BigInt(value.raw);
    } else return { at: 'value_exists.matches.value' };
    out.push(Object.freeze({ key, value: parsed }));
  }
  return Object.freeze({ collection, matches: Object.freeze(out) });
}

/**
 * Parses decoded JSON claims with exactly the cluster's acceptance rules.
 * Never throws. `ok: false` means the cluster answers 401 `Invalid API key or JWT`.
 */
export function parseClaimsValue(value: JsonValue): ClaimsParseResult {
  // An array is a valid serde struct, but jsonwebtoken then reads `sub`'s slot as `exp` and
  // refuses it, so array claims never pass.
  if (!(value instanceof JsonObject)) return refused('', Refusal.NotAnObject);
  // `access` is an untagged enum (lib/storage/src/rbac/mod.rs:29-31): serde buffers it whole, so
  // an overflowing number anywhere in it is refused; inside `iss`/`aud` one leaves serde_json
  // mid-list and the claims no longer parse. A top-level one in an ignored claim is skipped by
  // serde_json's ignore_value; refusing it too is stricter than the cluster (the safe direction).
  if (!isValue(value)) return refused('', Refusal.NumberOverflow);
  const parts = readStruct(value, CLAIMS_FIELDS, 0);
  if (!Array.isArray(parts)) return refused('', parts.why, parts.detail);
  const [subField, expField, accessField, valueExistsField, subjectField, nbf] = parts;
  if (Array.isArray(nbf) ? nbf.length > 0 : nbf instanceof JsonObject && nbf.entries.size > 0) {
    return refused('nbf', Refusal.Unreadable);
  }
  const sub = optionalString(subField);
  if (sub === false) return refused('sub', Refusal.NotAString);
  const subject = optionalString(subjectField);
  if (subject === false) return refused('subject', Refusal.NotAString);
  let exp: number | undefined;
  // jsonwebtoken 10.4 reads `exp` again through `numeric_type` (src/validation.rs:200, 362-398),
  // which has no visit_unit: `null` becomes InvalidClaimFormat("exp") (src/validation.rs:287-288).
  if (expField === null) return refused('exp', Refusal.NullExpiry);
  if (expField !== undefined) {
    if (!(expField instanceof JsonNumber) || !isU64(expField)) {
      return refused('exp', Refusal.NotU64);
    }
    exp = Number(expField.raw);
  }
  const access = parseAccess(accessField);
  if ('at' in access) return { ok: false, refusal: access };
  const valueExists = parseValueExists(valueExistsField);
  if (valueExists !== undefined && 'at' in valueExists) return { ok: false, refusal: valueExists };
  const claims: {
    -readonly [K in keyof DatabaseKeyClaims]: DatabaseKeyClaims[K];
  } = {};
  if (sub !== undefined) claims.sub = sub;
  if (exp !== undefined) claims.exp = exp;
  if (access.claim !== undefined) claims.access = access.claim;
  if (valueExists !== undefined) claims.value_exists = valueExists;
  if (subject !== undefined) claims.subject = subject;
  return {
    ok: true,
    claims: Object.freeze(claims),
    access: access.access,
    expiresAt: exp,
    validationError: access.validationError,
  };
}

/** Converts an {@link Access} to the `access` claim that grants it. */
export function accessToClaim(access: Access): AccessClaim {
  if (access.kind === 'global') return access.mode;
  return access.collections.map((g) => ({ collection: g.collection, access: g.access }));
}

/** Converts an `access` claim (missing = global manage) to an {@link Access}. */
export function claimToAccess(claim: AccessClaim | undefined): Access {
  if (claim === undefined || claim === 'm') return GLOBAL_MANAGE;
  if (claim === 'r') return GLOBAL_READ;
  return {
    kind: 'collections',
    collections: claim.map((g) => ({ collection: g.collection, access: g.access })),
  };
}

/** A lifetime: seconds, or a number with a unit `s`, `m`, `h`, `d`, `w` (e.g. `'90d'`). */
export type Duration = number | `${number}${'s' | 'm' | 'h' | 'd' | 'w'}`;

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** Converts a {@link Duration} to whole seconds; throws RangeError on a malformed value. */
export function durationToSeconds(duration: Duration): number {
  let seconds: number;
  if (typeof duration === 'number') seconds = duration;
  else {
    const match = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(duration);
    if (!match)
      throw new RangeError(
        `Invalid duration ${JSON.stringify(duration)}; use e.g. 3600, '12h' or '90d'`,
      );
    seconds = Number(match[1]) * (UNIT_SECONDS[match[2] as string] as number);
  }
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new RangeError('A duration must be positive');
  return Math.floor(seconds);
}

/** What {@link claimsFor} grants. */
export interface ClaimsForOptions {
  /**
   * `'r'` / `'m'` for global read / manage, a record of collection name to `r` | `rw` | `prw`,
   * or an {@link Access}. Omitted = global manage.
   */
  readonly access?: Access | GlobalAccessMode | Readonly<Record<string, CollectionAccessMode>>;
  /** Lifetime from now: seconds or `'90d'`, `'12h'`... (see {@link CLOUD_DEFAULT_KEY_TTL_SECONDS}). */
  readonly expiresIn?: Duration;
  /** Absolute expiry: a Date, or unix seconds. */
  readonly expiresAt?: Date | number;
  /** Audit-log subject (`subject` claim). */
  readonly subject?: string;
  /** Inference token (`sub` claim). */
  readonly sub?: string;
  /** Stateful `value_exists` condition. */
  readonly valueExists?: ValueExistsClaim;
  /** Clock used for `expiresIn`, in milliseconds (default `Date.now`). */
  readonly now?: () => number;
}

/**
 * Builds claims for a database key, refusing typos at compile time and bad values at run time.
 *
 * @example
 * ```ts
 * claimsFor({ access: { docs: 'rw', logs: 'r' }, expiresIn: '90d' });
 * ```
 */
export function claimsFor(options: ClaimsForOptions = {}): DatabaseKeyClaims {
  const claims: { -readonly [K in keyof DatabaseKeyClaims]: DatabaseKeyClaims[K] } = {};
  if (options.sub !== undefined) claims.sub = options.sub;
  if (options.expiresIn !== undefined && options.expiresAt !== undefined) {
    throw new RangeError('Give expiresIn or expiresAt, not both');
  }
  if (options.expiresIn !== undefined) {
    const now = (options.now ?? Date.now)();
    claims.exp = Math.floor(now / 1000) + durationToSeconds(options.expiresIn);
  } else if (options.expiresAt !== undefined) {
    const at = options.expiresAt;
    const seconds = at instanceof Date ? Math.floor(at.getTime() / 1000) : at;
    if (!Number.isSafeInteger(seconds) || seconds < 0) {
      throw new RangeError('expiresAt must be a valid Date or non-negative unix seconds');
    }
    claims.exp = seconds;
  }
  const access = options.access;
  if (access !== undefined) {
    if (access === 'r' || access === 'm') claims.access = access;
    else if (typeof access === 'string')
      throw new RangeError(`Unknown global access ${JSON.stringify(access)}`);
    else if ('kind' in access && (access.kind === 'global' || access.kind === 'collections')) {
      claims.access = accessToClaim(access as Access);
    } else {
      claims.access = Object.entries(access as Record<string, string>).map(([collection, mode]) => {
        if (mode !== 'r' && mode !== 'rw' && mode !== 'prw') {
          throw new RangeError(
            `Unknown access ${JSON.stringify(mode)} for collection ${collection}`,
          );
        }
        return { collection, access: mode };
      });
    }
  }
  if (options.valueExists !== undefined) claims.value_exists = options.valueExists;
  if (options.subject !== undefined) claims.subject = options.subject;
  return claims;
}
