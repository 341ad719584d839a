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

const exempt = (): Operation => ({ scope: 'exempt', requirements: READ });
const any = (): Operation => ({ scope: 'any', requirements: READ });
const globalOp = (requirements: AccessRequirements): Operation => ({
  scope: 'global',
  requirements,
});
const coll = (requirements: AccessRequirements, bodyLookups?: BodyLookups): Operation =>
  bodyLookups
    ? { scope: 'collection', requirements, bodyLookups }
    : { scope: 'collection', requirements };

/**
 * Every action of the cluster's REST and gRPC APIs, each written once: REST routes
 * (`routes.ts`) and gRPC methods (`grpc.ts`) refer to these by name. Requirements come from
 * each handler in qdrant/qdrant at 74f3e85b (v1.19.0); action names are those of
 * `qdrant-access-table.json` where one exists, else the upstream handler's audit name.
 */
const buildOperations = () =>
  ({
    root: exempt(),
    healthz: exempt(),
    livez: exempt(),
    readyz: exempt(),
    telemetry: any(),
    metrics: globalOp(READ),
    get_stacktrace: globalOp(MANAGE),
    get_logger_config: globalOp(READ),
    update_logger_config: globalOp(MANAGE),
    get_issues: any(),
    clear_issues: globalOp(MANAGE),
    get_debugger_config: globalOp(MANAGE),
    update_debugger_config: globalOp(MANAGE),
    get_slow_requests: globalOp(MANAGE),
    get_audit_logs: globalOp(MANAGE),
    get_quotas: globalOp(READ),
    update_quotas: globalOp(MANAGE),
    get_cluster: globalOp(READ),
    cluster_telemetry: any(),
    recover_raft_state: globalOp(MANAGE),
    delete_peer: globalOp(MANAGE),
    get_cluster_metadata_keys: globalOp(READ),
    get_cluster_metadata_key: globalOp(READ),
    // Upstream asks for `write` here; for a global key that is the same as manage.
    update_cluster_metadata_key: globalOp(WRITE),
    delete_cluster_metadata_key: globalOp(WRITE),
    list_collections: any(),
    list_aliases: any(),
    update_aliases: globalOp(MANAGE),
    get_collection: coll(READ),
    create_collection: globalOp(MANAGE),
    update_collection_params: globalOp(MANAGE),
    delete_collection: globalOp(MANAGE),
    collection_exists: coll(READ),
    list_collection_aliases: coll(READ),
    get_collection_cluster_info: coll(EXTRAS),
    update_collection_cluster: coll(WRITE_MANAGE_EXTRAS),
    get_optimizations: coll(READ),
    get_collection_memory: coll(READ),
    list_shard_keys: coll(READ),
    create_shard_key: coll(WRITE_MANAGE_EXTRAS),
    delete_shard_key: coll(WRITE_MANAGE_EXTRAS),
    truncate_unapplied_wal: globalOp(MANAGE),
    create_index: coll(WRITE_EXTRAS),
    delete_index: coll(WRITE_EXTRAS),
    create_vector_name: coll(WRITE_EXTRAS),
    delete_vector_name: coll(WRITE_EXTRAS),
    upsert_points: coll(WRITE),
    update_points_batch: coll(WRITE),
    delete_points: coll(WRITE),
    update_vectors: coll(WRITE),
    delete_vectors: coll(WRITE),
    set_payload: coll(WRITE),
    overwrite_payload: coll(WRITE),
    delete_payload: coll(WRITE),
    clear_payload: coll(WRITE),
    // Staging builds only: a staging operation is a point write.
    staging_operation: coll(WRITE),
    get_point: coll(READ),
    get_points: coll(READ),
    scroll_points: coll(READ),
    count_points: coll(READ),
    search_points: coll(READ),
    search_points_batch: coll(READ),
    search_point_groups: coll(READ, 'search-groups'),
    search_points_matrix_pairs: coll(READ),
    search_points_matrix_offsets: coll(READ),
    recommend_points: coll(READ, 'recommend'),
    recommend_points_batch: coll(READ, 'recommend-batch'),
    recommend_point_groups: coll(READ, 'recommend-groups'),
    discover_points: coll(READ, 'discover'),
    discover_points_batch: coll(READ, 'discover-batch'),
    query_points: coll(READ, 'query'),
    query_batch_points: coll(READ, 'query-batch'),
    query_points_groups: coll(READ, 'query-groups'),
    facet: coll(READ),
    list_collection_snapshots: coll(EXTRAS),
    create_collection_snapshot: coll(WRITE_EXTRAS),
    upload_collection_snapshot: globalOp(MANAGE),
    recover_collection_snapshot: globalOp(MANAGE),
    download_collection_snapshot: coll(EXTRAS),
    delete_collection_snapshot: coll(WRITE_EXTRAS),
    list_shard_snapshots: coll(EXTRAS),
    create_shard_snapshot: coll(WRITE_EXTRAS),
    upload_shard_snapshot: globalOp(MANAGE),
    recover_shard_snapshot: globalOp(MANAGE),
    download_shard_snapshot: coll(EXTRAS),
    delete_shard_snapshot: coll(WRITE_EXTRAS),
    stream_shard_snapshot: coll(WRITE_EXTRAS),
    create_partial_snapshot: coll(WRITE_EXTRAS),
    recover_partial_snapshot: globalOp(MANAGE),
    recover_partial_snapshot_from: globalOp(MANAGE),
    // Upstream checks *global* access with `extras` here: any global key passes, no collection key does.
    get_partial_snapshot_manifest: globalOp(EXTRAS),
    get_shard_points: coll(READ),
    scroll_shard_points: coll(READ),
    count_shard_points: coll(READ),
    cleanup_shard: coll(WRITE),
    get_shard_wal: coll(WRITE_MANAGE_EXTRAS),
    get_shard_recovery_point: coll(WRITE_MANAGE_EXTRAS),
    list_full_snapshots: globalOp(READ),
    create_full_snapshot: globalOp(MANAGE),
    download_full_snapshot: globalOp(READ),
    delete_full_snapshot: globalOp(MANAGE),
    // Reflection has no access check of its own: any accepted key may use it.
    reflection: any(),
    storage_read_list_files: coll(READ),
    storage_read_file_exists: coll(READ),
    storage_read_file_length: coll(READ),
    storage_read_read_bytes: coll(READ),
    storage_read_read_bytes_stream: coll(READ),
    storage_read_read_whole: coll(READ),
    storage_read_read_batch: coll(READ),
  }) satisfies Record<string, Operation>;

let operations: ReturnType<typeof buildOperations> | undefined;

/** The name of an action in the operations table. */
export type ActionName = keyof ReturnType<typeof buildOperations>;

/** The operation of an action (the table is built on first use). */
export function operation(name: ActionName): Operation {
  if (operations === undefined) {
    for (const shared of [READ, WRITE, EXTRAS, WRITE_EXTRAS, MANAGE, WRITE_MANAGE_EXTRAS]) {
      Object.freeze(shared);
    }
    operations = buildOperations();
  }
  return operations[name];
}
