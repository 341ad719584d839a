/**
 * `@qdrant-kit/core/access`: access decisions identical to a Qdrant v1.19 cluster's. Match a
 * request once (`matchRoute`), decide from the match (`authorize`), or both at once
 * (`authorizeRequest`); gRPC with `authorizeGrpc`.
 *
 * @module
 */
export * from '../cluster-error-body.js';
export type { AccessRequirements, BodyLookups, OperationScope } from './requirements.js';
export {
  type Access,
  type CollectionAccessMode,
  type CollectionGrant,
  type CollectionsAccess,
  type GlobalAccess,
  type GlobalAccessMode,
  GLOBAL_MANAGE,
  GLOBAL_READ,
} from './model.js';
export { type HttpMethod, type RestRoute, restRoutes } from './routes.js';
export type { ActionName, Operation } from './operations.js';
export { decodePathParam, normalisePath } from './normalise.js';
export { isExemptPath, type MatchedRoute, matchRoute, requestNeedsBody } from './router.js';
export { type BodyCollections, collectionsInBody } from './body.js';
export { type BodyScan, isBodyScan } from './body-scan.js';
export { BodyScanner, type BodyScannerOptions, scanBody } from './body-scanner.js';
export {
  nextTask,
  type ScanBodyStreamOptions,
  type ScanBodyStreamResult,
  scanBodyStream,
} from './body-scan-stream.js';
export {
  type AuthorizeAllowed,
  type AuthorizeDenied,
  type AuthorizeRequestInput,
  type AuthorizeResult,
  authorize,
  authorizeRequest,
} from './authorize.js';
export {
  authorizeGrpc,
  findGrpcMethod,
  type GrpcMethod,
  grpcMethods,
  isExemptGrpcMethod,
} from './grpc.js';
