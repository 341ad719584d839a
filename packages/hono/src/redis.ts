// `@qdrant-kit/hono/redis`: the Redis store, for Node, Bun and Deno (node-redis needs node:net).
export {
  createRedisStore,
  type RedisStoreOptions,
  StateStoreUnavailableError,
} from './state/redis.js';
