// Workers-safe part of the shared state: the interface and the in-process store. The Redis and
// Durable Object stores have their own entries (`/redis`, `/durable-object`).
export * from './caller.js';
export * from './memory.js';
export type * from './types.js';
