// Every row of upstream's access table, decided for every access kind, REST and gRPC.
import {
  authorizeGrpc,
  authorizeRequest,
  isExemptGrpcMethod,
  isExemptPath,
  matchRoute,
  restRoutes,
} from '@qdrant-kit/core';
import { assert, assertEqual, type TestCase, test } from '@qdrant-kit/runtime-harness/suite';
import {
  accessFor,
  COLUMNS,
  concreteRequest,
  expected,
  isAllowed,
  parseRouteList,
  rows,
} from './access-fixtures.js';

const cases: TestCase[] = [];

for (const row of rows) {
  if (row.rest) {
    const request = concreteRequest(row.rest);
    cases.push(
      test(`REST ${row.action} (${row.rest}) is decided as the table says for every access kind`, () => {
        const matched = matchRoute(request.method, request.path);
        assert(matched, `no route for ${row.rest}`);
        assert(
          matched.route.tableActions.includes(row.action),
          `${row.rest} matched ${matched.pattern} whose actions ${matched.route.tableActions.join(',')} lack ${row.action}`,
        );
        for (const column of COLUMNS) {
          const result = authorizeRequest(accessFor(column), {
            method: request.method,
            path: request.path,
            body: {},
          });
          assertEqual(
            isAllowed(result),
            expected(row, column),
            `${row.rest} for ${column}: ${JSON.stringify(result)}`,
          );
          if (!result.ok) assert(result.message.startsWith('Forbidden: '), result.message);
        }
        assertEqual(isExemptPath(request.path), row.everything === true, `${row.rest} exempt`);
      }),
    );
  }
  if (row.grpc) {
    const fullMethod = `/${row.grpc}`;
    cases.push(
      test(`gRPC ${row.action} (${fullMethod}) is decided as the table says for every access kind`, () => {
        for (const column of COLUMNS) {
          const result = authorizeGrpc(accessFor(column), fullMethod, {
            collection_name: 'test_collection',
          });
          assertEqual(
            isAllowed(result),
            expected(row, column),
            `${fullMethod} for ${column}: ${JSON.stringify(result)}`,
          );
        }
        assertEqual(
          isExemptGrpcMethod(fullMethod),
          row.everything === true,
          `${fullMethod} exempt`,
        );
      }),
    );
  }
}

cases.push(
  test('every route of qdrant-rest-routes.txt is known, with its own pattern', (ctx) => {
    const listed = parseRouteList(ctx.env.QK_REST_ROUTES);
    assertEqual(listed.length > 90, true, 'route list looks truncated');
    for (const { method, pattern } of listed) {
      const { path } = concreteRequest(`${method} ${pattern}`);
      const matched = matchRoute(method, path);
      assert(matched, `${method} ${pattern} is unknown`);
      assertEqual(matched.pattern, pattern, `${method} ${path}`);
    }
    const known = new Set(listed.map((r) => `${r.method} ${r.pattern}`));
    for (const route of restRoutes) {
      assert(
        known.has(`${route.method} ${route.pattern}`),
        `${route.method} ${route.pattern} is not upstream`,
      );
    }
    assertEqual(restRoutes.length, listed.length, 'route count');
  }),
  test('no two routes of one method can match the same path (order cannot matter)', () => {
    const segs = (p: string) => (p === '/' ? [] : p.slice(1).split('/'));
    for (const a of restRoutes) {
      for (const b of restRoutes) {
        if (a === b || a.method !== b.method) continue;
        const sa = segs(a.pattern);
        const sb = segs(b.pattern);
        if (sa.length !== sb.length) continue;
        const overlap = sa.every(
          (s, i) => s === sb[i] || s.startsWith('{') || (sb[i] as string).startsWith('{'),
        );
        // With no overlap, the trie's static-first backtracking and actix's first-registered
        // match always pick the same route.
        if (overlap) assert(false, `${a.method} ${a.pattern} overlaps ${b.pattern}`);
      }
    }
  }),
);

export default cases;
