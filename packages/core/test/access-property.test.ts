// Property-based: the normaliser, router and authorizers are total (never throw) and consistent.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Access,
  authorizeGrpc,
  authorizeRequest,
  grpcMethods,
  isExemptPath,
  matchRoute,
  normalisePath,
  requestNeedsBody,
  restRoutes,
} from '../src/access/index.js';

const methods = fc.constantFrom(
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'HEAD',
  'OPTIONS',
  'get',
  '',
);
const segment = fc.oneof(
  fc.constantFrom(
    'collections',
    'points',
    'query',
    'search',
    'snapshots',
    'shards',
    '..',
    '.',
    '%2F',
    '%2f',
    '%25',
    '%',
    '%FF',
    'healthz',
    'aliases',
  ),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
);
const paths = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc
    .array(segment, { maxLength: 9 })
    .map((s) => `/${s.join(fc.sample(fc.constantFrom('/', '//'), 1)[0])}`),
  fc.constantFrom(...restRoutes.map((r) => r.pattern.replace(/\{[^}]+\}/g, 'x'))),
);
const accesses: fc.Arbitrary<Access> = fc.oneof(
  fc.constantFrom<Access>({ kind: 'global', mode: 'r' }, { kind: 'global', mode: 'm' }),
  fc
    .array(
      fc.record({
        collection: fc.oneof(fc.constant('x'), fc.string()),
        access: fc.constantFrom('r', 'rw', 'prw') as fc.Arbitrary<'r' | 'rw' | 'prw'>,
      }),
      { maxLength: 4 },
    )
    .map((collections): Access => ({ kind: 'collections', collections })),
);

describe('access layer properties', () => {
  it('normalisePath never throws and leaves no repeated or trailing slash', () => {
    fc.assert(
      fc.property(paths, (path) => {
        const once = normalisePath(path);
        expect(typeof once).toBe('string');
        // A normalised path has no repeated slash and no trailing slash (except the root).
        expect(once.includes('//')).toBe(false);
        if (once.length > 1) expect(once.endsWith('/')).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('matchRoute, isExemptPath and requestNeedsBody never throw', () => {
    fc.assert(
      fc.property(methods, paths, (method, path) => {
        const matched = matchRoute(method, path);
        if (matched) {
          expect(matched.route.method).toBe(method);
          expect(matched.path).toBe(normalisePath(path));
        }
        expect(typeof isExemptPath(path)).toBe('boolean');
        expect(typeof requestNeedsBody(method, path)).toBe('boolean');
      }),
      { numRuns: 3000 },
    );
  });

  it('authorizeRequest never throws on any path and any JSON body, and denials are well-formed', () => {
    fc.assert(
      fc.property(accesses, methods, paths, fc.jsonValue(), (access, method, path, body) => {
        const result = authorizeRequest(access, { method, path, body });
        if (!result.ok) {
          expect([400, 403, 404]).toContain(result.status);
          if (result.status === 403) expect(result.message.startsWith('Forbidden: ')).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('authorizeRequest on body-reading routes with structured bodies never throws', () => {
    const lookup = fc.record({ collection: fc.oneof(fc.string(), fc.jsonValue()) });
    const prefetch: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      node: fc.record(
        {
          lookup_from: fc.option(lookup),
          prefetch: fc.option(fc.oneof(tie('node'), fc.array(tie('node'), { maxLength: 3 }))),
        },
        { requiredKeys: [] },
      ),
    })).node;
    const body = fc.record(
      {
        lookup_from: lookup,
        prefetch,
        with_lookup: fc.oneof(fc.string(), lookup),
        searches: fc.array(prefetch, { maxLength: 3 }),
      },
      { requiredKeys: [] },
    );
    const routes = restRoutes.filter((r) => r.bodyLookups);
    fc.assert(
      fc.property(accesses, fc.constantFrom(...routes), body, (access, route, b) => {
        const path = route.pattern.replace('{collection_name}', 'x');
        const result = authorizeRequest(access, { method: route.method, path, body: b });
        if (result.ok) expect(result.collections[0]).toBe('x');
      }),
      { numRuns: 2000 },
    );
  });

  it('hostile arguments (wrong types) give decisions, not exceptions', () => {
    const weird = [undefined, null, 1, {}, [], 'x', Symbol.for('x')];
    for (const a of weird) {
      for (const r of weird) {
        expect(() => authorizeRequest(a as never, r as never)).not.toThrow();
        expect(() => authorizeGrpc(a as never, r as never, r)).not.toThrow();
        expect(() => matchRoute(a as never, r as never)).not.toThrow();
        expect(() => normalisePath(r as never)).not.toThrow();
      }
    }
  });

  it('authorizeGrpc never throws on any method name and any message', () => {
    fc.assert(
      fc.property(
        accesses,
        fc.oneof(fc.string(), fc.constantFrom(...grpcMethods.map((m) => m.fullMethod))),
        fc.jsonValue(),
        (access, name, message) => {
          authorizeGrpc(access, name, message);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
