/**
 * Qdrant Cloud v2 database API keys: their access rules (protobuf-JSON, as the Cloud API sends
 * them) converted to and from the JWT `access` claim, with the Cloud's validation rules.
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

/** `v2GlobalAccessRule`: access to the whole database. */
export interface CloudGlobalAccessRule {
  readonly globalAccess: { readonly accessType: CloudGlobalAccessType };
  readonly collectionAccess?: undefined;
}

/** `v2CollectionAccessRule`: access to one collection. */
export interface CloudCollectionAccessRule {
  readonly collectionAccess: {
    readonly collectionName: string;
    readonly accessType: CloudCollectionAccessType;
  };
  readonly globalAccess?: undefined;
}

/** `v2AccessRule`: exactly one of `globalAccess` or `collectionAccess`. */
export type CloudAccessRule = CloudGlobalAccessRule | CloudCollectionAccessRule;

/** One problem found by {@link validateCloudAccessRules}, with the path of the offending field. */
export interface CloudAccessRuleIssue {
  /** e.g. `accessRules[2].collectionAccess.collectionName`. */
  readonly path: string;
  readonly message: string;
}

/** Most access rules a Cloud database key may carry. */
export const CLOUD_MAX_ACCESS_RULES = 20;
/** Collection names a Cloud access rule accepts (1 to 255 characters). */
export const CLOUD_COLLECTION_NAME_PATTERN = /^[a-zA-Z0-9\-_.]{1,255}$/;
/** Names a Cloud database key accepts (4 to 128 characters). */
export const CLOUD_KEY_NAME_PATTERN = /^[\w\s-]{4,128}$/;

/**
 * Checks access rules as the Cloud API does: at most 20; exactly one of `globalAccess` /
 * `collectionAccess` per rule; a specified access type; global and collection rules never
 * mixed and at most one global rule; collection names `^[a-zA-Z0-9-_.]+$`, 1-255 chars, unique.
 * An empty list is valid (global manage).
 */
export function validateCloudAccessRules(rules: unknown): CloudAccessRuleIssue[] {
  const issues: CloudAccessRuleIssue[] = [];
  if (!Array.isArray(rules))
    return [{ path: 'accessRules', message: 'must be a list of access rules' }];
  if (rules.length > CLOUD_MAX_ACCESS_RULES) {
    issues.push({
      path: 'accessRules',
      message: `at most ${CLOUD_MAX_ACCESS_RULES} access rules are allowed`,
    });
  }
  let globals = 0;
  let collections = 0;
  const seen = new Set<string>();
  rules.forEach((rule: unknown, i) => {
    const path = `accessRules[${i}]`;
    const r = (typeof rule === 'object' && rule !== null ? rule : {}) as Record<string, unknown>;
    const hasGlobal = r.globalAccess !== undefined && r.globalAccess !== null;
    const hasCollection = r.collectionAccess !== undefined && r.collectionAccess !== null;
    if (hasGlobal === hasCollection) {
      issues.push({ path, message: 'must set exactly one of globalAccess or collectionAccess' });
      return;
    }
    if (hasGlobal) {
      globals++;
      const type = (r.globalAccess as Record<string, unknown>).accessType;
      if (
        type !== 'GLOBAL_ACCESS_RULE_ACCESS_TYPE_READ_ONLY' &&
        type !== 'GLOBAL_ACCESS_RULE_ACCESS_TYPE_MANAGE'
      ) {
        issues.push({
          path: `${path}.globalAccess.accessType`,
          message: 'must be READ_ONLY or MANAGE',
        });
      }
      return;
    }
    collections++;
    const access = r.collectionAccess as Record<string, unknown>;
    const name = access.collectionName;
    if (typeof name !== 'string' || !CLOUD_COLLECTION_NAME_PATTERN.test(name)) {
      issues.push({
        path: `${path}.collectionAccess.collectionName`,
        message: 'must be 1-255 characters of letters, digits, "-", "_" or "."',
      });
    } else if (seen.has(name)) {
      issues.push({
        path: `${path}.collectionAccess.collectionName`,
        message: `collection ${name} is listed twice`,
      });
    } else seen.add(name);
    const type = access.accessType;
    if (
      type !== 'COLLECTION_ACCESS_RULE_ACCESS_TYPE_READ_ONLY' &&
      type !== 'COLLECTION_ACCESS_RULE_ACCESS_TYPE_READ_WRITE'
    ) {
      issues.push({
        path: `${path}.collectionAccess.accessType`,
        message: 'must be READ_ONLY or READ_WRITE',
      });
    }
  });
  if (globals > 0 && collections > 0) {
    issues.push({
      path: 'accessRules',
      message: 'global and collection access rules cannot be mixed',
    });
  }
  if (globals > 1)
    issues.push({ path: 'accessRules', message: 'at most one global access rule is allowed' });
  return issues;
}

/** Result of a Cloud conversion: a value, or the issues that prevent it. */
export type CloudConversion<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: readonly CloudAccessRuleIssue[] };

/**
 * The {@link Access} a Cloud key with these rules has on its cluster (no rules = global manage).
 * Invalid rules give their issues instead.
 */
export function cloudAccessRulesToAccess(
  rules: readonly CloudAccessRule[] | undefined,
): CloudConversion<Access> {
  const list = rules ?? [];
  const issues = validateCloudAccessRules(list);
  if (issues.length > 0) return { ok: false, issues };
  if (list.length === 0) return { ok: true, value: GLOBAL_MANAGE };
  const first = list[0] as CloudAccessRule;
  if (first.globalAccess) {
    return {
      ok: true,
      value:
        first.globalAccess.accessType === 'GLOBAL_ACCESS_RULE_ACCESS_TYPE_MANAGE'
          ? GLOBAL_MANAGE
          : GLOBAL_READ,
    };
  }
  const collections: CollectionGrant[] = list.map((rule) => {
    const c = (rule as CloudCollectionAccessRule).collectionAccess;
    return {
      collection: c.collectionName,
      access: c.accessType === 'COLLECTION_ACCESS_RULE_ACCESS_TYPE_READ_WRITE' ? 'rw' : 'r',
    };
  });
  return { ok: true, value: { kind: 'collections', collections } };
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
      message: 'no Cloud rule grants nothing: an empty list means global manage',
    });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: rules };
}

/** Whether `name` is a valid Cloud database key name (4-128 of letters, digits, `_`, spaces, `-`). */
export function isValidCloudKeyName(name: string): boolean {
  return CLOUD_KEY_NAME_PATTERN.test(name);
}
