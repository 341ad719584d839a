// QDRANT_GATEWAY_OIDC_ACCESS: parsing at start-up, substitution, names the cluster would refuse,
// and the decision core makes on the result (the same as for a database key with that access).
import { authorizeRequest, claimToAccess } from '@qdrant-kit/core';
import { describe, expect, it } from 'vitest';
import {
  isValidCollectionName,
  OidcConfigError,
  parseAccessMapping,
} from '../../src/oidc/index.js';

describe('isValidCollectionName: the cluster rule for a new collection', () => {
  // lib/common/common/src/validation.rs:93 and :113; length: src/actix/api/mod.rs:36.
  it.each([
    ['tenant-acme', true],
    ['a', true],
    ['x'.repeat(255), true],
    ['é'.repeat(255), true],
    ['with space', true],
    ['dots.in.name', true],
    ['', false],
    ['x'.repeat(256), false],
    ['../x', false],
    ['a/b', false],
    ['a\\b', false],
    ['a:b', false],
    ['a*b', false],
    ['a?b', false],
    ['a|b', false],
    ['a"b', false],
    ['<a>', false],
    ['a\u0000b', false],
    ['a\u001fb', false],
    ['.', false],
    ['..', false],
    ['\ud800', false],
  ])('%j -> %s', (name, valid) => {
    expect(isValidCollectionName(name)).toBe(valid);
  });
});

describe('parseAccessMapping: refused at start-up with a clear message', () => {
  it.each([
    ['not JSON', '[{', /is not JSON/],
    ['a number', '5', /must be "r", "m" or a list/],
    ['"rw" globally', '"rw"', /must be "r", "m" or a list/],
    ['an empty list', '[]', /lists no grant/],
    ['a grant not an object', '["tenant"]', /grant 1: must be an object/],
    [
      'an unknown field',
      '[{"collection":"a","access":"r","when":"x"}]',
      /grant 1: unknown field "when"/,
    ],
    [
      'a bad mode',
      '[{"collection":"a","access":"m"}]',
      /grant 1: "access" must be "r", "rw" or "prw"/,
    ],
    ['no collection', '[{"access":"r"}]', /grant 1: "collection" must be a string/],
    ['an empty collection', '[{"collection":"","access":"r"}]', /the collection is empty/],
    ['a static name with "/"', '[{"collection":"a/b","access":"r"}]', /cannot/],
    ['a literal with ":" around a claim', '[{"collection":"t:{org}","access":"r"}]', /cannot/],
    ['an unclosed placeholder', '[{"collection":"t-{org","access":"r"}]', /unclosed/],
    ['a stray "}"', '[{"collection":"t-org}","access":"r"}]', /unmatched/],
    ['a nested placeholder', '[{"collection":"t-{a{b}}","access":"r"}]', /nested/],
    ['an empty placeholder', '[{"collection":"t-{}","access":"r"}]', /empty/],
    ['an empty path segment', '[{"collection":"t-{a..b}","access":"r"}]', /invalid claim name/],
    ['a bad bracket', '[{"collection":"t-{[org]}","access":"r"}]', /\["name"\]/],
    [
      'the second grant',
      '[{"collection":"a","access":"r"},{"collection":"b","access":"x"}]',
      /grant 2/,
    ],
  ])('%s', (_name, json, message) => {
    expect(() => parseAccessMapping(json)).toThrow(OidcConfigError);
    expect(() => parseAccessMapping(json)).toThrow(message);
  });

  it('names the variable', () => {
    expect(() => parseAccessMapping('[]')).toThrow(/^QDRANT_GATEWAY_OIDC_ACCESS /);
  });

  it('refuses more than 100 grants', () => {
    const many = JSON.stringify(
      Array.from({ length: 101 }, (_, i) => ({ collection: `c${i}`, access: 'r' })),
    );
    expect(() => parseAccessMapping(many)).toThrow(/more than 100/);
  });
});

describe('accessFor', () => {
  const mapping = parseAccessMapping(
    JSON.stringify([
      { collection: 'tenant-{org_id}', access: 'rw' },
      { collection: 'shared-docs', access: 'r' },
      { collection: 'team-{org.team}-{org.id}', access: 'prw' },
      { collection: 'ns-{["https://example.com/tenant"]}', access: 'r' },
    ]),
  );

  it('"r" and "m" give global access whatever the claims', () => {
    expect(parseAccessMapping('"r"').accessFor({})).toEqual({ kind: 'global', mode: 'r' });
    expect(parseAccessMapping('m').accessFor({ any: 1 })).toEqual({ kind: 'global', mode: 'm' });
  });

  it('substitutes strings, nested paths and claims named with dots', () => {
    expect(
      mapping.accessFor({
        org_id: 'acme',
        org: { team: 'blue', id: 7 },
        'https://example.com/tenant': 'eu',
      }),
    ).toEqual({
      kind: 'collections',
      collections: [
        { collection: 'tenant-acme', access: 'rw' },
        { collection: 'shared-docs', access: 'r' },
        { collection: 'team-blue-7', access: 'prw' },
        { collection: 'ns-eu', access: 'r' },
      ],
    });
  });

  it('a missing claim grants nothing (the other grants stand)', () => {
    expect(mapping.accessFor({}).kind === 'collections' && mapping.accessFor({})).toEqual({
      kind: 'collections',
      collections: [{ collection: 'shared-docs', access: 'r' }],
    });
  });

  it.each([
    ['../x', '../x'],
    ['a slash', 'a/b'],
    ['empty', ''],
    ['too long', 'x'.repeat(250)],
    ['a colon', 'a:b'],
    ['NUL', 'a\u0000'],
    ['a float', 1.5],
    ['a negative number', -1],
    ['an unsafe integer', 2 ** 60],
    ['true', true],
    ['null', null],
    ['an array', ['acme']],
    ['an object', { id: 'acme' }],
  ])('a claim value that is %s grants nothing', (_name, value) => {
    const access = mapping.accessFor({ org_id: value });
    expect(access).toEqual({
      kind: 'collections',
      collections: [{ collection: 'shared-docs', access: 'r' }],
    });
  });

  it('values are substituted, never expanded again', () => {
    const access = mapping.accessFor({ org_id: '{org.team}', org: { team: 'blue' } });
    expect(access.kind === 'collections' && access.collections[0]).toEqual({
      collection: 'tenant-{org.team}',
      access: 'rw',
    });
  });

  it('a path through an array or a prototype member finds nothing', () => {
    const m = parseAccessMapping(
      '[{"collection":"t-{a.length}","access":"r"},{"collection":"u-{toString}","access":"r"},{"collection":"v-{a.0}","access":"r"}]',
    );
    expect(m.accessFor({ a: ['x'] })).toEqual({ kind: 'collections', collections: [] });
  });

  it('two grants naming one collection: the lesser mode wins', () => {
    const m = parseAccessMapping(
      '[{"collection":"{org}","access":"rw"},{"collection":"shared","access":"r"}]',
    );
    expect(m.accessFor({ org: 'shared' })).toEqual({
      kind: 'collections',
      collections: [{ collection: 'shared', access: 'r' }],
    });
  });

  it('hostile claims objects never throw', () => {
    const throwing = new Proxy(
      {},
      {
        get: () => {
          throw new Error('boom');
        },
        has: () => {
          throw new Error('boom');
        },
        getOwnPropertyDescriptor: () => {
          throw new Error('boom');
        },
      },
    );
    expect(mapping.accessFor(throwing)).toEqual({
      kind: 'collections',
      collections: [{ collection: 'shared-docs', access: 'r' }],
    });
    expect(mapping.accessFor(null as never)).toEqual({ kind: 'collections', collections: [] });
  });
});

describe('core decides a mapped access exactly as a database key with that access', () => {
  const mapping = parseAccessMapping(
    '[{"collection":"tenant-{org_id}","access":"rw"},{"collection":"shared-docs","access":"r"}]',
  );
  const mapped = mapping.accessFor({ org_id: 'acme' });
  const key = claimToAccess([
    { collection: 'tenant-acme', access: 'rw' },
    { collection: 'shared-docs', access: 'r' },
  ]);
  const requests: Array<[string, string, unknown?]> = [
    ['GET', '/collections/tenant-acme'],
    ['PUT', '/collections/tenant-acme/points', { points: [] }],
    ['POST', '/collections/shared-docs/points/search', { vector: [1], limit: 1 }],
    ['PUT', '/collections/shared-docs/points', { points: [] }],
    ['GET', '/collections/tenant-other'],
    ['DELETE', '/collections/tenant-acme'],
    [
      'POST',
      '/collections/tenant-acme/points/query',
      { prefetch: { query: [1] }, lookup_from: { collection: 'tenant-other' } },
    ],
    ['GET', '/collections'],
    ['GET', '/cluster'],
    ['POST', '/collections/tenant-acme/snapshots'],
  ];
  it.each(requests)('%s %s', (method, path, body) => {
    const input = { method, path, ...(body === undefined ? {} : { body }) };
    expect(authorizeRequest(mapped, input)).toEqual(authorizeRequest(key, input));
  });
});

describe('decodeIdentityToken (inspection only)', () => {
  it('reads header and claims, and says whether the algorithm is one the gateway accepts', async () => {
    const { decodeIdentityToken } = await import('../../src/oidc/index.js');
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const decoded = decodeIdentityToken(
      `${b64({ alg: 'RS256', kid: 'k' })}.${b64({ iss: 'x', org_id: 'acme' })}.sig`,
    );
    expect(decoded).toMatchObject({
      ok: true,
      header: { alg: 'RS256' },
      claims: { org_id: 'acme' },
      algorithmAccepted: true,
    });
    expect(decodeIdentityToken(`${b64({ alg: 'HS256' })}.${b64({})}.sig`)).toMatchObject({
      ok: true,
      algorithmAccepted: false,
    });
    expect(decodeIdentityToken('nope')).toMatchObject({ ok: false });
    expect(decodeIdentityToken('')).toMatchObject({ ok: false, message: 'no token' });
    expect(decodeIdentityToken('a'.repeat(20_000))).toMatchObject({ ok: false });
  });
});
