import {
  type Access,
  type CollectionAccessMode,
  claimsFor,
  createKeyVerifier,
  type DatabaseKeyClaims,
  decodeDatabaseKey,
  signDatabaseKey,
} from '@qdrant-kit/core';
import { decide, type Operation, operations, type Verdict } from './operations.ts';

/**
 * The workbench's logic, kept out of the Vue component so it can be type-checked and unit
 * tested. Everything here runs in the browser on Web Crypto; nothing touches the network.
 */

/** Collection name used for the columns of a global key, which applies to every collection. */
export const ANY_COLLECTION = 'any-collection';

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
  /** A collection name, or `*` for a global grant. */
  readonly collection: string;
  readonly mode: string;
  readonly meaning: string;
}

/** An operation and its verdict on each inspected collection. */
export interface OperationLine {
  readonly operation: Operation;
  readonly verdicts: readonly Verdict[];
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
  /** The collections the per-collection table has columns for. */
  readonly collections: readonly string[];
  /** Operations on a collection, decided for each of `collections`. */
  readonly collectionOperations: readonly OperationLine[];
  /** Operations without a collection (cluster, service, lists), decided once. */
  readonly otherOperations: readonly OperationLine[];
}

/** Why a pasted value could not be inspected. */
export interface InspectionFailure {
  readonly ok: false;
  readonly message: string;
  /** True when the value is not a JWT at all (likely a plain admin or read-only key). */
  readonly notAJwt: boolean;
}

function grantLines(access: Access): GrantLine[] {
  if (access.kind === 'global') {
    return [
      { collection: '*', mode: access.mode, meaning: globalModeMeaning[access.mode] ?? access.mode },
    ];
  }
  return access.collections.map((grant) => ({
    collection: grant.collection,
    mode: grant.access,
    meaning: collectionModeMeaning[grant.access] ?? grant.access,
  }));
}

/** Decodes a pasted key (no signature check) and decides every operation for it. */
export function inspectKey(
  pasted: string,
  nowMs: number = Date.now(),
): KeyInspection | InspectionFailure {
  const token = pasted.trim();
  if (token === '') return { ok: false, message: 'Paste a key to inspect it.', notAJwt: false };
  const decoded = decodeDatabaseKey(token);
  if (!decoded.ok) {
    return { ok: false, message: decoded.message, notAJwt: token.split('.').length !== 3 };
  }
  const access = decoded.access;
  const collections =
    access.kind === 'global'
      ? [ANY_COLLECTION]
      : access.collections.map((grant) => grant.collection);
  // A key scoped to no collection still gets one column, so the table shows what it cannot do.
  const columns = collections.length > 0 ? collections : ['some-collection'];
  const collectionOperations: OperationLine[] = [];
  const otherOperations: OperationLine[] = [];
  for (const operation of operations) {
    if (operation.onCollection) {
      collectionOperations.push({
        operation,
        verdicts: columns.map((collection) => decide(access, operation, collection)),
      });
    } else {
      otherOperations.push({ operation, verdicts: [decide(access, operation, ANY_COLLECTION)] });
    }
  }
  return {
    ok: true,
    header: decoded.header as Readonly<Record<string, unknown>>,
    claims: decoded.claims,
    access,
    grants: grantLines(access),
    expiresAt: decoded.expiresAt,
    expired: decoded.isExpired(nowMs),
    collections: columns,
    collectionOperations,
    otherOperations,
  };
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
