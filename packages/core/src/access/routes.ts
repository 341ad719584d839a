import type { AccessRequirements, BodyLookups, OperationScope } from './requirements.js';
import { lazyFrozenList } from './lazy-list.js';
import { type ActionName, actionRows, type GrpcOnlyActionName, operation } from './operations.js';

type RestActionName = Exclude<ActionName, GrpcOnlyActionName>;

/** HTTP methods Qdrant's REST API registers routes for. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One REST route of Qdrant v1.19 and what it asks of a key.
 *
 * This table is the single source for the router, the authorizer, the docs' matrix and the
 * workbench. Requirements come from each handler in qdrant/qdrant at 74f3e85b (v1.19.0).
 */
export interface RestRoute {
  readonly method: HttpMethod;
  /** actix pattern, e.g. `/collections/{collection_name}/points/search`. */
  readonly pattern: string;
  /** Names of the `{...}` parameters, in path order. */
  readonly params: readonly string[];
  /** The path parameter naming the collection, when there is one. */
  readonly collectionParam?: 'collection_name';
  readonly scope: OperationScope;
  readonly requirements: AccessRequirements;
  /** Operation name: the access-table action when one exists, else the upstream handler's audit name. */
  readonly action: string;
  /** Every action of `qdrant-access-table.json` served by this route (several ops share some routes). */
  readonly tableActions: readonly string[];
  /** Set when the body can name other collections (`lookup_from`, `with_lookup`, prefetch). */
  readonly bodyLookups?: BodyLookups;
  /**
   * Set on multipart upload routes whose 403 is decided before the body is read and is sent as
   * plain text (`Forbidden: ...`), not the usual JSON error.
   */
  readonly plainTextDenial?: boolean;
}

const PARAM = /\{([^}]+)\}/g;
const COLLECTION = '/collections/{collection_name}';

/** `tableActions` of the routes that serve several actions of the access table. */
const TABLE_ACTIONS: Partial<Record<string, readonly string[]>> = {
  update_aliases: ['create_alias', 'rename_alias', 'delete_alias'],
  update_collection_cluster: [
    'replicate_shard_operation',
    'create_default_shard_key_operation',
    'create_custom_shard_key_operation',
    'drop_shard_key_operation',
    'move_shard_operation',
    'abort_shard_transfer_operation',
    'drop_shard_replica_operation',
    'restart_transfer_operation',
  ],
  create_shard_key: ['create_default_shard_key', 'create_custom_shard_key'],
};

function route(row: readonly string[]): RestRoute {
  const [action, scopeCode, method, packed] = row as [RestActionName, string, HttpMethod, string];
  const pattern = packed.replace('^', '~/shards/{shard}').replace('~', COLLECTION);
  const params = Array.from(pattern.matchAll(PARAM), (m) => m[1] as string);
  const { scope, requirements, bodyLookups } = operation(action);
  // Built field by field, in the order of `RestRoute`; optional fields only when set.
  const built: { -readonly [K in keyof RestRoute]: RestRoute[K] } = {
    method,
    pattern,
    params: Object.freeze(params),
  } as RestRoute;
  if (params.includes('collection_name')) built.collectionParam = 'collection_name';
  built.scope = scope;
  built.requirements = requirements;
  built.action = action;
  built.tableActions = Object.freeze(TABLE_ACTIONS[action] ?? [action]);
  if (bodyLookups) built.bodyLookups = bodyLookups;
  if (scopeCode.endsWith('!')) built.plainTextDenial = true;
  return Object.freeze(built);
}

// The rows of the actions table (`operations.ts`) with a method are the REST routes, in order.
const buildRestRoutes = (): readonly RestRoute[] =>
  Object.freeze(
    actionRows()
      .filter((row) => row.length > 2)
      .map(route),
  );

/**
 * Every REST route of Qdrant v1.19 (`qdrant-rest-routes.txt`), in upstream registration order
 * where it matters (it does not: no two routes with one method match the same path).
 */
export const restRoutes: readonly RestRoute[] = /* @__PURE__ */ lazyFrozenList(routeTable);

let table: readonly RestRoute[] | undefined;

/** The route table, built on first use (the router reads it here, not through the proxy). */
export function routeTable(): readonly RestRoute[] {
  table ??= buildRestRoutes();
  return table;
}
