// `@qdrant-kit/hono/redis`: the Redis store, and a gateway's shared state from its
// configuration, for Node, Bun and Deno (node-redis needs node:net; the root never imports this).
export {
  checkGatewaySharedState,
  type GatewaySharedState,
  type GatewaySharedStateOptions,
  startGatewaySharedState,
} from './state/gateway-store.js';
export {
  createRedisStore,
  REDIS_WITHOUT_PERSISTENCE_WARNING,
  type RedisStoreOptions,
  StateStoreUnavailableError,
} from './state/redis.js';
