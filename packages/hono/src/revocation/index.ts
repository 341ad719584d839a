export * from './admin.js';
export { revocationId, sha256Hex } from './entry.js';
export * from './list.js';
export * from './middleware.js';
