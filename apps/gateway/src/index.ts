// The gateway's library, as `@qdrant-kit/hono` exports it (runtime-neutral), and the variables
// of the CLI. Node's server is in `./node`, the Workers handler in `./worker`.
export * from '@qdrant-kit/hono';
export { CLI_VARIABLES, type CliConfig, parseCliConfig } from './cli-config.js';
