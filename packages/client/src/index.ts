// Public entry of @qdrant-kit/client. Everything is a named export so bundlers can drop what a
// consumer does not use (see composeCloudClient).
export type { CallOptions, RetryOptions } from './call-options.js';
export {
  type CloudClient,
  composeCloudClient,
  createCloudClient,
  type QdrantCloudClient,
} from './client.js';
export {
  checkDatabaseKey,
  type ClusterInfo,
  type DatabaseKeyCheck,
  type DatabaseRequestOptions,
  getClusterInfo,
} from './database.js';
export {
  type CloudErrorKind,
  GRPC_CODE_NAMES,
  type GrpcCodeName,
  isQdrantCloudError,
  QdrantCloudError,
  type QdrantCloudErrorInit,
  type SafeCause,
  type ValidationIssue,
} from './errors.js';
export * from './generated/index.js';
export { type PagedListMethod, type PagedResponse, paginate, paginateItems } from './paginate.js';
export { defineService, type RpcDescriptor, type ServiceDefinition } from './service.js';
export type { CloudClientOptions } from './transport.js';
export {
  CLUSTER_FAILURE_PHASES,
  type ClusterWaitOptions,
  type ClusterWaitProgress,
  type DatabaseKeyTarget,
  type DatabaseKeyWaitOptions,
  type DatabaseKeyWaitProgress,
  isTransientFailure,
  type WaitOptions,
  waitForClusterHealthy,
  waitForDatabaseKey,
} from './wait.js';
export {
  cpuMillicores,
  findPackage,
  memoryBytes,
  type PackageChoice,
  retentionDays,
} from './helpers.js';
