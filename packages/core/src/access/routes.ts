import type { AccessRequirements, BodyLookups, OperationScope } from './requirements.js';
import { lazyFrozenList } from './lazy-list.js';
import { type ActionName, operation } from './operations.js';

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

/** What a route adds to its operation. */
interface RouteOptions {
  readonly tableActions?: readonly string[];
  readonly plainTextDenial?: boolean;
}

const PARAM = /\{([^}]+)\}/g;

function route(
  method: HttpMethod,
  pattern: string,
  action: ActionName,
  options: RouteOptions = {},
): RestRoute {
  const params = Array.from(pattern.matchAll(PARAM), (m) => m[1] as string);
  const { scope, requirements, bodyLookups } = operation(action);
  const built: RestRoute = {
    method,
    pattern,
    params: Object.freeze(params),
    ...(params.includes('collection_name') ? { collectionParam: 'collection_name' as const } : {}),
    scope,
    requirements,
    action,
    tableActions: Object.freeze(options.tableActions ?? [action]),
    ...(bodyLookups ? { bodyLookups } : {}),
    ...(options.plainTextDenial ? { plainTextDenial: true } : {}),
  };
  return Object.freeze(built);
}

/** Actions on the collection named in the path, grouped by path prefix. */
const C = '/collections/{collection_name}';
const SHARD = `${C}/shards/{shard}`;

const CLUSTER_SETUP_ACTIONS = [
  'replicate_shard_operation',
  'create_default_shard_key_operation',
  'create_custom_shard_key_operation',
  'drop_shard_key_operation',
  'move_shard_operation',
  'abort_shard_transfer_operation',
  'drop_shard_replica_operation',
  'restart_transfer_operation',
];

function buildRestRoutes(): readonly RestRoute[] {
  return Object.freeze([
    // Service and health (src/actix/mod.rs, api/service_api.rs)
    route('GET', '/', 'root'),
    route('GET', '/healthz', 'healthz'),
    route('GET', '/livez', 'livez'),
    route('GET', '/readyz', 'readyz'),
    route('GET', '/telemetry', 'telemetry'),
    route('GET', '/metrics', 'metrics'),
    route('GET', '/stacktrace', 'get_stacktrace'),
    route('GET', '/logger', 'get_logger_config'),
    route('POST', '/logger', 'update_logger_config'),
    route('GET', '/issues', 'get_issues'),
    route('DELETE', '/issues', 'clear_issues'),
    route('GET', '/debugger', 'get_debugger_config'),
    route('PATCH', '/debugger', 'update_debugger_config'),
    route('GET', '/profiler/slow_requests', 'get_slow_requests'),
    route('POST', '/audit/logs', 'get_audit_logs'),
    route('GET', '/quotas', 'get_quotas'),
    route('PUT', '/quotas', 'update_quotas'),

    // Cluster (api/cluster_api.rs)
    route('GET', '/cluster', 'get_cluster'),
    route('GET', '/cluster/telemetry', 'cluster_telemetry'),
    route('POST', '/cluster/recover', 'recover_raft_state'),
    route('DELETE', '/cluster/peer/{peer_id}', 'delete_peer'),
    route('GET', '/cluster/metadata/keys', 'get_cluster_metadata_keys'),
    route('GET', '/cluster/metadata/keys/{key}', 'get_cluster_metadata_key'),
    route('PUT', '/cluster/metadata/keys/{key}', 'update_cluster_metadata_key'),
    route('DELETE', '/cluster/metadata/keys/{key}', 'delete_cluster_metadata_key'),

    // Collections (api/collections_api.rs, api/shards_api.rs)
    route('GET', '/collections', 'list_collections'),
    route('GET', '/aliases', 'list_aliases'),
    route('POST', '/collections/aliases', 'update_aliases', {
      tableActions: ['create_alias', 'rename_alias', 'delete_alias'],
    }),
    route('GET', C, 'get_collection'),
    route('PUT', C, 'create_collection'),
    route('PATCH', C, 'update_collection_params'),
    route('DELETE', C, 'delete_collection'),
    route('GET', `${C}/exists`, 'collection_exists'),
    route('GET', `${C}/aliases`, 'list_collection_aliases'),
    route('GET', `${C}/cluster`, 'get_collection_cluster_info'),
    route('POST', `${C}/cluster`, 'update_collection_cluster', {
      tableActions: CLUSTER_SETUP_ACTIONS,
    }),
    route('GET', `${C}/optimizations`, 'get_optimizations'),
    route('GET', `${C}/memory`, 'get_collection_memory'),
    route('GET', `${C}/shards`, 'list_shard_keys'),
    route('PUT', `${C}/shards`, 'create_shard_key', {
      tableActions: ['create_default_shard_key', 'create_custom_shard_key'],
    }),
    route('POST', `${C}/shards/delete`, 'delete_shard_key'),
    route('POST', `${C}/truncate_unapplied_wal`, 'truncate_unapplied_wal'),

    // Payload indexes and named vectors (api/update_api.rs, api/vector_name_api.rs)
    route('PUT', `${C}/index`, 'create_index'),
    route('DELETE', `${C}/index/{field_name}`, 'delete_index'),
    route('PUT', `${C}/vectors/{vector_name}`, 'create_vector_name'),
    route('DELETE', `${C}/vectors/{vector_name}`, 'delete_vector_name'),

    // Points: writes (api/update_api.rs)
    route('PUT', `${C}/points`, 'upsert_points'),
    route('POST', `${C}/points/batch`, 'update_points_batch'),
    route('POST', `${C}/points/delete`, 'delete_points'),
    route('PUT', `${C}/points/vectors`, 'update_vectors'),
    route('POST', `${C}/points/vectors/delete`, 'delete_vectors'),
    route('POST', `${C}/points/payload`, 'set_payload'),
    route('PUT', `${C}/points/payload`, 'overwrite_payload'),
    route('POST', `${C}/points/payload/delete`, 'delete_payload'),
    route('POST', `${C}/points/payload/clear`, 'clear_payload'),
    // Staging builds only: a staging operation is a point write.
    route('POST', `${C}/debug`, 'staging_operation'),

    // Points: reads (retrieve, count, search, recommend, discover, query, facet)
    route('GET', `${C}/points/{id}`, 'get_point'),
    route('POST', `${C}/points`, 'get_points'),
    route('POST', `${C}/points/scroll`, 'scroll_points'),
    route('POST', `${C}/points/count`, 'count_points'),
    route('POST', `${C}/points/search`, 'search_points'),
    route('POST', `${C}/points/search/batch`, 'search_points_batch'),
    route('POST', `${C}/points/search/groups`, 'search_point_groups'),
    route('POST', `${C}/points/search/matrix/pairs`, 'search_points_matrix_pairs'),
    route('POST', `${C}/points/search/matrix/offsets`, 'search_points_matrix_offsets'),
    route('POST', `${C}/points/recommend`, 'recommend_points'),
    route('POST', `${C}/points/recommend/batch`, 'recommend_points_batch'),
    route('POST', `${C}/points/recommend/groups`, 'recommend_point_groups'),
    route('POST', `${C}/points/discover`, 'discover_points'),
    route('POST', `${C}/points/discover/batch`, 'discover_points_batch'),
    route('POST', `${C}/points/query`, 'query_points'),
    route('POST', `${C}/points/query/batch`, 'query_batch_points'),
    route('POST', `${C}/points/query/groups`, 'query_points_groups'),
    route('POST', `${C}/facet`, 'facet'),

    // Collection snapshots (api/snapshot_api.rs, common/collections.rs, storage snapshots)
    route('GET', `${C}/snapshots`, 'list_collection_snapshots'),
    route('POST', `${C}/snapshots`, 'create_collection_snapshot'),
    route('POST', `${C}/snapshots/upload`, 'upload_collection_snapshot', { plainTextDenial: true }),
    route('PUT', `${C}/snapshots/recover`, 'recover_collection_snapshot'),
    route('GET', `${C}/snapshots/{snapshot_name}`, 'download_collection_snapshot'),
    route('DELETE', `${C}/snapshots/{snapshot_name}`, 'delete_collection_snapshot'),

    // Shard snapshots and partial snapshots (api/snapshot_api.rs, common/snapshots.rs)
    route('GET', `${SHARD}/snapshots`, 'list_shard_snapshots'),
    route('POST', `${SHARD}/snapshots`, 'create_shard_snapshot'),
    route('POST', `${SHARD}/snapshots/upload`, 'upload_shard_snapshot', { plainTextDenial: true }),
    route('PUT', `${SHARD}/snapshots/recover`, 'recover_shard_snapshot'),
    route('GET', `${SHARD}/snapshots/{snapshot}`, 'download_shard_snapshot'),
    route('DELETE', `${SHARD}/snapshots/{snapshot}`, 'delete_shard_snapshot'),
    route('GET', `${SHARD}/snapshot`, 'stream_shard_snapshot'),
    route('POST', `${SHARD}/snapshot/partial/create`, 'create_partial_snapshot'),
    route('POST', `${SHARD}/snapshot/partial/recover`, 'recover_partial_snapshot', {
      plainTextDenial: true,
    }),
    route('POST', `${SHARD}/snapshot/partial/recover_from`, 'recover_partial_snapshot_from'),
    route('GET', `${SHARD}/snapshot/partial/manifest`, 'get_partial_snapshot_manifest'),

    // Local shard operations (api/local_shard_api.rs, api/debug_api.rs)
    route('POST', `${SHARD}/points`, 'get_shard_points'),
    route('POST', `${SHARD}/points/scroll`, 'scroll_shard_points'),
    route('POST', `${SHARD}/points/count`, 'count_shard_points'),
    route('POST', `${SHARD}/cleanup`, 'cleanup_shard'),
    route('GET', `${SHARD}/wal`, 'get_shard_wal'),
    route('GET', `${SHARD}/recovery_point`, 'get_shard_recovery_point'),

    // Full snapshots (storage content_manager/snapshots)
    route('GET', '/snapshots', 'list_full_snapshots'),
    route('POST', '/snapshots', 'create_full_snapshot'),
    route('GET', '/snapshots/{snapshot_name}', 'download_full_snapshot'),
    route('DELETE', '/snapshots/{snapshot_name}', 'delete_full_snapshot'),
  ]);
}

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
