// Red-team cases of super-linear work on attacker-controlled input in core's readers and
// deciders (the gateway in key-hiding mode relies on them as the only check). Each case failed
// before its fix.
import { describe, expect, it } from 'vitest';
import { authorizeRequest, GLOBAL_READ, scanBody } from '../src/index.js';

describe('a body naming many distinct collections is decided in linear time', () => {
  // The names a body's lookups give were merged with `Array.includes` per name: quadratic, a
  // 2.4 MB query body with 60 000 distinct `lookup_from` names took about 5 s for a global key.
  const NAMES = 60_000;
  const body = {
    prefetch: Array.from({ length: NAMES }, (_, i) => ({ lookup_from: { collection: `c${i}` } })),
  };
  const request = { method: 'POST', path: '/collections/docs/points/query' } as const;

  it('as a parsed body', () => {
    const started = performance.now();
    const result = authorizeRequest(GLOBAL_READ, { ...request, body });
    expect(performance.now() - started).toBeLessThan(1500);
    expect(result.ok).toBe(true);
  });

  it('as a scanned body', () => {
    const scan = scanBody('query', JSON.stringify(body));
    expect(scan.collections).toHaveLength(NAMES);
    const started = performance.now();
    const result = authorizeRequest(GLOBAL_READ, { ...request, body: scan });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result.ok).toBe(true);
  });

  it('still refuses a collection key on the first name it does not grant', () => {
    const access = {
      kind: 'collections',
      collections: [{ collection: 'docs', access: 'r' }],
    } as const;
    const result = authorizeRequest(access, {
      ...request,
      body: {
        prefetch: [{ lookup_from: { collection: 'docs' } }, { lookup_from: { collection: 'c1' } }],
      },
    });
    expect(result.ok).toBe(false);
  });
});
