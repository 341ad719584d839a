// Runtime-neutral entry (Workers, Deno, Bun, Node). Node's pooled forwarder is in `./node`.
export {
  type AuthorizedRequest,
  type CheckRequestOptions,
  checkRequest,
  type RefusedRequest,
  type RequestCheck,
} from './check-request.js';
export {
  QdrantAuthError,
  type QdrantAuthOptions,
  type QdrantAuthVariables,
  qdrantAuth,
} from './auth.js';
export {
  type CorsOrigins,
  GATEWAY_DEFAULTS,
  GATEWAY_VARIABLES,
  type GatewayConfig,
  GatewayConfigError,
  type GatewayEnv,
  gatewayConfig,
  keyHidingIssue,
  parseGatewayConfig,
} from './config/gateway.js';
export {
  booleanVariable,
  type ConfigEnv,
  type ConfigSection,
  configSectionsOf,
  type ConfigVariable,
  configTableMarkdown,
  defineConfigSection,
  integerVariable,
  isConfigSection,
  type Presence,
  readConfigSection,
  type SectionConfig,
  type SectionDefaults,
  type SectionRead,
  sectionDefaults,
  textVariable,
  type VariableDefinition,
  type VariableType,
  variable,
} from './config/table.js';
export type { GatewayOutcome } from './context.js';
export {
  addCorsHeaders,
  allowedOrigin,
  isPreflight,
  preflightResponse,
  qdrantCors,
} from './cors.js';
export {
  CLUSTER_KEY_KINDS,
  CLUSTER_ONLY_KEY_KINDS,
  type CredentialKind,
  type CredentialRefusal,
  type CredentialVerifier,
  createCredentialIds,
  type VerifiedCredential,
} from './credentials.js';
export { canonicalTokenText, isCanonicalBase64Url } from './token-text.js';
export { applyResponseFilter, responseFilterRule } from './filter/apply.js';
export {
  RESPONSE_FILTER_RULES,
  type ResponseFilter,
  type ResponseFilterRule,
  UnfilterableResponseError,
} from './filter/response-filters.js';
export { type QdrantForwardOptions, qdrantForward } from './forward.js';
export { type CreateGatewayOptions, createGateway, gatewayErrorHandler } from './gateway.js';
export {
  type GatewayDecision,
  jsonLineLogger,
  qdrantRequestLog,
  type RequestLogEntry,
  type RequestLogger,
  silentLogger,
} from './log.js';
export { requestStart } from './request-start.js';
export { plainTextResponse, qdrantErrorResponse } from './responses.js';
export {
  createResponseBufferBudget,
  type ResponseBufferBudget,
  type ResponseBufferLease,
} from './upstream/buffer-budget.js';
export { createFetchForwarder, type FetchForwarderOptions } from './upstream/fetch.js';
export {
  CLIENT_CLOSED_REQUEST,
  type ForwardBody,
  type ForwardFailure,
  type ForwardFailureAnswer,
  type Forwarder,
  type ForwarderOptions,
  type ForwardRequest,
  type ForwardResult,
  forwardFailureAnswer,
  type ResponseHeaderEditor,
} from './upstream/forwarder.js';
export {
  createUpstreamValueExistsChecker,
  type UpstreamValueExistsOptions,
} from './value-exists.js';
export { createGatewayVerifier } from './verifier.js';
export * from './oidc/index.js';
export * from './rate-limit/index.js';
export * from './revocation/index.js';
export {
  createSharedState,
  gatewayCaller,
  IDENTITY_PROVIDER_SUBJECT_PREFIX,
  parseSharedStateConfig,
  SHARED_STATE_VARIABLES,
  type SharedState,
  type SharedStateConfig,
  type SharedStateOptions,
  sharedStateGatewayOptions,
  unsharedStateGatewayOptions,
} from './shared-state.js';
// The Workers-safe stores; Redis and the Durable Object are `./redis` and `./durable-object`.
export * from './state/index.js';
