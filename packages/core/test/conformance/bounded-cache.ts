// The one bounded cache (CLOCK): bound, second chance, deletion, and the verified-token cache
// built on it. Runtime-neutral; the hit cost at 10 000 and 100 000 entries is in `pnpm bench`.
import { createBoundedCache, createVerifiedTokenCache } from '@qdrant-kit/core';
import { assert, assertEqual, type TestCase, test } from '@qdrant-kit/runtime-harness/suite';

const cases: TestCase[] = [
  test('bounded cache: never holds more than maxEntries', () => {
    const cache = createBoundedCache<string, number>({ maxEntries: 3 });
    for (let i = 0; i < 10; i++) cache.set(`k${i}`, i);
    assertEqual(cache.size, 3);
    assertEqual(cache.maxEntries, 3);
    assertEqual(cache.get('k9'), 9);
    assertEqual(cache.get('k0'), undefined);
  }),
  test('bounded cache: an entry used since the last sweep survives an eviction', () => {
    const cache = createBoundedCache<string, number>({ maxEntries: 3 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    assertEqual(cache.get('a'), 1);
    cache.set('d', 4);
    assertEqual(cache.get('a'), 1, 'a was used: second chance');
    assertEqual(cache.get('b'), undefined, 'b was not: evicted');
    assertEqual(cache.get('d'), 4);
  }),
  test('bounded cache: replace, delete, reuse of freed slots, clear', () => {
    const cache = createBoundedCache<string, number>({ maxEntries: 2 });
    cache.set('a', 1);
    cache.set('a', 2);
    assertEqual(cache.size, 1);
    assertEqual(cache.get('a'), 2);
    assertEqual(cache.delete('a'), true);
    assertEqual(cache.delete('a'), false);
    cache.set('b', 1);
    cache.set('c', 1);
    assertEqual(cache.size, 2);
    assertEqual(cache.get('b'), 1);
    cache.clear();
    assertEqual(cache.size, 0);
    assertEqual(cache.get('b'), undefined);
    cache.set('e', 5);
    assertEqual(cache.get('e'), 5);
  }),
  test('bounded cache: a nonsense bound holds one entry', () => {
    for (const bad of [0, -5, Number.NaN, 0.5]) {
      const cache = createBoundedCache<string, number>({ maxEntries: bad });
      cache.set('a', 1);
      cache.set('b', 2);
      assertEqual(cache.size, 1, String(bad));
      assertEqual(cache.get('b'), 2);
    }
  }),
  test('bounded cache: random operations keep size, bound and contents consistent', () => {
    const cache = createBoundedCache<number, number>({ maxEntries: 16 });
    const present = new Map<number, number>();
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    for (let i = 0; i < 20_000; i++) {
      const key = next() % 40;
      const op = next() % 4;
      if (op === 0) {
        cache.delete(key);
        present.delete(key);
      } else if (op === 1) {
        const value = cache.get(key);
        if (value !== undefined) assertEqual(value, present.get(key), `value of ${key}`);
        else present.delete(key);
      } else {
        cache.set(key, i);
        present.set(key, i);
        assertEqual(cache.get(key), i, 'a value just set is held');
      }
      assert(cache.size <= 16, 'bound');
    }
  }),
  test('verified-token cache: bounded, and refuses tokens longer than maxTokenLength', () => {
    const cache = createVerifiedTokenCache({ maxEntries: 2, maxTokenLength: 10 });
    const scope = {};
    const entry = {
      scope,
      access: { kind: 'global', mode: 'r' } as const,
      claims: {},
      keyId: 'jwt:x',
      expiresAt: undefined,
      valueExists: undefined,
    };
    cache.set('t1', entry);
    cache.set('t2', entry);
    cache.set('t3', entry);
    assertEqual(cache.size, 2);
    cache.set('x'.repeat(11), entry);
    assertEqual(cache.get(scope, 'x'.repeat(11)), undefined);
    assertEqual(cache.get({}, 't3'), undefined, 'another scope never sees it');
    assertEqual(cache.get(scope, 't3'), entry);
  }),
];

export default cases;
