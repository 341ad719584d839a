// One match per request: `matchRoute` carries everything a decision needs, `authorize` decides
// from it exactly as `authorizeRequest` does, and each action is declared once for REST and gRPC.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Access,
  authorize,
  authorizeRequest,
  grpcMethods,
  isExemptPath,
  matchRoute,
  requestNeedsBody,
  restRoutes,
} from '../src/access/index.js';

const accesses: Access[] = [
  { kind: 'global', mode: 'm' },
  { kind: 'global', mode: 'r' },
  { kind: 'collections', collections: [{ collection: 'docs', access: 'r' }] },
  {
    kind: 'collections',
    collections: [
      { collection: 'docs', access: 'rw' },
      { collection: 'other', access: 'prw' },
    ],
  },
];
const methods = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD');
// Concrete paths of every route (parameters filled in), plus exempt and unknown paths.
const paths = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(...restRoutes.map((r) => r.pattern)),
      fc.constantFrom('docs', 'other', 'a%2Fb', 'x'),
    )
    .map(([pattern, value]) => pattern.replace(/\{[^}]+\}/g, value)),
  fc.constantFrom('/', '/healthz', '//healthz/', '/livez?x=1', '/readyz', '/nope', ''),
);
const bodies = fc.constantFrom(
  undefined,
  {},
  { lookup_from: { collection: 'other' } },
  { prefetch: [{ lookup_from: { collection: 'secret' } }] },
  new TextEncoder().encode('{"lookup_from":{"collection":"secret"}}'),
);

describe('matchRoute + authorize', () => {
  it('authorize(access, matchRoute(method, path), body) is authorizeRequest', () => {
    fc.assert(
      fc.property(fc.constantFrom(...accesses), methods, paths, bodies, (access, m, p, body) => {
        const match = matchRoute(m, p);
        expect(authorize(access, match, body)).toEqual(
          authorizeRequest(access, { method: m, path: p, body }),
        );
      }),
      { numRuns: 3000 },
    );
  });

  it('a match says whether the path is exempt and which body shape names collections', () => {
    fc.assert(
      fc.property(methods, paths, (m, p) => {
        const match = matchRoute(m, p);
        if (match) {
          expect(match.exempt).toBe(isExemptPath(p));
          expect(match.bodyLookups).toBe(match.route.bodyLookups);
          expect(match.bodyLookups !== undefined).toBe(requestNeedsBody(m, p));
        }
      }),
      { numRuns: 3000 },
    );
    expect(matchRoute('GET', '//healthz/')?.exempt).toBe(true);
    expect(matchRoute('GET', '/collections/docs')?.exempt).toBe(false);
    expect(matchRoute('POST', '/collections/docs/points/query')?.bodyLookups).toBe('query');
    // Exemption is on the path, whatever the method (no POST route exists for `/healthz`).
    expect(matchRoute('POST', '/healthz')).toBeUndefined();
    expect(isExemptPath('/healthz')).toBe(true);
  });

  it('authorize never throws on a forged or hostile match', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
      },
    );
    const result = authorize({ kind: 'global', mode: 'r' }, hostile as never);
    expect(result.ok).toBe(false);
  });
});

describe('one operations table', () => {
  it('an action served over REST and gRPC has one scope and one requirements object', () => {
    let shared = 0;
    for (const method of grpcMethods) {
      for (const route of restRoutes.filter((r) => r.action === method.action)) {
        shared++;
        expect(route.scope, method.action).toBe(method.scope);
        expect(route.requirements, method.action).toBe(method.requirements);
        expect(route.bodyLookups, method.action).toBe(method.bodyLookups);
      }
    }
    expect(shared).toBeGreaterThanOrEqual(52);
  });
});
