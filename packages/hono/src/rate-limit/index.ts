export * from './limiter.js';
export * from './middleware.js';
export * from './policy.js';
