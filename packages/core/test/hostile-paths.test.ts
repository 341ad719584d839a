// Paths are attacker-chosen: normalising and matching one must take time linear in its length.
// A trailing-slash trim written as /\/+$/ backtracks quadratically on a long run of `/` that
// is followed by anything else (100 000 of them: seconds instead of a millisecond).
import { describe, expect, it } from 'vitest';
import { authorizeRequest, isExemptPath, matchRoute, normalisePath } from '../src/index.js';

const RUN = 100_000;

describe('hostile paths take linear time', () => {
  for (const [name, path] of [
    ['a run of slashes, then a segment', `${'/'.repeat(RUN)}a`],
    ['a run of slashes, then a query', `${'/'.repeat(RUN)}a?${'/'.repeat(RUN)}`],
    ['alternating slash and segment', '/a'.repeat(RUN / 2)],
    ['a run of slashes after a collection', `/collections/docs${'/'.repeat(RUN)}x/points`],
  ] as const) {
    it(name, () => {
      const started = performance.now();
      normalisePath(path);
      isExemptPath(path);
      matchRoute('POST', path);
      authorizeRequest({ kind: 'global', mode: 'r' }, { method: 'GET', path });
      // Linear work on 100-200 KB is about a millisecond; the quadratic trim took 5 s and more.
      expect(performance.now() - started).toBeLessThan(1000);
    });
  }

  it('still trims and merges as NormalizePath::trim() does', () => {
    expect(normalisePath(`${'/'.repeat(1000)}healthz${'/'.repeat(1000)}`)).toBe('/healthz');
    expect(isExemptPath(`//healthz//?${'/'.repeat(1000)}`)).toBe(true);
    expect(normalisePath('/collections//docs///points/?q#f')).toBe('/collections/docs/points');
  });
});
