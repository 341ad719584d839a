import { type AuthorizeDenied, type AuthorizeResult, decideOperation } from './authorize.js';
import { readGrpcRequest, UnreadableGrpcRequest } from './grpc-request.js';
import type { Access } from './model.js';
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

/** One gRPC method of the cluster's public API and what it asks of a key. */
export interface GrpcMethod {
  /** `/package.Service/Method`, e.g. `/qdrant.Points/Search`. */
  readonly fullMethod: string;
  readonly scope: OperationScope;
  readonly requirements: AccessRequirements;
  /** Access-table action name (`qdrant-access-table.json`) or the upstream handler's name. */
  readonly action: string;
  /** Set when the request message can name other collections. */
  readonly bodyLookups?: BodyLookups;
}

function method(
  fullMethod: string,
  scope: OperationScope,
  requirements: AccessRequirements,
  action: string,
  bodyLookups?: BodyLookups,
): GrpcMethod {
  return Object.freeze({
    fullMethod,
    scope,
    requirements,
    action,
    ...(bodyLookups ? { bodyLookups } : {}),
  });
}

/**
 * Every method the public gRPC port serves (Qdrant, Collections, Points, Snapshots,
 * StorageRead, health and reflection). Collection operations read the collection from the
 * request's `collection_name` (batches use the outer one, like upstream).
 */
export const grpcMethods: readonly GrpcMethod[] = Object.freeze([
  method('/qdrant.Qdrant/HealthCheck', 'exempt', READ, 'root'),
  method('/grpc.health.v1.Health/Check', 'exempt', READ, 'healthz'),
  // Reflection has no access check of its own: any accepted key may use it.
  method('/grpc.reflection.v1.ServerReflection/ServerReflectionInfo', 'any', READ, 'reflection'),
  method(
    '/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo',
    'any',
    READ,
    'reflection',
  ),

  method('/qdrant.Collections/List', 'any', READ, 'list_collections'),
  method('/qdrant.Collections/ListAliases', 'any', READ, 'list_aliases'),
  method('/qdrant.Collections/Get', 'collection', READ, 'get_collection'),
  method('/qdrant.Collections/CollectionExists', 'collection', READ, 'collection_exists'),
  method(
    '/qdrant.Collections/ListCollectionAliases',
    'collection',
    READ,
    'list_collection_aliases',
  ),
  method('/qdrant.Collections/Create', 'global', MANAGE, 'create_collection'),
  method('/qdrant.Collections/Update', 'global', MANAGE, 'update_collection_params'),
  method('/qdrant.Collections/Delete', 'global', MANAGE, 'delete_collection'),
  method('/qdrant.Collections/UpdateAliases', 'global', MANAGE, 'update_aliases'),
  method(
    '/qdrant.Collections/CollectionClusterInfo',
    'collection',
    EXTRAS,
    'get_collection_cluster_info',
  ),
  method(
    '/qdrant.Collections/UpdateCollectionClusterSetup',
    'collection',
    WRITE_MANAGE_EXTRAS,
    'update_collection_cluster',
  ),
  method('/qdrant.Collections/ListShardKeys', 'collection', READ, 'list_shard_keys'),
  method(
    '/qdrant.Collections/CreateShardKey',
    'collection',
    WRITE_MANAGE_EXTRAS,
    'create_shard_key',
  ),
  method(
    '/qdrant.Collections/DeleteShardKey',
    'collection',
    WRITE_MANAGE_EXTRAS,
    'delete_shard_key',
  ),

  method('/qdrant.Points/CreateFieldIndex', 'collection', WRITE_EXTRAS, 'create_index'),
  method('/qdrant.Points/DeleteFieldIndex', 'collection', WRITE_EXTRAS, 'delete_index'),
  method('/qdrant.Points/CreateVectorName', 'collection', WRITE_EXTRAS, 'create_vector_name'),
  method('/qdrant.Points/DeleteVectorName', 'collection', WRITE_EXTRAS, 'delete_vector_name'),
  method('/qdrant.Points/Upsert', 'collection', WRITE, 'upsert_points'),
  method('/qdrant.Points/UpdateBatch', 'collection', WRITE, 'update_points_batch'),
  method('/qdrant.Points/Delete', 'collection', WRITE, 'delete_points'),
  method('/qdrant.Points/UpdateVectors', 'collection', WRITE, 'update_vectors'),
  method('/qdrant.Points/DeleteVectors', 'collection', WRITE, 'delete_vectors'),
  method('/qdrant.Points/SetPayload', 'collection', WRITE, 'set_payload'),
  method('/qdrant.Points/OverwritePayload', 'collection', WRITE, 'overwrite_payload'),
  method('/qdrant.Points/DeletePayload', 'collection', WRITE, 'delete_payload'),
  method('/qdrant.Points/ClearPayload', 'collection', WRITE, 'clear_payload'),
  method('/qdrant.Points/Get', 'collection', READ, 'get_points'),
  method('/qdrant.Points/Scroll', 'collection', READ, 'scroll_points'),
  method('/qdrant.Points/Count', 'collection', READ, 'count_points'),
  method('/qdrant.Points/Search', 'collection', READ, 'search_points'),
  method('/qdrant.Points/SearchBatch', 'collection', READ, 'search_points_batch'),
  method('/qdrant.Points/SearchGroups', 'collection', READ, 'search_point_groups', 'search-groups'),
  method('/qdrant.Points/Recommend', 'collection', READ, 'recommend_points', 'recommend'),
  method(
    '/qdrant.Points/RecommendBatch',
    'collection',
    READ,
    'recommend_points_batch',
    'recommend-batch',
  ),
  method(
    '/qdrant.Points/RecommendGroups',
    'collection',
    READ,
    'recommend_point_groups',
    'recommend-groups',
  ),
  method('/qdrant.Points/Discover', 'collection', READ, 'discover_points', 'discover'),
  method(
    '/qdrant.Points/DiscoverBatch',
    'collection',
    READ,
    'discover_points_batch',
    'discover-batch',
  ),
  method('/qdrant.Points/Query', 'collection', READ, 'query_points', 'query'),
  method('/qdrant.Points/QueryBatch', 'collection', READ, 'query_batch_points', 'query-batch'),
  method('/qdrant.Points/QueryGroups', 'collection', READ, 'query_points_groups', 'query-groups'),
  method('/qdrant.Points/SearchMatrixPairs', 'collection', READ, 'search_points_matrix_pairs'),
  method('/qdrant.Points/SearchMatrixOffsets', 'collection', READ, 'search_points_matrix_offsets'),
  method('/qdrant.Points/Facet', 'collection', READ, 'facet'),

  method('/qdrant.Snapshots/List', 'collection', EXTRAS, 'list_collection_snapshots'),
  method('/qdrant.Snapshots/Create', 'collection', WRITE_EXTRAS, 'create_collection_snapshot'),
  method('/qdrant.Snapshots/Delete', 'collection', WRITE_EXTRAS, 'delete_collection_snapshot'),
  method('/qdrant.Snapshots/ListFull', 'global', READ, 'list_full_snapshots'),
  method('/qdrant.Snapshots/CreateFull', 'global', MANAGE, 'create_full_snapshot'),
  method('/qdrant.Snapshots/DeleteFull', 'global', MANAGE, 'delete_full_snapshot'),

  method('/qdrant.StorageRead/ListFiles', 'collection', READ, 'storage_read_list_files'),
  method('/qdrant.StorageRead/FileExists', 'collection', READ, 'storage_read_file_exists'),
  method('/qdrant.StorageRead/FileLength', 'collection', READ, 'storage_read_file_length'),
  method('/qdrant.StorageRead/ReadBytes', 'collection', READ, 'storage_read_read_bytes'),
  method(
    '/qdrant.StorageRead/ReadBytesStream',
    'collection',
    READ,
    'storage_read_read_bytes_stream',
  ),
  method('/qdrant.StorageRead/ReadWhole', 'collection', READ, 'storage_read_read_whole'),
  method('/qdrant.StorageRead/ReadBatch', 'collection', READ, 'storage_read_read_batch'),
]);

const byName = new Map(grpcMethods.map((m) => [m.fullMethod, m]));

/** Looks a gRPC method up by its full name (`/qdrant.Points/Search`; the leading `/` is optional). */
export function findGrpcMethod(fullMethod: string): GrpcMethod | undefined {
  if (typeof fullMethod !== 'string') return undefined;
  return byName.get(fullMethod.charCodeAt(0) === 47 ? fullMethod : `/${fullMethod}`);
}

/** Whether the cluster skips the key check for this gRPC method (the two health checks). */
export function isExemptGrpcMethod(fullMethod: string): boolean {
  return findGrpcMethod(fullMethod)?.scope === 'exempt';
}

function unreadable(reason: string): AuthorizeDenied {
  return {
    ok: false,
    status: 403,
    message: `Forbidden: Request message cannot be authorized: ${reason}`,
  };
}

const NOT_FOUND: AuthorizeDenied = Object.freeze({ ok: false, status: 404, message: 'Not Found' });

function isGlobalManage(access: Access): boolean {
  return (
    typeof access === 'object' && access !== null && access.kind === 'global' && access.mode === 'm'
  );
}

/**
 * Decides whether a key with `access` may call this gRPC method, as the cluster does: same
 * checks and `Forbidden: ...` messages as REST (the cluster sends them as PERMISSION_DENIED).
 * `request` is the request message as the object about to be encoded (snake_case or camelCase
 * fields); its `collection_name` and any lookups (`lookup_from`, `with_lookup`, prefetch, batch
 * entries) are read from it strictly (see `readGrpcRequest`): a message that spells a field both
 * ways with different values, names a collection through an inherited property or a getter, or
 * gives a non-string name is refused (403), since encoders could read it differently.
 * An unknown method passes only for global manage (`{ status: 404 }` otherwise; the cluster
 * answers UNIMPLEMENTED). Never throws, whatever it is given (proxies included).
 */
export function authorizeGrpc(
  access: Access,
  fullMethod: string,
  request?: unknown,
): AuthorizeResult {
  try {
    const found = findGrpcMethod(fullMethod);
    if (!found) {
      return isGlobalManage(access) ? { ok: true, route: undefined, collections: [] } : NOT_FOUND;
    }
    if (found.scope !== 'collection') {
      const { denial, collections } = decideOperation(access, found, undefined, undefined, true);
      return denial ?? { ok: true, route: undefined, collections };
    }
    const read = readGrpcRequest(found.bodyLookups, request);
    if (read instanceof UnreadableGrpcRequest) return unreadable(read.reason);
    const { denial, collections } = decideOperation(
      access,
      found,
      read.collection,
      read.body,
      true,
    );
    return denial ?? { ok: true, route: undefined, collections };
  } catch {
    // Only a hostile `access` (a proxy, a throwing getter) gets here.
    return unreadable('the access cannot be read');
  }
}
