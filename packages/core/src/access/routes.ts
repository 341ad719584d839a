import {
  type AccessRequirements,
  type BodyLookups,
  EXTRAS,
  MANAGE,
  type OperationScope,
  READ,
  WRITE,
  WRITE_EXTRAS,
  WRITE_MANAGE_EXTRAS,
} from './requirements.js';

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

interface RouteOptions {
  readonly scope: OperationScope;
  readonly requirements?: AccessRequirements;
  readonly action: string;
  readonly tableActions?: readonly string[];
  readonly bodyLookups?: BodyLookups;
  readonly plainTextDenial?: boolean;
}

const PARAM = /\{([^}]+)\}/g;

function route(method: HttpMethod, pattern: string, options: RouteOptions): RestRoute {
  const params = Array.from(pattern.matchAll(PARAM), (m) => m[1] as string);
  const built: RestRoute = {
    method,
    pattern,
    params: Object.freeze(params),
    ...(params.includes('collection_name') ? { collectionParam: 'collection_name' as const } : {}),
    scope: options.scope,
    requirements: options.requirements ?? READ,
    action: options.action,
    tableActions: Object.freeze(options.tableActions ?? [options.action]),
    ...(options.bodyLookups ? { bodyLookups: options.bodyLookups } : {}),
    ...(options.plainTextDenial ? { plainTextDenial: true } : {}),
  };
  return Object.freeze(built);
}

// Shorthands keep the table one line per route.
const exempt = (action: string): RouteOptions => ({ scope: 'exempt', action });
const any = (action: string): RouteOptions => ({ scope: 'any', action });
const globalOp = (
  requirements: AccessRequirements,
  action: string,
  extra?: Partial<RouteOptions>,
) => ({
  scope: 'global' as const,
  requirements,
  action,
  ...extra,
});
const coll = (requirements: AccessRequirements, action: string, extra?: Partial<RouteOptions>) => ({
  scope: 'collection' as const,
  requirements,
  action,
  ...extra,
});
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

/**
 * Every REST route of Qdrant v1.19 (`qdrant-rest-routes.txt`), in upstream registration order
 * where it matters (it does not: no two routes with one method match the same path).
 */
export const restRoutes: readonly RestRoute[] = Object.freeze([
  // Service and health (src/actix/mod.rs, api/service_api.rs)
  route('GET', '/', exempt('root')),
  route('GET', '/healthz', exempt('healthz')),
  route('GET', '/livez', exempt('livez')),
  route('GET', '/readyz', exempt('readyz')),
  route('GET', '/telemetry', any('telemetry')),
  route('GET', '/metrics', globalOp(READ, 'metrics')),
  route('GET', '/stacktrace', globalOp(MANAGE, 'get_stacktrace')),
  route('GET', '/logger', globalOp(READ, 'get_logger_config')),
  route('POST', '/logger', globalOp(MANAGE, 'update_logger_config')),
  route('GET', '/issues', any('get_issues')),
  route('DELETE', '/issues', globalOp(MANAGE, 'clear_issues')),
  route('GET', '/debugger', globalOp(MANAGE, 'get_debugger_config')),
  route('PATCH', '/debugger', globalOp(MANAGE, 'update_debugger_config')),
  route('GET', '/profiler/slow_requests', globalOp(MANAGE, 'get_slow_requests')),
  route('POST', '/audit/logs', globalOp(MANAGE, 'get_audit_logs')),
  route('GET', '/quotas', globalOp(READ, 'get_quotas')),
  route('PUT', '/quotas', globalOp(MANAGE, 'update_quotas')),

  // Cluster (api/cluster_api.rs)
  route('GET', '/cluster', globalOp(READ, 'get_cluster')),
  route('GET', '/cluster/telemetry', any('cluster_telemetry')),
  route('POST', '/cluster/recover', globalOp(MANAGE, 'recover_raft_state')),
  route('DELETE', '/cluster/peer/{peer_id}', globalOp(MANAGE, 'delete_peer')),
  route('GET', '/cluster/metadata/keys', globalOp(READ, 'get_cluster_metadata_keys')),
  route('GET', '/cluster/metadata/keys/{key}', globalOp(READ, 'get_cluster_metadata_key')),
  // Upstream asks for `write` here; for a global key that is the same as manage.
  route('PUT', '/cluster/metadata/keys/{key}', globalOp(WRITE, 'update_cluster_metadata_key')),
  route('DELETE', '/cluster/metadata/keys/{key}', globalOp(WRITE, 'delete_cluster_metadata_key')),

  // Collections (api/collections_api.rs, api/shards_api.rs)
  route('GET', '/collections', any('list_collections')),
  route('GET', '/aliases', any('list_aliases')),
  route('POST', '/collections/aliases', {
    ...globalOp(MANAGE, 'update_aliases'),
    tableActions: ['create_alias', 'rename_alias', 'delete_alias'],
  }),
  route('GET', C, coll(READ, 'get_collection')),
  route('PUT', C, globalOp(MANAGE, 'create_collection')),
  route('PATCH', C, globalOp(MANAGE, 'update_collection_params')),
  route('DELETE', C, globalOp(MANAGE, 'delete_collection')),
  route('GET', `${C}/exists`, coll(READ, 'collection_exists')),
  route('GET', `${C}/aliases`, coll(READ, 'list_collection_aliases')),
  route('GET', `${C}/cluster`, coll(EXTRAS, 'get_collection_cluster_info')),
  route('POST', `${C}/cluster`, {
    ...coll(WRITE_MANAGE_EXTRAS, 'update_collection_cluster'),
    tableActions: CLUSTER_SETUP_ACTIONS,
  }),
  route('GET', `${C}/optimizations`, coll(READ, 'get_optimizations')),
  route('GET', `${C}/memory`, coll(READ, 'get_collection_memory')),
  route('GET', `${C}/shards`, coll(READ, 'list_shard_keys')),
  route('PUT', `${C}/shards`, {
    ...coll(WRITE_MANAGE_EXTRAS, 'create_shard_key'),
    tableActions: ['create_default_shard_key', 'create_custom_shard_key'],
  }),
  route('POST', `${C}/shards/delete`, coll(WRITE_MANAGE_EXTRAS, 'delete_shard_key')),
  route('POST', `${C}/truncate_unapplied_wal`, globalOp(MANAGE, 'truncate_unapplied_wal')),

  // Payload indexes and named vectors (api/update_api.rs, api/vector_name_api.rs)
  route('PUT', `${C}/index`, coll(WRITE_EXTRAS, 'create_index')),
  route('DELETE', `${C}/index/{field_name}`, coll(WRITE_EXTRAS, 'delete_index')),
  route('PUT', `${C}/vectors/{vector_name}`, coll(WRITE_EXTRAS, 'create_vector_name')),
  route('DELETE', `${C}/vectors/{vector_name}`, coll(WRITE_EXTRAS, 'delete_vector_name')),

  // Points: writes (api/update_api.rs)
  route('PUT', `${C}/points`, coll(WRITE, 'upsert_points')),
  route('POST', `${C}/points/batch`, coll(WRITE, 'update_points_batch')),
  route('POST', `${C}/points/delete`, coll(WRITE, 'delete_points')),
  route('PUT', `${C}/points/vectors`, coll(WRITE, 'update_vectors')),
  route('POST', `${C}/points/vectors/delete`, coll(WRITE, 'delete_vectors')),
  route('POST', `${C}/points/payload`, coll(WRITE, 'set_payload')),
  route('PUT', `${C}/points/payload`, coll(WRITE, 'overwrite_payload')),
  route('POST', `${C}/points/payload/delete`, coll(WRITE, 'delete_payload')),
  route('POST', `${C}/points/payload/clear`, coll(WRITE, 'clear_payload')),
  // Staging builds only: a staging operation is a point write.
  route('POST', `${C}/debug`, coll(WRITE, 'staging_operation')),

  // Points: reads (retrieve, count, search, recommend, discover, query, facet)
  route('GET', `${C}/points/{id}`, coll(READ, 'get_point')),
  route('POST', `${C}/points`, coll(READ, 'get_points')),
  route('POST', `${C}/points/scroll`, coll(READ, 'scroll_points')),
  route('POST', `${C}/points/count`, coll(READ, 'count_points')),
  route('POST', `${C}/points/search`, coll(READ, 'search_points')),
  route('POST', `${C}/points/search/batch`, coll(READ, 'search_points_batch')),
  route(
    'POST',
    `${C}/points/search/groups`,
    coll(READ, 'search_point_groups', { bodyLookups: 'search-groups' }),
  ),
  route('POST', `${C}/points/search/matrix/pairs`, coll(READ, 'search_points_matrix_pairs')),
  route('POST', `${C}/points/search/matrix/offsets`, coll(READ, 'search_points_matrix_offsets')),
  route(
    'POST',
    `${C}/points/recommend`,
    coll(READ, 'recommend_points', { bodyLookups: 'recommend' }),
  ),
  route(
    'POST',
    `${C}/points/recommend/batch`,
    coll(READ, 'recommend_points_batch', { bodyLookups: 'recommend-batch' }),
  ),
  route(
    'POST',
    `${C}/points/recommend/groups`,
    coll(READ, 'recommend_point_groups', { bodyLookups: 'recommend-groups' }),
  ),
  route('POST', `${C}/points/discover`, coll(READ, 'discover_points', { bodyLookups: 'discover' })),
  route(
    'POST',
    `${C}/points/discover/batch`,
    coll(READ, 'discover_points_batch', { bodyLookups: 'discover-batch' }),
  ),
  route('POST', `${C}/points/query`, coll(READ, 'query_points', { bodyLookups: 'query' })),
  route(
    'POST',
    `${C}/points/query/batch`,
    coll(READ, 'query_batch_points', { bodyLookups: 'query-batch' }),
  ),
  route(
    'POST',
    `${C}/points/query/groups`,
    coll(READ, 'query_points_groups', { bodyLookups: 'query-groups' }),
  ),
  route('POST', `${C}/facet`, coll(READ, 'facet')),

  // Collection snapshots (api/snapshot_api.rs, common/collections.rs, storage snapshots)
  route('GET', `${C}/snapshots`, coll(EXTRAS, 'list_collection_snapshots')),
  route('POST', `${C}/snapshots`, coll(WRITE_EXTRAS, 'create_collection_snapshot')),
  route(
    'POST',
    `${C}/snapshots/upload`,
    globalOp(MANAGE, 'upload_collection_snapshot', { plainTextDenial: true }),
  ),
  route('PUT', `${C}/snapshots/recover`, globalOp(MANAGE, 'recover_collection_snapshot')),
  route('GET', `${C}/snapshots/{snapshot_name}`, coll(EXTRAS, 'download_collection_snapshot')),
  route(
    'DELETE',
    `${C}/snapshots/{snapshot_name}`,
    coll(WRITE_EXTRAS, 'delete_collection_snapshot'),
  ),

  // Shard snapshots and partial snapshots (api/snapshot_api.rs, common/snapshots.rs)
  route('GET', `${SHARD}/snapshots`, coll(EXTRAS, 'list_shard_snapshots')),
  route('POST', `${SHARD}/snapshots`, coll(WRITE_EXTRAS, 'create_shard_snapshot')),
  route(
    'POST',
    `${SHARD}/snapshots/upload`,
    globalOp(MANAGE, 'upload_shard_snapshot', { plainTextDenial: true }),
  ),
  route('PUT', `${SHARD}/snapshots/recover`, globalOp(MANAGE, 'recover_shard_snapshot')),
  route('GET', `${SHARD}/snapshots/{snapshot}`, coll(EXTRAS, 'download_shard_snapshot')),
  route('DELETE', `${SHARD}/snapshots/{snapshot}`, coll(WRITE_EXTRAS, 'delete_shard_snapshot')),
  route('GET', `${SHARD}/snapshot`, coll(WRITE_EXTRAS, 'stream_shard_snapshot')),
  route('POST', `${SHARD}/snapshot/partial/create`, coll(WRITE_EXTRAS, 'create_partial_snapshot')),
  route(
    'POST',
    `${SHARD}/snapshot/partial/recover`,
    globalOp(MANAGE, 'recover_partial_snapshot', { plainTextDenial: true }),
  ),
  route(
    'POST',
    `${SHARD}/snapshot/partial/recover_from`,
    globalOp(MANAGE, 'recover_partial_snapshot_from'),
  ),
  // Upstream checks *global* access with `extras` here: any global key passes, no collection key does.
  route(
    'GET',
    `${SHARD}/snapshot/partial/manifest`,
    globalOp(EXTRAS, 'get_partial_snapshot_manifest'),
  ),

  // Local shard operations (api/local_shard_api.rs, api/debug_api.rs)
  route('POST', `${SHARD}/points`, coll(READ, 'get_shard_points')),
  route('POST', `${SHARD}/points/scroll`, coll(READ, 'scroll_shard_points')),
  route('POST', `${SHARD}/points/count`, coll(READ, 'count_shard_points')),
  route('POST', `${SHARD}/cleanup`, coll(WRITE, 'cleanup_shard')),
  route('GET', `${SHARD}/wal`, coll(WRITE_MANAGE_EXTRAS, 'get_shard_wal')),
  route('GET', `${SHARD}/recovery_point`, coll(WRITE_MANAGE_EXTRAS, 'get_shard_recovery_point')),

  // Full snapshots (storage content_manager/snapshots)
  route('GET', '/snapshots', globalOp(READ, 'list_full_snapshots')),
  route('POST', '/snapshots', globalOp(MANAGE, 'create_full_snapshot')),
  route('GET', '/snapshots/{snapshot_name}', globalOp(READ, 'download_full_snapshot')),
  route('DELETE', '/snapshots/{snapshot_name}', globalOp(MANAGE, 'delete_full_snapshot')),
]);
