// Public surface of the access layer; `src/index.ts` re-exports this module wholesale.
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
export { decodePathParam, normalisePath } from './normalise.js';
export { isExemptPath, type MatchedRoute, matchRoute, requestNeedsBody } from './router.js';
export { type BodyCollections, collectionsInBody } from './body.js';
export {
  type BodyScan,
  BodyScanner,
  type BodyScannerOptions,
  isBodyScan,
  scanBody,
} from './body-scanner.js';
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
  authorizeRequest,
} from './authorize.js';
export {
  authorizeGrpc,
  findGrpcMethod,
  type GrpcMethod,
  grpcMethods,
  isExemptGrpcMethod,
} from './grpc.js';
