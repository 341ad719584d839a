import {
  type Access,
  type CollectionAccessMode,
  claimsFor,
  createKeyVerifier,
  type DatabaseKeyClaims,
  decodeDatabaseKey,
  signDatabaseKey,
} from '@qdrant-kit/core';
import { inspectIdentityToken } from './identity-token.ts';
import { decide, type Operation, operations, type Verdict } from './operations.ts';

/**
 * The workbench's logic, kept out of the Vue component so it can be type-checked and unit
 * tested. Everything here runs in the browser on Web Crypto; nothing touches the network.
 */

/**
 * Collection names used to fill the path of an operation when a column stands for no named
 * collection (a global key's "any collection", or a key that lists none). They are only ever
 * used to build a request path: what a column shows comes from {@link InspectedColumn.named}.
 */
const PLACEHOLDER_ANY = 'any-collection';
const PLACEHOLDER_NONE = 'some-collection';

/** Collection columns the operations table shows at once; more are paged. */
export const COLUMNS_PER_PAGE = 8;
/** Grants the access table lists before a "show all". */
export const GRANTS_SHOWN = 50;

// A global `r` reads every collection; a collection's `r` reads that collection only.
const globalModeMeaning: Record<string, string> = {
  m: 'manage everything',
  r: 'read everything',
};
const collectionModeMeaning: Record<string, string> = {
  r: 'read',
  rw: 'read and write',
  prw: 'read and write points only',
};

/** One line of the access summary. */
export interface GrantLine {
  /** The collection named in the grant; `undefined` for a global grant (every collection). */
  readonly collection: string | undefined;
  readonly mode: string;
  readonly meaning: string;
}

/** An operation and its verdict on each inspected collection. */
export interface OperationLine {
  readonly operation: Operation;
  readonly verdicts: readonly Verdict[];
}

/** A column of the per-collection operations table. */
export interface InspectedColumn {
  /** The collection the column's requests name. */
  readonly collection: string;
  /** False when the column stands for "any collection" (global key) or "a collection" (none listed). */
  readonly named: boolean;
  /** What the header says when the column is not a named collection. */
  readonly description: string | undefined;
}

/** What the workbench shows for a decoded key. */
export interface KeyInspection {
  readonly ok: true;
  readonly header: Readonly<Record<string, unknown>>;
  readonly claims: DatabaseKeyClaims;
  readonly access: Access;
  readonly grants: readonly GrantLine[];
  /** Unix seconds, when the key has `exp`. */
  readonly expiresAt: number | undefined;
  readonly expired: boolean;
  /** Every column the per-collection table can show (one per granted collection). */
  readonly columns: readonly InspectedColumn[];
  /** Operations without a collection (cluster, service, lists), decided once. */
  readonly otherOperations: readonly OperationLine[];
  /**
   * Set for an identity-provider token inspected with an access mapping: who it names. Its
   * `claims` are then the IdP's, not a database key's (no `subject`, no `value_exists`).
   */
  readonly identity?: {
    readonly issuer: string | undefined;
    readonly subject: string | undefined;
    readonly audience: readonly string[];
  };
}

/** Why a pasted value could not be inspected. */
export interface InspectionFailure {
  readonly ok: false;
  readonly message: string;
  /** True when the value is not a JWT at all (likely a plain admin or read-only key). */
  readonly notAJwt: boolean;
  /** True when the value is an identity-provider token and the mapping is what is wrong. */
  readonly mappingError?: boolean;
}

function grantLines(access: Access): GrantLine[] {
  if (access.kind === 'global') {
    return [
      {
        collection: undefined,
        mode: access.mode,
        meaning: globalModeMeaning[access.mode] ?? access.mode,
      },
    ];
  }
  return access.collections.map((grant) => ({
    collection: grant.collection,
    mode: grant.access,
    meaning: collectionModeMeaning[grant.access] ?? grant.access,
  }));
}

function columnsFor(access: Access): InspectedColumn[] {
  if (access.kind === 'global') {
    return [{ collection: PLACEHOLDER_ANY, named: false, description: 'any collection' }];
  }
  // A key scoped to no collection still gets one column, so the table shows what it cannot do.
  if (access.collections.length === 0) {
    return [{ collection: PLACEHOLDER_NONE, named: false, description: 'a collection' }];
  }
  return access.collections.map((grant) => ({
    collection: grant.collection,
    named: true,
    description: undefined,
  }));
}

/**
 * Decides every operation on a collection for the given columns. The workbench calls it for
 * the page of columns on screen only, so a key with thousands of collections stays fast.
 */
export function decideColumns(
  access: Access,
  columns: readonly InspectedColumn[],
): OperationLine[] {
  return operations
    .filter((operation) => operation.onCollection)
    .map((operation) => ({
      operation,
      verdicts: columns.map((column) => decide(access, operation, column.collection)),
    }));
}

function failureMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function inspectionOf(access: Access) {
  const otherOperations: OperationLine[] = operations
    .filter((operation) => !operation.onCollection)
    .map((operation) => ({
      operation,
      verdicts: [decide(access, operation, PLACEHOLDER_ANY)],
    }));
  return {
    ok: true as const,
    access,
    grants: grantLines(access),
    columns: columnsFor(access),
    otherOperations,
  };
}

/**
 * Like {@link inspectKey}, and a JWT signed with an identity provider's algorithm (RS256,
 * ES256, ...) is inspected as the gateway's identity-provider feature would map it with
 * `mapping` (the JSON of `QDRANT_GATEWAY_OIDC_ACCESS`). Nothing is verified. Never throws.
 */
export function inspectAnyKey(
  pasted: string,
  mapping: string,
  nowMs: number = Date.now(),
): KeyInspection | InspectionFailure {
  const asDatabaseKey = inspectKey(pasted, nowMs);
  if (asDatabaseKey.ok || asDatabaseKey.notAJwt || pasted.trim() === '') return asDatabaseKey;
  try {
    const identity = inspectIdentityToken(pasted, mapping, nowMs);
    if (!identity.ok) {
      return identity.field === 'mapping'
        ? { ok: false, message: identity.message, notAJwt: false, mappingError: true }
        : asDatabaseKey;
    }
    if (!identity.algorithmAccepted) return asDatabaseKey;
    return {
      ...inspectionOf(identity.access),
      header: identity.header,
      // Shown as JSON only: an IdP's claims carry no database-key meaning.
      claims: identity.claims as DatabaseKeyClaims,
      expiresAt: identity.expiresAt,
      expired: identity.expired,
      identity: { issuer: identity.issuer, subject: identity.subject, audience: identity.audience },
    };
  } catch (error) {
    return {
      ok: false,
      message: `This token cannot be shown: ${failureMessage(error)}`,
      notAJwt: false,
    };
  }
}

/**
 * Decodes a pasted key (no signature check) and decides the operations without a collection.
 * Never throws: whatever a key holds, the answer is an inspection or a failure to show.
 */
export function inspectKey(
  pasted: string,
  nowMs: number = Date.now(),
): KeyInspection | InspectionFailure {
  const token = pasted.trim();
  if (token === '') return { ok: false, message: 'Paste a key to inspect it.', notAJwt: false };
  try {
    const decoded = decodeDatabaseKey(token);
    if (!decoded.ok) {
      return { ok: false, message: decoded.message, notAJwt: token.split('.').length !== 3 };
    }
    return {
      ...inspectionOf(decoded.access),
      header: decoded.header as Readonly<Record<string, unknown>>,
      claims: decoded.claims,
      expiresAt: decoded.expiresAt,
      expired: decoded.isExpired(nowMs),
    };
  } catch (error) {
    return {
      ok: false,
      message: `This key cannot be shown: ${failureMessage(error)}`,
      notAJwt: false,
    };
  }
}

/**
 * A Unix time as `2026-12-01 20:00:00 UTC`. Times past what a `Date` holds (year 275760; a
 * cluster accepts any u64 `exp`) are described instead of throwing.
 */
export function formatUnixTime(seconds: number): string {
  const date = new Date(seconds * 1000);
  if (!Number.isFinite(seconds) || Number.isNaN(date.getTime())) {
    return `${seconds.toLocaleString('en-GB')} s after 1970, later than any date a browser can show`;
  }
  const year = date.getUTCFullYear();
  const iso = date
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
  // Years past 9999 are written +010000-… by toISOString; say them plainly.
  return year > 9999 ? `year ${year.toLocaleString('en-GB')} (${iso.replace(/^\+0*/, '')})` : iso;
}

/**
 * Characters a name can hold that a reader cannot see or that reorder what is around them:
 * controls, format characters (bidirectional overrides, zero-width spaces), line and paragraph
 * separators, and every space but the plain one.
 */
const hiddenCharacter = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Zs}]/u;
const hiddenCharacters = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Zs}]/gu;

const hiddenNames: Record<number, string> = {
  8203: 'zero width space',
  8204: 'zero width non-joiner',
  8205: 'zero width joiner',
  8206: 'left-to-right mark',
  8207: 'right-to-left mark',
  8234: 'left-to-right embedding',
  8235: 'right-to-left embedding',
  8236: 'pop directional formatting',
  8237: 'left-to-right override',
  8238: 'right-to-left override',
  8294: 'left-to-right isolate',
  8295: 'right-to-left isolate',
  8296: 'first strong isolate',
  8297: 'pop directional isolate',
  1564: 'arabic letter mark',
  65279: 'zero width no-break space',
  160: 'no-break space',
  173: 'soft hyphen',
};

/** `U+202E`: how a hidden character is written out. */
export function codePointLabel(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A piece of a name: plain text, or one hidden character written out (`U+202E`). */
export type VisiblePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'hidden'; readonly label: string; readonly name: string };

/** Splits text so every hidden character can be shown as its code point, never applied. */
export function visibleParts(text: string): VisiblePart[] {
  const parts: VisiblePart[] = [];
  let plain = '';
  for (const character of text) {
    if (character !== ' ' && hiddenCharacter.test(character)) {
      if (plain !== '') parts.push({ kind: 'text', text: plain });
      plain = '';
      const codePoint = character.codePointAt(0) ?? 0;
      parts.push({
        kind: 'hidden',
        label: codePointLabel(codePoint),
        name: hiddenNames[codePoint] ?? 'invisible or control character',
      });
    } else {
      plain += character;
    }
  }
  if (plain !== '') parts.push({ kind: 'text', text: plain });
  return parts;
}

/** Text with every hidden character replaced by `[U+202E]`, for attributes and messages. */
export function visibleText(text: string): string {
  return text.replace(hiddenCharacters, (character) =>
    character === ' ' ? ' ' : `[${codePointLabel(character.codePointAt(0) ?? 0)}]`,
  );
}

function jsonString(text: string): string {
  // JSON.stringify escapes C0 controls; hidden characters beyond them are escaped too, so a
  // right-to-left override in a name is shown as \u202e, not obeyed.
  const json = JSON.stringify(text);
  if (!hiddenCharacter.test(json.replaceAll(' ', ''))) return json;
  return json.replace(hiddenCharacters, (character) =>
    character === ' ' ? ' ' : `\\u${(character.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Pretty JSON of decoded claims. Unlike `JSON.stringify` it prints a `bigint` (an integer past
 * 2^53 in `value_exists`) as the integer it is, and it escapes hidden characters in strings.
 */
export function prettyJson(value: unknown, indent = ''): string {
  const inner = `${indent}  `;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return jsonString(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => inner + prettyJson(item, inner)).join(',\n')}\n${indent}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(
      ([, item]) => item !== undefined && typeof item !== 'function',
    );
    if (entries.length === 0) return '{}';
    return `{\n${entries
      .map(([key, item]) => `${inner}${jsonString(key)}: ${prettyJson(item, inner)}`)
      .join(',\n')}\n${indent}}`;
  }
  return 'null';
}

/** Human wording for a distance in time: `in 11 h 59 min`, `3 days ago`. */
export function relativeTime(targetSeconds: number, nowMs: number = Date.now()): string {
  const deltaSeconds = Math.round(targetSeconds - nowMs / 1000);
  const magnitude = Math.abs(deltaSeconds);
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'h'],
    [60, 'min'],
    [1, 's'],
  ];
  const parts: string[] = [];
  let rest = magnitude;
  for (const [size, name] of units) {
    const count = Math.floor(rest / size);
    if (count > 0 && parts.length < 2) {
      parts.push(name === 'day' ? `${count} day${count === 1 ? '' : 's'}` : `${count} ${name}`);
      rest -= count * size;
    }
  }
  const text = parts.length > 0 ? parts.join(' ') : '0 s';
  return deltaSeconds >= 0 ? `in ${text}` : `${text} ago`;
}

/** The access the minting form asks for. */
export type MintScope = 'collections' | 'r' | 'm';

/** One row of the minting form's collection list. */
export interface MintGrant {
  collection: string;
  access: CollectionAccessMode;
}

/** Expiry choices of the minting form; `never` leaves `exp` out. */
export const EXPIRY_CHOICES = [
  { value: 'never', label: 'Never' },
  { value: '15m', label: '15 minutes' },
  { value: '1h', label: '1 hour' },
  { value: '12h', label: '12 hours' },
  { value: '24h', label: '24 hours' },
  { value: '90d', label: '90 days (Qdrant Cloud default)' },
] as const;

/** A value of {@link EXPIRY_CHOICES}. */
export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number]['value'];

/** Everything the minting form holds. */
export interface MintRequest {
  readonly secret: string;
  readonly scope: MintScope;
  readonly grants: readonly MintGrant[];
  readonly expiry: ExpiryChoice;
  readonly subject: string;
}

/** A minted key, or why it could not be minted. */
export type MintResult =
  | { readonly ok: true; readonly token: string; readonly claims: DatabaseKeyClaims }
  | { readonly ok: false; readonly message: string };

function grantsProblem(grants: readonly MintGrant[]): string | undefined {
  const names = grants.map((grant) => grant.collection.trim());
  if (names.length === 0) return 'Add at least one collection, or choose a global access.';
  if (names.some((name) => name === '')) return 'Every collection needs a name.';
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  // The cluster refuses such a token with exactly this text.
  if (duplicate !== undefined)
    return `Collection name should be unique (${duplicate} is listed twice).`;
  return undefined;
}

/** Signs a key from the form with HS256 on Web Crypto. */
export async function mintKey(request: MintRequest): Promise<MintResult> {
  if (request.secret === '') return { ok: false, message: 'Enter the secret to sign with.' };
  let access: Record<string, CollectionAccessMode> | 'r' | 'm';
  if (request.scope === 'collections') {
    const problem = grantsProblem(request.grants);
    if (problem !== undefined) return { ok: false, message: problem };
    access = Object.fromEntries(
      request.grants.map((grant) => [grant.collection.trim(), grant.access]),
    );
  } else {
    access = request.scope;
  }
  try {
    const subject = request.subject.trim();
    const claims = claimsFor({
      access,
      ...(request.expiry === 'never' ? {} : { expiresIn: request.expiry }),
      ...(subject === '' ? {} : { subject }),
    });
    const token = await signDatabaseKey(request.secret, claims);
    return { ok: true, token, claims };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** Checks a key's signature against a secret as a cluster with `jwt_rbac` would. */
export async function checkSignature(
  token: string,
  secret: string,
): Promise<{ readonly ok: boolean; readonly message: string }> {
  if (secret === '') return { ok: false, message: 'Enter the secret to check against.' };
  const result = await createKeyVerifier({ apiKey: secret, jwtRbac: true, cache: false }).verifyKey(
    token.trim(),
  );
  if (!result.ok) return { ok: false, message: `${result.status} ${result.message}` };
  if (result.keyKind !== 'jwt') {
    return { ok: true, message: 'This is the secret itself: an admin key, global manage.' };
  }
  return { ok: true, message: 'Valid signature: a cluster with this api_key accepts this key.' };
}
