// Node entry (`@qdrant-kit/gateway/node`): the server with graceful shutdown, and everything of
// the runtime-neutral entry and of `@qdrant-kit/hono/node`, so Node users need only this import.
// Only entries re-export packages: esbuild drops an `export *` of an external package from a
// module that lands in a chunk shared by several entries.
export * from '@qdrant-kit/hono';
export * from '@qdrant-kit/hono/node';
export { CLI_VARIABLES, type CliConfig, parseCliConfig } from './cli-config.js';
export {
  type NodeGatewayServer,
  type StartNodeGatewayOptions,
  startNodeGateway,
} from './node-server.js';
