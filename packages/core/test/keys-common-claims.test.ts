// The one-pass reader of common claims must never disagree with the general JSON reader +
// claims parser: wherever it answers, it answers exactly what they answer.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseClaimsValue } from '../src/keys/claims.js';
import { readCommonClaims } from '../src/keys/common-claims.js';
import { parseJson } from '../src/keys/json.js';

const encoder = new TextEncoder();

function general(text: string) {
  const json = parseJson(encoder.encode(text));
  return json === undefined ? undefined : parseClaimsValue(json);
}

function expectSameAsGeneral(text: string): boolean {
  const fast = readCommonClaims(encoder.encode(text));
  if (fast === undefined) return false;
  const slow = general(text);
  expect(fast).toEqual(slow);
  if (fast.ok && slow?.ok) {
    expect(Object.isFrozen(fast.claims)).toBe(Object.isFrozen(slow.claims));
    expect(Object.keys(fast.claims)).toEqual(Object.keys(slow.claims));
    expect(Object.isFrozen(fast.access)).toBe(Object.isFrozen(slow.access));
    if (fast.access.kind === 'collections' && slow.access.kind === 'collections') {
      expect(Object.isFrozen(fast.access.collections)).toBe(true);
      expect(fast.access.collections.every((g) => Object.isFrozen(g))).toBe(true);
    }
  }
  return true;
}

const name = fc.constantFrom('docs', 'logs', '', 'a b', 'x'.repeat(40), 'ünï', 'q"t', 'back\\');
const validName = fc.constantFrom('docs', 'logs', 'a', '');
const mode = fc.constantFrom('r', 'rw', 'prw', 'm', 'R', '');
const validMode = fc.constantFrom('r', 'rw', 'prw');
const grant = fc.oneof(
  { weight: 4, arbitrary: fc.record({ collection: validName, access: validMode }) },
  { weight: 2, arbitrary: fc.record({ access: validMode, collection: validName }) },
  fc.record({ collection: name, access: mode }),
  fc.record({ collection: name }),
  fc.record({ collection: name, access: mode, payload: fc.constantFrom(null, {}, 1) }),
);
const claimsObject = fc.record(
  {
    exp: fc.oneof(
      { weight: 3, arbitrary: fc.nat() },
      fc.constantFrom(0, 1e15 - 1, 1e15, 2 ** 53, -1, 1.5, null, '1'),
    ),
    access: fc.oneof(
      { weight: 3, arbitrary: fc.array(grant, { maxLength: 4 }) },
      fc.constantFrom('r', 'm', 'rw', null, {}),
    ),
    sub: fc.oneof(name, fc.constant(null), fc.integer()),
    subject: fc.oneof(name, fc.constant(null)),
  },
  { requiredKeys: [] },
);
const withExtraFields = fc.tuple(
  claimsObject,
  fc.record({ nbf: fc.constantFrom(1, [], [1]), other: fc.string() }, { requiredKeys: [] }),
);

describe('readCommonClaims agrees with the general parser', () => {
  it('on the common shapes, which it reads itself', () => {
    const common = [
      '{}',
      '{"exp":1700000000}',
      '{"access":"r"}',
      '{"access":"m","exp":0}',
      '{"access":[]}',
      '{"access":[{"collection":"docs","access":"rw"},{"collection":"logs","access":"r"}],"exp":1795426834}',
      '{"exp":1,"access":[{"access":"prw","collection":"c"}],"sub":"s","subject":"who"}',
    ];
    for (const text of common) expect(expectSameAsGeneral(text)).toBe(true);
  });

  it('leaves everything else to the general parser', () => {
    const others = [
      '{"exp":1,"exp":2}',
      '{"access":[{"collection":"a","access":"r"},{"collection":"a","access":"rw"}]}',
      '{ "exp":1}',
      '{"exp":1.0}',
      '{"exp":01}',
      '{"exp":1000000000000000}',
      '{"exp":null}',
      '{"access":{"m":null}}',
      '{"sub":"\\u0041"}',
      '{"nbf":1}',
      '[]',
      '{"access":[{"collection":"a","access":"r","payload":null}]}',
      '{"exp":1}x',
    ];
    for (const text of others) expect(readCommonClaims(encoder.encode(text))).toBeUndefined();
  });

  it('on generated claims (compact and reordered JSON)', () => {
    fc.assert(
      fc.property(claimsObject, (claims) => {
        expectSameAsGeneral(JSON.stringify(claims));
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(withExtraFields, ([claims, extra]) => {
        expectSameAsGeneral(JSON.stringify({ ...extra, ...claims }));
        expectSameAsGeneral(JSON.stringify({ ...claims, ...extra }));
      }),
      { numRuns: 1000 },
    );
  });

  it('on arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        expectSameAsGeneral(text);
      }),
      { numRuns: 3000 },
    );
  });
});
