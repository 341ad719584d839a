// Runtime-neutral entry: Workers, Deno, Bun and Node. Node's pooled client is in `./node`.
export { createGateway, type CreateGatewayOptions } from './app.js';
export {
  GATEWAY_DEFAULTS,
  GatewayConfigError,
  type GatewayConfig,
  type GatewayEnv,
  gatewayConfig,
  parseGatewayConfig,
} from './config.js';
export { allowedOrigin, type CorsOrigins, isPreflight, preflightResponse } from './cors.js';
export {
  checkRequest,
  type GateDenial,
  type GateOptions,
  type GateOutcome,
  type GatePass,
} from './gate.js';
export {
  type GatewayDecision,
  jsonLineLogger,
  type RequestLogEntry,
  type RequestLogger,
  silentLogger,
} from './log.js';
export {
  applyResponseFilter,
  responseFilterRule,
  UNFILTERABLE_RESPONSE_MESSAGE,
} from './filter/apply.js';
export {
  RESPONSE_FILTER_RULES,
  type ResponseFilter,
  type ResponseFilterRule,
} from './filter/response-filters.js';
export { qdrantAuth, type QdrantAuthOptions, type QdrantAuthVariables } from './middleware.js';
export { plainTextResponse, qdrantErrorResponse } from './responses.js';
export { createFetchForwarder, type FetchForwarderOptions } from './upstream/fetch.js';
export type {
  ForwardBody,
  Forwarder,
  ForwarderOptions,
  ForwardRequest,
  ForwardResult,
} from './upstream/forwarder.js';
export {
  createUpstreamValueExistsChecker,
  type UpstreamValueExistsOptions,
} from './value-exists.js';
export { createGatewayVerifier } from './verifier.js';
