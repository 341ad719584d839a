import {
  type AuthorizeDenied,
  type AuthorizeResult,
  decideOperation,
  readAccessKind,
} from './authorize.js';
import { collectionsInGrpcMessage } from './grpc-body.js';
import { readGrpcRequest, UnreadableGrpcRequest } from './grpc-request.js';
import { lazyFrozenList } from './lazy-list.js';
import type { Access } from './model.js';
import {
  type ActionName,
  freezeRequirements,
  type GrpcOnlyActionName,
  type Operation,
  operation,
  operationOfCode,
} from './operations.js';
import type { AccessRequirements, BodyLookups, OperationScope } from './requirements.js';

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

// The actions only gRPC has, in the row format of the actions table (`operations.ts`).
// Reflection has no access check of its own: any accepted key may use it.
const GRPC_ONLY_ACTIONS =
  'reflection a,storage_read_list_files cr,storage_read_file_exists cr,' +
  'storage_read_file_length cr,storage_read_read_bytes cr,storage_read_read_bytes_stream cr,' +
  'storage_read_read_whole cr,storage_read_read_batch cr';

let grpcOnly: Map<string, Operation> | undefined;

function operationOf(action: ActionName): Operation {
  if (grpcOnly === undefined) {
    freezeRequirements();
    grpcOnly = new Map();
    for (const row of GRPC_ONLY_ACTIONS.split(',')) {
      const [name, code] = row.split(' ') as [string, string];
      grpcOnly.set(name, operationOfCode(code));
    }
  }
  return grpcOnly.get(action) ?? operation(action as Exclude<ActionName, GrpcOnlyActionName>);
}

function method(fullMethod: string, action: ActionName): GrpcMethod {
  const { scope, requirements, bodyLookups } = operationOf(action);
  return Object.freeze({
    fullMethod,
    scope,
    requirements,
    action,
    ...(bodyLookups ? { bodyLookups } : {}),
  });
}

function buildGrpcMethods(): readonly GrpcMethod[] {
  return Object.freeze([
    method('/qdrant.Qdrant/HealthCheck', 'root'),
    method('/grpc.health.v1.Health/Check', 'healthz'),
    method('/grpc.reflection.v1.ServerReflection/ServerReflectionInfo', 'reflection'),
    method('/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo', 'reflection'),

    method('/qdrant.Collections/List', 'list_collections'),
    method('/qdrant.Collections/ListAliases', 'list_aliases'),
    method('/qdrant.Collections/Get', 'get_collection'),
    method('/qdrant.Collections/CollectionExists', 'collection_exists'),
    method('/qdrant.Collections/ListCollectionAliases', 'list_collection_aliases'),
    method('/qdrant.Collections/Create', 'create_collection'),
    method('/qdrant.Collections/Update', 'update_collection_params'),
    method('/qdrant.Collections/Delete', 'delete_collection'),
    method('/qdrant.Collections/UpdateAliases', 'update_aliases'),
    method('/qdrant.Collections/CollectionClusterInfo', 'get_collection_cluster_info'),
    method('/qdrant.Collections/UpdateCollectionClusterSetup', 'update_collection_cluster'),
    method('/qdrant.Collections/ListShardKeys', 'list_shard_keys'),
    method('/qdrant.Collections/CreateShardKey', 'create_shard_key'),
    method('/qdrant.Collections/DeleteShardKey', 'delete_shard_key'),

    method('/qdrant.Points/CreateFieldIndex', 'create_index'),
    method('/qdrant.Points/DeleteFieldIndex', 'delete_index'),
    method('/qdrant.Points/CreateVectorName', 'create_vector_name'),
    method('/qdrant.Points/DeleteVectorName', 'delete_vector_name'),
    method('/qdrant.Points/Upsert', 'upsert_points'),
    method('/qdrant.Points/UpdateBatch', 'update_points_batch'),
    method('/qdrant.Points/Delete', 'delete_points'),
    method('/qdrant.Points/UpdateVectors', 'update_vectors'),
    method('/qdrant.Points/DeleteVectors', 'delete_vectors'),
    method('/qdrant.Points/SetPayload', 'set_payload'),
    method('/qdrant.Points/OverwritePayload', 'overwrite_payload'),
    method('/qdrant.Points/DeletePayload', 'delete_payload'),
    method('/qdrant.Points/ClearPayload', 'clear_payload'),
    method('/qdrant.Points/Get', 'get_points'),
    method('/qdrant.Points/Scroll', 'scroll_points'),
    method('/qdrant.Points/Count', 'count_points'),
    method('/qdrant.Points/Search', 'search_points'),
    method('/qdrant.Points/SearchBatch', 'search_points_batch'),
    method('/qdrant.Points/SearchGroups', 'search_point_groups'),
    method('/qdrant.Points/Recommend', 'recommend_points'),
    method('/qdrant.Points/RecommendBatch', 'recommend_points_batch'),
    method('/qdrant.Points/RecommendGroups', 'recommend_point_groups'),
    method('/qdrant.Points/Discover', 'discover_points'),
    method('/qdrant.Points/DiscoverBatch', 'discover_points_batch'),
    method('/qdrant.Points/Query', 'query_points'),
    method('/qdrant.Points/QueryBatch', 'query_batch_points'),
    method('/qdrant.Points/QueryGroups', 'query_points_groups'),
    method('/qdrant.Points/SearchMatrixPairs', 'search_points_matrix_pairs'),
    method('/qdrant.Points/SearchMatrixOffsets', 'search_points_matrix_offsets'),
    method('/qdrant.Points/Facet', 'facet'),

    method('/qdrant.Snapshots/List', 'list_collection_snapshots'),
    method('/qdrant.Snapshots/Create', 'create_collection_snapshot'),
    method('/qdrant.Snapshots/Delete', 'delete_collection_snapshot'),
    method('/qdrant.Snapshots/ListFull', 'list_full_snapshots'),
    method('/qdrant.Snapshots/CreateFull', 'create_full_snapshot'),
    method('/qdrant.Snapshots/DeleteFull', 'delete_full_snapshot'),

    method('/qdrant.StorageRead/ListFiles', 'storage_read_list_files'),
    method('/qdrant.StorageRead/FileExists', 'storage_read_file_exists'),
    method('/qdrant.StorageRead/FileLength', 'storage_read_file_length'),
    method('/qdrant.StorageRead/ReadBytes', 'storage_read_read_bytes'),
    method('/qdrant.StorageRead/ReadBytesStream', 'storage_read_read_bytes_stream'),
    method('/qdrant.StorageRead/ReadWhole', 'storage_read_read_whole'),
    method('/qdrant.StorageRead/ReadBatch', 'storage_read_read_batch'),
  ]);
}

/**
 * Every method the public gRPC port serves (Qdrant, Collections, Points, Snapshots,
 * StorageRead, health and reflection). Collection operations read the collection from the
 * request's `collection_name` (batches use the outer one, like upstream).
 */
export const grpcMethods: readonly GrpcMethod[] = /* @__PURE__ */ lazyFrozenList(grpcTable);

let table: readonly GrpcMethod[] | undefined;

/** The method table, built on first use. */
function grpcTable(): readonly GrpcMethod[] {
  table ??= buildGrpcMethods();
  return table;
}

let byName: Map<string, GrpcMethod> | undefined;

/** Looks a gRPC method up by its full name (`/qdrant.Points/Search`; the leading `/` is optional). */
export function findGrpcMethod(fullMethod: string): GrpcMethod | undefined {
  if (typeof fullMethod !== 'string') return undefined;
  byName ??= new Map(grpcTable().map((m) => [m.fullMethod, m]));
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
    // An access that cannot even be read (a throwing getter, a revoked proxy) throws here and
    // is refused below, even for methods any key may call.
    readAccessKind(access);
    const found = findGrpcMethod(fullMethod);
    if (!found) {
      return isGlobalManage(access)
        ? { ok: true, route: undefined, collections: [] }
        : { ok: false, status: 404, message: 'Not Found' };
    }
    if (found.scope !== 'collection') {
      const { denial, collections } = decideOperation(access, found, undefined, undefined);
      return denial ?? { ok: true, route: undefined, collections };
    }
    const read = readGrpcRequest(found.bodyLookups, request);
    if (read instanceof UnreadableGrpcRequest) return unreadable(read.reason);
    const kind = found.bodyLookups;
    const lookups =
      kind && read.body !== undefined ? collectionsInGrpcMessage(kind, read.body) : undefined;
    const { denial, collections } = decideOperation(access, found, read.collection, lookups);
    return denial ?? { ok: true, route: undefined, collections };
  } catch {
    // Only a hostile `access` (a proxy, a throwing getter) gets here.
    return unreadable('the access cannot be read');
  }
}
