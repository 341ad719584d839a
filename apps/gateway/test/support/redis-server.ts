// One Redis test server helper for the whole workspace: the library's.
export * from '../../../../packages/hono/test/helpers/redis-server.js';
