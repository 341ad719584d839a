// Cloud access rules checked as the Cloud API checks them: buf.validate rules of
// proto/qdrant/cloud/cluster/auth/v2/database_api_key.proto (qdrant-cloud-public-api v0.173.0)
// with RE2 classes, read as protobuf JSON (both field spellings, enums by name or number).
import { describe, expect, it } from 'vitest';
import {
  CLOUD_MAX_ACCESS_RULES,
  type CloudAccessRuleWire,
  cloudAccessRulesToAccess,
  cloudKeyNameProblem,
  isValidCloudKeyName,
  readCloudAccessRules,
  validateCloudAccessRules,
} from '../src/index.js';

const READ_ONLY = 'COLLECTION_ACCESS_RULE_ACCESS_TYPE_READ_ONLY';

describe('isValidCloudKeyName (RE2 ^[\\w\\s-]+$, 4-128, database_api_key.proto:174-178)', () => {
  it('accepts RE2 \\s: space, tab, line feed, form feed, carriage return', () => {
    for (const space of [' ', '\t', '\n', '\f', '\r']) {
      expect(isValidCloudKeyName(`ab${space}cd`), JSON.stringify(space)).toBe(true);
    }
  });
  it("refuses what only JavaScript's \\s matches: \\v, NBSP, U+2028, U+FEFF, U+3000", () => {
    for (const space of ['\v', '\u00a0', '\u2028', '\ufeff', '\u3000', '\u1680']) {
      expect(isValidCloudKeyName(`ab${space}cd`), JSON.stringify(space)).toBe(false);
      expect(cloudKeyNameProblem(`ab${space}cd`)).toMatch(/ASCII letters/);
    }
  });
  it('counts 4 to 128 characters', () => {
    expect(isValidCloudKeyName('abc')).toBe(false);
    expect(isValidCloudKeyName('abcd')).toBe(true);
    expect(isValidCloudKeyName('a'.repeat(128))).toBe(true);
    expect(isValidCloudKeyName('a'.repeat(129))).toBe(false);
    expect(cloudKeyNameProblem('a'.repeat(129))).toBe('must be 4-128 characters long (got 129)');
    expect(cloudKeyNameProblem(undefined)).toMatch(/^is required/);
    expect(isValidCloudKeyName('é-key')).toBe(false);
  });
});

describe('validateCloudAccessRules', () => {
  it('refuses a rule with two members of the oneof, in either spelling', () => {
    const both = [
      {
        globalAccess: { accessType: 'GLOBAL_ACCESS_RULE_ACCESS_TYPE_MANAGE' },
        collection_access: { collectionName: 'a', accessType: READ_ONLY },
      },
    ];
    expect(validateCloudAccessRules(both)).toEqual([
      expect.objectContaining({
        path: 'accessRules[0]',
        message: expect.stringMatching(/only one/),
      }),
    ]);
    // Read as the first member, this rule would have been global manage.
    expect(cloudAccessRulesToAccess(both as CloudAccessRuleWire[]).ok).toBe(false);
  });
  it('reads the proto spellings and enum numbers as the Cloud does', () => {
    const rules = [{ collection_access: { collection_name: 'docs', access_type: 2 } }];
    expect(cloudAccessRulesToAccess(rules as CloudAccessRuleWire[])).toEqual({
      ok: true,
      value: { kind: 'collections', collections: [{ collection: 'docs', access: 'rw' }] },
    });
    expect(cloudAccessRulesToAccess([{ globalAccess: { accessType: 1 } }])).toEqual({
      ok: true,
      value: { kind: 'global', mode: 'r' },
    });
  });
  it('refuses a field set under both spellings', () => {
    const rules = [
      { collectionAccess: { collectionName: 'a', collection_name: 'b', accessType: READ_ONLY } },
    ];
    expect(validateCloudAccessRules(rules).map((i) => i.path)).toEqual([
      'accessRules[0].collectionAccess.collectionName',
    ]);
  });
  it('refuses UNSPECIFIED, 0, unknown names and undefined numbers (defined_only, not_in [0])', () => {
    for (const accessType of [
      'GLOBAL_ACCESS_RULE_ACCESS_TYPE_UNSPECIFIED',
      0,
      3,
      'MANAGE',
      undefined,
    ]) {
      const issues = validateCloudAccessRules([{ globalAccess: { accessType } }]);
      expect(
        issues.map((i) => i.path),
        String(accessType),
      ).toEqual(['accessRules[0].globalAccess.accessType']);
      expect(issues[0]?.message).toMatch(
        /GLOBAL_ACCESS_RULE_ACCESS_TYPE_READ_ONLY or GLOBAL_ACCESS_RULE_ACCESS_TYPE_MANAGE/,
      );
    }
  });
  it('caps the list at 20 rules (repeated.max_items)', () => {
    const rule = (i: number) => ({
      collectionAccess: { collectionName: `c${i}`, accessType: READ_ONLY },
    });
    expect(CLOUD_MAX_ACCESS_RULES).toBe(20);
    expect(validateCloudAccessRules(Array.from({ length: 20 }, (_, i) => rule(i)))).toEqual([]);
    expect(
      validateCloudAccessRules(Array.from({ length: 21 }, (_, i) => rule(i)))[0]?.message,
    ).toBe('must have at most 20 access rules (got 21)');
  });
  it('collection names: 1-255 of [a-zA-Z0-9-_.]; the same name twice passes as on the Cloud', () => {
    const named = (collectionName: string) => [
      { collectionAccess: { collectionName, accessType: READ_ONLY } },
    ];
    expect(validateCloudAccessRules(named('a-b_c.d'))).toEqual([]);
    expect(validateCloudAccessRules(named('x'.repeat(255)))).toEqual([]);
    expect(validateCloudAccessRules(named('x'.repeat(256)))[0]?.message).toMatch(/at most 255/);
    expect(validateCloudAccessRules(named('a b'))[0]?.message).toMatch(/may only contain/);
    expect(validateCloudAccessRules(named(''))[0]?.message).toMatch(/^is required/);
    expect(validateCloudAccessRules([...named('a'), ...named('a')])).toEqual([]);
  });
  it('accepts the wire type of the client (optional fields, open enums) at compile time', () => {
    interface ClientAccessRule {
      globalAccess?: { accessType?: 'GLOBAL_ACCESS_RULE_ACCESS_TYPE_MANAGE' | (string & {}) };
      collectionAccess?: { collectionName?: string; accessType?: string };
    }
    const fromClient: ClientAccessRule[] = [
      { globalAccess: { accessType: 'GLOBAL_ACCESS_RULE_ACCESS_TYPE_MANAGE' } },
    ];
    expect(cloudAccessRulesToAccess(fromClient)).toEqual({
      ok: true,
      value: { kind: 'global', mode: 'm' },
    });
    expect(cloudAccessRulesToAccess(undefined)).toEqual({
      ok: true,
      value: { kind: 'global', mode: 'm' },
    });
  });
});

describe('readCloudAccessRules (listed rules into request shape)', () => {
  it('reads either spelling and enum numbers into the names a request carries', () => {
    const wire = [
      { collection_access: { collection_name: 'docs', access_type: 2 } },
      { collectionAccess: { collectionName: 'logs', accessType: READ_ONLY } },
    ] as unknown as CloudAccessRuleWire[];
    expect(readCloudAccessRules(wire)).toEqual({
      ok: true,
      value: [
        {
          collectionAccess: {
            collectionName: 'docs',
            accessType: 'COLLECTION_ACCESS_RULE_ACCESS_TYPE_READ_WRITE',
          },
        },
        { collectionAccess: { collectionName: 'logs', accessType: READ_ONLY } },
      ],
    });
    expect(readCloudAccessRules([{ globalAccess: { accessType: 2 } }])).toEqual({
      ok: true,
      value: [{ globalAccess: { accessType: 'GLOBAL_ACCESS_RULE_ACCESS_TYPE_MANAGE' } }],
    });
    expect(readCloudAccessRules(undefined)).toEqual({ ok: true, value: [] });
  });

  it('gives the issues of invalid rules instead of guessing', () => {
    const result = readCloudAccessRules([
      { collectionAccess: { collectionName: 'bad name', accessType: READ_ONLY } },
    ]);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual([
      'accessRules[0].collectionAccess.collectionName',
    ]);
  });
});
