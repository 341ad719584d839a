/**
 * `@qdrant-kit/core`: Qdrant database keys on Web Crypto. Headers, JWT sign/verify and access
 * decisions that match a Qdrant cluster (v1.19) exactly, on every JavaScript runtime.
 *
 * Everything but the zod schemas, which need `zod` and live in `@qdrant-kit/core/schemas`.
 * The same exports, grouped, are the subpaths `/keys`, `/access`, `/cloud` and `/headers`.
 *
 * @packageDocumentation
 */
export * from './access/index.js';
export * from './cloud/access-rules.js';
export * from './headers.js';
export * from './keys/index.js';
