// The recording upstream is the library's test fixture; the app's tests use the same one.
export * from '../../../../packages/hono/test/support/upstream.js';
