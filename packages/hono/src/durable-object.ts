// `@qdrant-kit/hono/durable-object`: the Durable Object class and its store, for Workers.
export * from './state/durable-object.js';
