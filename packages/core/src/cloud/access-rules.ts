/**
 * Qdrant Cloud v2 database API keys: their access rules (protobuf-JSON, as the Cloud API sends
 * them) converted to and from the JWT `access` claim, with the Cloud's validation rules.
 *
 * The rules are those of `proto/qdrant/cloud/cluster/auth/v2/database_api_key.proto` in
 * qdrant/qdrant-cloud-public-api v0.173.0 (`DatabaseApiKey` lines 153-220, `AccessRule` 224-234,
 * `GlobalAccessRule` 249-258, `CollectionAccessRule` 271-286). The Cloud checks them with
 * protovalidate, whose patterns are RE2: `\s` there is `[\t\n\f\r ]` and `\w` is `[0-9A-Za-z_]`,
 * so the patterns below spell those classes out instead of using JavaScript's Unicode `\s`.
 * The Cloud API reads protobuf JSON, which accepts a field under its JSON name
 * (`collectionAccess`) or its proto name (`collection_access`) and an enum as its name or its
 * number; both spellings are read here, and a field or oneof set twice is refused as it is there.
 *
 * @module
 */
import { type Access, type CollectionGrant, GLOBAL_MANAGE, GLOBAL_READ } from '../access/model.js';

/** `v2GlobalAccessRuleAccessType` of the Cloud API. */
export type CloudGlobalAccessType =
  | 'GLOBAL_ACCESS_RULE_ACCESS_TYPE_UNSPECIFIED'
  | 'GLOBAL_ACCESS_RULE_ACCESS_TYPE_READ_ONLY'
  | 'GLOBAL_ACCESS_RULE_ACCESS_TYPE_MANAGE';

/** `v2CollectionAccessRuleAccessType` of the Cloud API. */
export type CloudCollectionAccessType =
  | 'COLLECTION_ACCESS_RULE_ACCESS_TYPE_UNSPECIFIED'
  | 'COLLECTION_ACCESS_RULE_ACCESS_TYPE_READ_ONLY'
  | 'COLLECTION_ACCESS_RULE_ACCESS_TYPE_READ_WRITE';

/** `v2GlobalAccessRule`: access to the whole database (what {@link accessToCloudAccessRules} builds). */
export interface CloudGlobalAccessRule {
  readonly globalAccess: {
    readonly accessType: Exclude<
      CloudGlobalAccessType,
      'GLOBAL_ACCESS_RULE_ACCESS_TYPE_UNSPECIFIED'
    >;
  };
  readonly collectionAccess?: undefined;
}

/** `v2CollectionAccessRule`: access to one collection (what {@link accessToCloudAccessRules} builds). */
export interface CloudCollectionAccessRule {
  readonly collectionAccess: {
    readonly collectionName: string;
    readonly accessType: Exclude<
      CloudCollectionAccessType,
      'COLLECTION_ACCESS_RULE_ACCESS_TYPE_UNSPECIFIED'
    >;
  };
  readonly globalAccess?: undefined;
}

/** `v2AccessRule` as this package builds it: exactly one of `globalAccess` or `collectionAccess`. */
export type CloudAccessRule = CloudGlobalAccessRule | CloudCollectionAccessRule;

/**
 * `v2AccessRule` as it travels: every field optional and enums open, as the Cloud API client
 * returns it (`DatabaseApiKey.accessRules` from `@qdrant-kit/client` is assignable to
 * `readonly CloudAccessRuleWire[]`). {@link validateCloudAccessRules} decides what is valid.
 */
export interface CloudAccessRuleWire {
  readonly globalAccess?:
    | { readonly accessType?: string | number | null | undefined }
    | null
    | undefined;
  readonly collectionAccess?:
    | {
        readonly collectionName?: string | null | undefined;
        readonly accessType?: string | number | null | undefined;
      }
    | null
    | undefined;
}

/** One problem found by {@link validateCloudAccessRules}, with the path of the offending field. */
export interface CloudAccessRuleIssue {
  /** e.g. `accessRules[2].collectionAccess.collectionName`. */
  readonly path: string;
  /** The same path as segments below the list, e.g. `[2, 'collectionAccess', 'collectionName']` (`[]` for the list). */
  readonly segments: readonly (string | number)[];
  /** What is wrong and what is allowed. */
  readonly message: string;
}

/** Most access rules a Cloud database key may carry (`repeated.max_items: 20`). */
export const CLOUD_MAX_ACCESS_RULES = 20;
/** Collection names a Cloud access rule accepts (`^[a-zA-Z0-9-_.]+$`, 1 to 255 characters). */
export const CLOUD_COLLECTION_NAME_PATTERN = /^[a-zA-Z0-9\-_.]{1,255}$/;
/**
 * Names a Cloud database key accepts: RE2 `^[\w\s-]+$` with 4 to 128 characters, where `\w` is
 * `[0-9A-Za-z_]` and `\s` is `[\t\n\f\r ]` (no vertical tab, no Unicode spaces).
 */
export const CLOUD_KEY_NAME_PATTERN = /^[0-9A-Za-z_\t\n\f\r -]{4,128}$/;

const GLOBAL_TYPES = [
  'GLOBAL_ACCESS_RULE_ACCESS_TYPE_UNSPECIFIED',
  'GLOBAL_ACCESS_RULE_ACCESS_TYPE_READ_ONLY',
  'GLOBAL_ACCESS_RULE_ACCESS_TYPE_MANAGE',
] as const;
const COLLECTION_TYPES = [
  'COLLECTION_ACCESS_RULE_ACCESS_TYPE_UNSPECIFIED',
  'COLLECTION_ACCESS_RULE_ACCESS_TYPE_READ_ONLY',
  'COLLECTION_ACCESS_RULE_ACCESS_TYPE_READ_WRITE',
] as const;

type Fields = Record<string, unknown>;

/** A field read under both protobuf-JSON spellings; `twice` when both are present. */
function member(
  object: Fields,
  jsonName: string,
  protoName: string,
): { readonly value: unknown; readonly twice: boolean } {
  const a = object[jsonName];
  const b = jsonName === protoName ? undefined : object[protoName];
  const hasA = a !== undefined && a !== null;
  const hasB = b !== undefined && b !== null;
  return { value: hasA ? a : hasB ? b : undefined, twice: hasA && hasB };
}

/** An enum value given by name or number, as its index among `names`, or -1 when undefined. */
function enumIndex(value: unknown, names: readonly string[]): number {
  if (value === undefined) return 0;
  if (typeof value === 'number')
    return Number.isInteger(value) && value < names.length && value >= 0 ? value : -1;
  if (typeof value === 'string') return names.indexOf(value);
  return -1;
}

interface ReadRule {
  readonly scope: 'global' | 'collection' | 'none' | 'both';
  readonly globalType?: number;
  readonly collectionName?: unknown;
  readonly collectionType?: number;
}

function readRule(
  rule: unknown,
  index: number,
  issues: CloudAccessRuleIssue[] | undefined,
): ReadRule {
  const add = (segments: (string | number)[], message: string) => {
    issues?.push({ path: pathOf(segments), segments, message });
  };
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
    add([index], 'must be an object with globalAccess or collectionAccess');
    return { scope: 'none' };
  }
  const r = rule as Fields;
  const global = member(r, 'globalAccess', 'global_access');
  const collection = member(r, 'collectionAccess', 'collection_access');
  for (const [m, name] of [
    [global, 'globalAccess'],
    [collection, 'collectionAccess'],
  ] as const) {
    if (m.twice) add([index, name], `is set twice (as ${name} and in snake_case); set it once`);
  }
  const hasGlobal = global.value !== undefined;
  const hasCollection = collection.value !== undefined;
  if (hasGlobal && hasCollection) {
    add([index], 'must set only one of globalAccess or collectionAccess, not both');
    return { scope: 'both' };
  }
  if (!hasGlobal && !hasCollection) {
    add([index], 'must set one of globalAccess or collectionAccess');
    return { scope: 'none' };
  }
  const body = (hasGlobal ? global.value : collection.value) as unknown;
  const scopeName = hasGlobal ? 'globalAccess' : 'collectionAccess';
  if (typeof body !== 'object' || Array.isArray(body)) {
    add([index, scopeName], 'must be an object');
    return { scope: 'none' };
  }
  const fields = body as Fields;
  const type = member(fields, 'accessType', 'access_type');
  if (type.twice)
    add(
      [index, scopeName, 'accessType'],
      'is set twice (as accessType and access_type); set it once',
    );
  if (hasGlobal) {
    const globalType = enumIndex(type.value, GLOBAL_TYPES);
    if (globalType <= 0) {
      add(
        [index, 'globalAccess', 'accessType'],
        `${type.value === undefined ? 'is required' : `${JSON.stringify(type.value)} is not allowed`}: use GLOBAL_ACCESS_RULE_ACCESS_TYPE_READ_ONLY or GLOBAL_ACCESS_RULE_ACCESS_TYPE_MANAGE`,
      );
    }
    return { scope: 'global', globalType };
  }
  const name = member(fields, 'collectionName', 'collection_name');
  if (name.twice)
    add(
      [index, 'collectionAccess', 'collectionName'],
      'is set twice (as collectionName and collection_name); set it once',
    );
  if (name.value === undefined || name.value === '') {
    add(
      [index, 'collectionAccess', 'collectionName'],
      'is required: the name of the collection this rule grants access to',
    );
  } else if (typeof name.value !== 'string' || !CLOUD_COLLECTION_NAME_PATTERN.test(name.value)) {
    add(
      [index, 'collectionAccess', 'collectionName'],
      typeof name.value === 'string' && name.value.length > 255
        ? `must be at most 255 characters long (got ${name.value.length})`
        : 'may only contain letters a-z and A-Z, digits, "-", "_" and "."',
    );
  }
  const collectionType = enumIndex(type.value, COLLECTION_TYPES);
  if (collectionType <= 0) {
    add(
      [index, 'collectionAccess', 'accessType'],
      `${type.value === undefined ? 'is required' : `${JSON.stringify(type.value)} is not allowed`}: use COLLECTION_ACCESS_RULE_ACCESS_TYPE_READ_ONLY or COLLECTION_ACCESS_RULE_ACCESS_TYPE_READ_WRITE`,
    );
  }
  return { scope: 'collection', collectionName: name.value, collectionType };
}

function pathOf(segments: readonly (string | number)[]): string {
  let path = 'accessRules';
  for (const s of segments) path += typeof s === 'number' ? `[${s}]` : `.${s}`;
  return path;
}

/**
 * Checks access rules as the Cloud API does: at most 20; each sets exactly one of `globalAccess`
 * / `collectionAccess`; access types defined and not `*_UNSPECIFIED`; global and collection rules
 * never mixed and at most one global rule; collection names `^[a-zA-Z0-9-_.]+$`, 1-255
 * characters. An empty list is valid (global manage). The same collection listed twice is
 * accepted, as the Cloud accepts it.
 */
export function validateCloudAccessRules(rules: unknown): CloudAccessRuleIssue[] {
  const issues: CloudAccessRuleIssue[] = [];
  if (rules === undefined || rules === null) return issues;
  if (!Array.isArray(rules)) {
    return [{ path: 'accessRules', segments: [], message: 'must be a list of access rules' }];
  }
  if (rules.length > CLOUD_MAX_ACCESS_RULES) {
    issues.push({
      path: 'accessRules',
      segments: [],
      message: `must have at most ${CLOUD_MAX_ACCESS_RULES} access rules (got ${rules.length})`,
    });
  }
  let globals = 0;
  let collections = 0;
  rules.forEach((rule: unknown, i) => {
    const read = readRule(rule, i, issues);
    if (read.scope === 'global') globals++;
    if (read.scope === 'collection') collections++;
  });
  if (globals > 0 && collections > 0) {
    issues.push({
      path: 'accessRules',
      segments: [],
      message:
        'cannot mix global and collection access rules in one key: use one global rule, or only collection rules',
    });
  }
  if (globals > 1) {
    issues.push({
      path: 'accessRules',
      segments: [],
      message: `must have at most one global access rule (got ${globals})`,
    });
  }
  return issues;
}

/** Result of a Cloud conversion: a value, or the issues that prevent it. */
export type CloudConversion<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: readonly CloudAccessRuleIssue[] };

/**
 * The {@link Access} a Cloud key with these rules has on its cluster (no rules = global manage).
 * Takes the rules as the Cloud API client returns them; invalid rules give their issues instead.
 */
export function cloudAccessRulesToAccess(
  rules: readonly CloudAccessRuleWire[] | null | undefined,
): CloudConversion<Access> {
  const list: readonly unknown[] = rules ?? [];
  const issues = validateCloudAccessRules(list);
  if (issues.length > 0) return { ok: false, issues };
  if (list.length === 0) return { ok: true, value: GLOBAL_MANAGE };
  const read = list.map((rule, i) => readRule(rule, i, undefined));
  const first = read[0] as ReadRule;
  if (first.scope === 'global') {
    return { ok: true, value: first.globalType === 2 ? GLOBAL_MANAGE : GLOBAL_READ };
  }
  const collections: CollectionGrant[] = read.map((rule) => ({
    collection: rule.collectionName as string,
    access: rule.collectionType === 2 ? 'rw' : 'r',
  }));
  return { ok: true, value: { kind: 'collections', collections } };
}

/**
 * A key's rules as the Cloud API returns them (optional fields, open enums, either protobuf-JSON
 * spelling), checked and in the exact shape a request carries, e.g. to give a new key the
 * rules of an old one. Invalid rules give their issues instead.
 *
 * @example
 * const rules = readCloudAccessRules(oldKey.accessRules);
 * if (!rules.ok) throw new Error(rules.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
 * await cloud.databaseApiKey.createDatabaseApiKey({ databaseApiKey: { ..., accessRules: rules.value } });
 */
export function readCloudAccessRules(
  rules: readonly CloudAccessRuleWire[] | null | undefined,
): CloudConversion<CloudAccessRule[]> {
  const list: readonly unknown[] = rules ?? [];
  const issues = validateCloudAccessRules(list);
  if (issues.length > 0) return { ok: false, issues };
  const value = list.map((rule, i): CloudAccessRule => {
    const read = readRule(rule, i, undefined);
    if (read.scope === 'global') {
      return {
        globalAccess: {
          accessType:
            read.globalType === 2
              ? 'GLOBAL_ACCESS_RULE_ACCESS_TYPE_MANAGE'
              : 'GLOBAL_ACCESS_RULE_ACCESS_TYPE_READ_ONLY',
        },
      };
    }
    return {
      collectionAccess: {
        collectionName: read.collectionName as string,
        accessType:
          read.collectionType === 2
            ? 'COLLECTION_ACCESS_RULE_ACCESS_TYPE_READ_WRITE'
            : 'COLLECTION_ACCESS_RULE_ACCESS_TYPE_READ_ONLY',
      },
    };
  });
  return { ok: true, value };
}

/**
 * The Cloud access rules that grant `access`. Global manage becomes one MANAGE rule. `prw`
 * has no Cloud equivalent and, like invalid names or more than 20 collections, gives issues.
 */
export function accessToCloudAccessRules(access: Access): CloudConversion<CloudAccessRule[]> {
  if (access.kind === 'global') {
    return {
      ok: true,
      value: [
        {
          globalAccess: {
            accessType:
              access.mode === 'm'
                ? 'GLOBAL_ACCESS_RULE_ACCESS_TYPE_MANAGE'
                : 'GLOBAL_ACCESS_RULE_ACCESS_TYPE_READ_ONLY',
          },
        },
      ],
    };
  }
  const issues: CloudAccessRuleIssue[] = [];
  const rules: CloudAccessRule[] = access.collections.map((grant, i) => {
    if (grant.access === 'prw') {
      issues.push({
        path: `accessRules[${i}].collectionAccess.accessType`,
        segments: [i, 'collectionAccess', 'accessType'],
        message: `prw (points read-write) on ${grant.collection} has no Cloud access type`,
      });
    }
    return {
      collectionAccess: {
        collectionName: grant.collection,
        accessType:
          grant.access === 'r'
            ? 'COLLECTION_ACCESS_RULE_ACCESS_TYPE_READ_ONLY'
            : 'COLLECTION_ACCESS_RULE_ACCESS_TYPE_READ_WRITE',
      },
    };
  });
  issues.push(...validateCloudAccessRules(rules));
  if (access.collections.length === 0) {
    issues.push({
      path: 'accessRules',
      segments: [],
      message: 'no Cloud rule grants nothing: an empty list means global manage',
    });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: rules };
}

/**
 * Whether `name` is a valid Cloud database key name: 4-128 of ASCII letters, digits, `_`, `-`,
 * space, tab, line feed, form feed or carriage return (RE2's `[\w\s-]`).
 */
export function isValidCloudKeyName(name: string): boolean {
  return CLOUD_KEY_NAME_PATTERN.test(name);
}

/** Why `name` is not a valid Cloud database key name, or undefined when it is. */
export function cloudKeyNameProblem(name: unknown): string | undefined {
  if (name === undefined || name === null || name === '') {
    return 'is required: 4-128 letters, digits, spaces, underscores or dashes';
  }
  if (typeof name !== 'string') return 'must be a string';
  if (name.length < 4 || name.length > 128) {
    return `must be 4-128 characters long (got ${name.length})`;
  }
  if (!CLOUD_KEY_NAME_PATTERN.test(name)) {
    return 'may only contain ASCII letters, digits, spaces, underscores and dashes';
  }
  return undefined;
}
