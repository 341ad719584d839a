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

/** What one action asks of a key, whatever the transport (REST route or gRPC method). */
export interface Operation {
  readonly scope: OperationScope;
  readonly requirements: AccessRequirements;
  /** Set when the request (body or message) can name other collections. */
  readonly bodyLookups?: BodyLookups;
}

// Every action of the cluster's REST and gRPC APIs, each written once, one row per action:
// `action scope[ METHOD pattern[ bodyLookups]]`, rows separated by commas. REST routes
// (`routes.ts`, in this order) are the rows with a method and pattern; gRPC methods (`grpc.ts`)
// refer to rows by action (the few actions only gRPC has are in `grpc.ts`). Requirements come from each handler in qdrant/qdrant at 74f3e85b
// (v1.19.0); action names are those of `qdrant-access-table.json` where one exists, else the
// upstream handler's audit name. A packed string because it is most of what an app bundling
// `authorizeRequest` pays for, and parsed on first use.
//
// scope: `e` exempt and `a` any (both read); `g` global or `c` collection, then the requirement:
// `r` READ, `w` WRITE, `x` EXTRAS, `X` WRITE_EXTRAS, `m` MANAGE, `M` WRITE_MANAGE_EXTRAS.
// A scope ending in `!` marks an upload route whose 403 is plain text (`plainTextDenial`).
// In a pattern, `~` is `/collections/{collection_name}` and `^` is `~/shards/{shard}`.
const ACTIONS =
  // Service and health (src/actix/mod.rs, api/service_api.rs)
  'root e GET /,healthz e GET /healthz,livez e GET /livez,readyz e GET /readyz,' +
  'telemetry a GET /telemetry,metrics gr GET /metrics,get_stacktrace gm GET /stacktrace,' +
  'get_logger_config gr GET /logger,update_logger_config gm POST /logger,' +
  'get_issues a GET /issues,clear_issues gm DELETE /issues,' +
  'get_debugger_config gm GET /debugger,update_debugger_config gm PATCH /debugger,' +
  'get_slow_requests gm GET /profiler/slow_requests,get_audit_logs gm POST /audit/logs,' +
  'get_quotas gr GET /quotas,update_quotas gm PUT /quotas,' +
  // Cluster (api/cluster_api.rs). Upstream asks for `write` to update or delete a metadata key:
  // for a global key that is the same as manage.
  'get_cluster gr GET /cluster,cluster_telemetry a GET /cluster/telemetry,' +
  'recover_raft_state gm POST /cluster/recover,delete_peer gm DELETE /cluster/peer/{peer_id},' +
  'get_cluster_metadata_keys gr GET /cluster/metadata/keys,' +
  'get_cluster_metadata_key gr GET /cluster/metadata/keys/{key},' +
  'update_cluster_metadata_key gw PUT /cluster/metadata/keys/{key},' +
  'delete_cluster_metadata_key gw DELETE /cluster/metadata/keys/{key},' +
  // Collections (api/collections_api.rs, api/shards_api.rs)
  'list_collections a GET /collections,list_aliases a GET /aliases,' +
  'update_aliases gm POST /collections/aliases,get_collection cr GET ~,' +
  'create_collection gm PUT ~,update_collection_params gm PATCH ~,' +
  'delete_collection gm DELETE ~,collection_exists cr GET ~/exists,' +
  'list_collection_aliases cr GET ~/aliases,get_collection_cluster_info cx GET ~/cluster,' +
  'update_collection_cluster cM POST ~/cluster,get_optimizations cr GET ~/optimizations,' +
  'get_collection_memory cr GET ~/memory,list_shard_keys cr GET ~/shards,' +
  'create_shard_key cM PUT ~/shards,delete_shard_key cM POST ~/shards/delete,' +
  'truncate_unapplied_wal gm POST ~/truncate_unapplied_wal,' +
  // Payload indexes and named vectors (api/update_api.rs, api/vector_name_api.rs)
  'create_index cX PUT ~/index,delete_index cX DELETE ~/index/{field_name},' +
  'create_vector_name cX PUT ~/vectors/{vector_name},' +
  'delete_vector_name cX DELETE ~/vectors/{vector_name},' +
  // Points: writes (api/update_api.rs). Staging builds only: a staging operation is a point write.
  'upsert_points cw PUT ~/points,update_points_batch cw POST ~/points/batch,' +
  'delete_points cw POST ~/points/delete,update_vectors cw PUT ~/points/vectors,' +
  'delete_vectors cw POST ~/points/vectors/delete,set_payload cw POST ~/points/payload,' +
  'overwrite_payload cw PUT ~/points/payload,delete_payload cw POST ~/points/payload/delete,' +
  'clear_payload cw POST ~/points/payload/clear,staging_operation cw POST ~/debug,' +
  // Points: reads (retrieve, count, search, recommend, discover, query, facet)
  'get_point cr GET ~/points/{id},get_points cr POST ~/points,' +
  'scroll_points cr POST ~/points/scroll,count_points cr POST ~/points/count,' +
  'search_points cr POST ~/points/search,search_points_batch cr POST ~/points/search/batch,' +
  'search_point_groups cr POST ~/points/search/groups search-groups,' +
  'search_points_matrix_pairs cr POST ~/points/search/matrix/pairs,' +
  'search_points_matrix_offsets cr POST ~/points/search/matrix/offsets,' +
  'recommend_points cr POST ~/points/recommend recommend,' +
  'recommend_points_batch cr POST ~/points/recommend/batch recommend-batch,' +
  'recommend_point_groups cr POST ~/points/recommend/groups recommend-groups,' +
  'discover_points cr POST ~/points/discover discover,' +
  'discover_points_batch cr POST ~/points/discover/batch discover-batch,' +
  'query_points cr POST ~/points/query query,' +
  'query_batch_points cr POST ~/points/query/batch query-batch,' +
  'query_points_groups cr POST ~/points/query/groups query-groups,facet cr POST ~/facet,' +
  // Collection snapshots (api/snapshot_api.rs, common/collections.rs, storage snapshots)
  'list_collection_snapshots cx GET ~/snapshots,' +
  'create_collection_snapshot cX POST ~/snapshots,' +
  'upload_collection_snapshot gm! POST ~/snapshots/upload,' +
  'recover_collection_snapshot gm PUT ~/snapshots/recover,' +
  'download_collection_snapshot cx GET ~/snapshots/{snapshot_name},' +
  'delete_collection_snapshot cX DELETE ~/snapshots/{snapshot_name},' +
  // Shard snapshots and partial snapshots (api/snapshot_api.rs, common/snapshots.rs). The
  // partial snapshot manifest checks *global* access with `extras`: any global key passes, no
  // collection key does.
  'list_shard_snapshots cx GET ^/snapshots,create_shard_snapshot cX POST ^/snapshots,' +
  'upload_shard_snapshot gm! POST ^/snapshots/upload,' +
  'recover_shard_snapshot gm PUT ^/snapshots/recover,' +
  'download_shard_snapshot cx GET ^/snapshots/{snapshot},' +
  'delete_shard_snapshot cX DELETE ^/snapshots/{snapshot},' +
  'stream_shard_snapshot cX GET ^/snapshot,' +
  'create_partial_snapshot cX POST ^/snapshot/partial/create,' +
  'recover_partial_snapshot gm! POST ^/snapshot/partial/recover,' +
  'recover_partial_snapshot_from gm POST ^/snapshot/partial/recover_from,' +
  'get_partial_snapshot_manifest gx GET ^/snapshot/partial/manifest,' +
  // Local shard operations (api/local_shard_api.rs, api/debug_api.rs)
  'get_shard_points cr POST ^/points,scroll_shard_points cr POST ^/points/scroll,' +
  'count_shard_points cr POST ^/points/count,cleanup_shard cw POST ^/cleanup,' +
  'get_shard_wal cM GET ^/wal,get_shard_recovery_point cM GET ^/recovery_point,' +
  // Full snapshots (storage content_manager/snapshots)
  'list_full_snapshots gr GET /snapshots,create_full_snapshot gm POST /snapshots,' +
  'download_full_snapshot gr GET /snapshots/{snapshot_name},' +
  'delete_full_snapshot gm DELETE /snapshots/{snapshot_name}';

/** The name of an action in the operations table. */
export type ActionName =
  | 'root'
  | 'healthz'
  | 'livez'
  | 'readyz'
  | 'telemetry'
  | 'metrics'
  | 'get_stacktrace'
  | 'get_logger_config'
  | 'update_logger_config'
  | 'get_issues'
  | 'clear_issues'
  | 'get_debugger_config'
  | 'update_debugger_config'
  | 'get_slow_requests'
  | 'get_audit_logs'
  | 'get_quotas'
  | 'update_quotas'
  | 'get_cluster'
  | 'cluster_telemetry'
  | 'recover_raft_state'
  | 'delete_peer'
  | 'get_cluster_metadata_keys'
  | 'get_cluster_metadata_key'
  | 'update_cluster_metadata_key'
  | 'delete_cluster_metadata_key'
  | 'list_collections'
  | 'list_aliases'
  | 'update_aliases'
  | 'get_collection'
  | 'create_collection'
  | 'update_collection_params'
  | 'delete_collection'
  | 'collection_exists'
  | 'list_collection_aliases'
  | 'get_collection_cluster_info'
  | 'update_collection_cluster'
  | 'get_optimizations'
  | 'get_collection_memory'
  | 'list_shard_keys'
  | 'create_shard_key'
  | 'delete_shard_key'
  | 'truncate_unapplied_wal'
  | 'create_index'
  | 'delete_index'
  | 'create_vector_name'
  | 'delete_vector_name'
  | 'upsert_points'
  | 'update_points_batch'
  | 'delete_points'
  | 'update_vectors'
  | 'delete_vectors'
  | 'set_payload'
  | 'overwrite_payload'
  | 'delete_payload'
  | 'clear_payload'
  | 'staging_operation'
  | 'get_point'
  | 'get_points'
  | 'scroll_points'
  | 'count_points'
  | 'search_points'
  | 'search_points_batch'
  | 'search_point_groups'
  | 'search_points_matrix_pairs'
  | 'search_points_matrix_offsets'
  | 'recommend_points'
  | 'recommend_points_batch'
  | 'recommend_point_groups'
  | 'discover_points'
  | 'discover_points_batch'
  | 'query_points'
  | 'query_batch_points'
  | 'query_points_groups'
  | 'facet'
  | 'list_collection_snapshots'
  | 'create_collection_snapshot'
  | 'upload_collection_snapshot'
  | 'recover_collection_snapshot'
  | 'download_collection_snapshot'
  | 'delete_collection_snapshot'
  | 'list_shard_snapshots'
  | 'create_shard_snapshot'
  | 'upload_shard_snapshot'
  | 'recover_shard_snapshot'
  | 'download_shard_snapshot'
  | 'delete_shard_snapshot'
  | 'stream_shard_snapshot'
  | 'create_partial_snapshot'
  | 'recover_partial_snapshot'
  | 'recover_partial_snapshot_from'
  | 'get_partial_snapshot_manifest'
  | 'get_shard_points'
  | 'scroll_shard_points'
  | 'count_shard_points'
  | 'cleanup_shard'
  | 'get_shard_wal'
  | 'get_shard_recovery_point'
  | 'list_full_snapshots'
  | 'create_full_snapshot'
  | 'download_full_snapshot'
  | 'delete_full_snapshot'
  | GrpcOnlyActionName;

const REQUIREMENTS: Record<string, AccessRequirements> = {
  r: READ,
  w: WRITE,
  x: EXTRAS,
  X: WRITE_EXTRAS,
  m: MANAGE,
  M: WRITE_MANAGE_EXTRAS,
};
const SCOPES: Record<string, OperationScope> = {
  e: 'exempt',
  a: 'any',
  g: 'global',
  c: 'collection',
};

let rows: readonly (readonly string[])[] | undefined;
let operations: Map<string, Operation> | undefined;

/** The rows of the actions table, split into their fields (on first use). */
export function actionRows(): readonly (readonly string[])[] {
  rows ??= ACTIONS.split(',').map((row) => row.split(' '));
  return rows;
}

/** Actions only gRPC has; their rows are in `grpc.ts`. */
export type GrpcOnlyActionName =
  | 'reflection'
  | 'storage_read_list_files'
  | 'storage_read_file_exists'
  | 'storage_read_file_length'
  | 'storage_read_read_bytes'
  | 'storage_read_read_bytes_stream'
  | 'storage_read_read_whole'
  | 'storage_read_read_batch';

/** The operation of a scope code of the actions table (`cr`, `gm`...). */
export function operationOfCode(code: string, bodyLookups?: string): Operation {
  const requirements = REQUIREMENTS[code[1] ?? 'r'] as AccessRequirements;
  const scope = SCOPES[code[0] as string] as OperationScope;
  return bodyLookups
    ? { scope, requirements, bodyLookups: bodyLookups as BodyLookups }
    : { scope, requirements };
}

/** Freezes the shared requirement objects before any operation hands one out. */
export function freezeRequirements(): void {
  for (const shared of [READ, WRITE, EXTRAS, WRITE_EXTRAS, MANAGE, WRITE_MANAGE_EXTRAS]) {
    Object.freeze(shared);
  }
}

/** The operation of an action with a REST route (the table is built on first use). */
export function operation(name: Exclude<ActionName, GrpcOnlyActionName>): Operation {
  if (operations === undefined) {
    freezeRequirements();
    const built = new Map<string, Operation>();
    for (const [action, code, , , bodyLookups] of actionRows()) {
      built.set(action as string, operationOfCode(code as string, bodyLookups));
    }
    operations = built;
  }
  return operations.get(name) as Operation;
}
