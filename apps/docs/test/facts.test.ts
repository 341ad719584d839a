import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CLOUD_DEFAULT_KEY_TTL_SECONDS } from '@qdrant-kit/core';
import { GATEWAY_DEFAULTS } from '@qdrant-kit/gateway';

// Facts the prose states about the code, checked against the built packages so the two
// cannot drift apart silently.
const docsRoot = fileURLToPath(new URL('..', import.meta.url));
const deployGuide = readFileSync(join(docsRoot, 'guides', 'deploy-gateway.md'), 'utf8');

/** Rows of the guide's configuration table: variable name → default cell. */
function configurationTable(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of deployGuide.split('\n')) {
    const match = /^\|\s*`([A-Z_]+)`\s*\|\s*([^|]*?)\s*\|/.exec(line);
    if (match?.[1]) rows.set(match[1], (match[2] ?? '').replace(/`/g, ''));
  }
  return rows;
}

describe('the deploy guide matches @qdrant-kit/gateway', () => {
  const documented = configurationTable();

  test('it documents exactly the variables the gateway reads', () => {
    const gatewayEntry = createRequire(import.meta.url).resolve('@qdrant-kit/gateway');
    const source = readFileSync(gatewayEntry, 'utf8');
    const read = new Set(source.match(/\bQDRANT__?[A-Z_]+\b/g) ?? []);
    read.add('PORT');
    assert.deepEqual([...documented.keys()].sort(), [...read].sort());
  });

  test('the documented defaults are the gateway defaults', () => {
    const expected: Record<string, string> = {
      QDRANT__SERVICE__JWT_RBAC: String(GATEWAY_DEFAULTS.jwtRbac),
      QDRANT_GATEWAY_UPSTREAM_TIMEOUT_MS: String(GATEWAY_DEFAULTS.upstreamTimeoutMs),
      QDRANT_GATEWAY_CORS_ORIGINS: String(GATEWAY_DEFAULTS.corsOrigins),
      QDRANT_GATEWAY_MAX_BODY_BYTES: String(GATEWAY_DEFAULTS.maxBufferedBodyBytes),
      QDRANT_GATEWAY_MAX_FILTERED_RESPONSE_BYTES: String(GATEWAY_DEFAULTS.maxFilteredResponseBytes),
      QDRANT_GATEWAY_VALUE_EXISTS_CACHE_MS: String(GATEWAY_DEFAULTS.valueExistsCacheMs),
      PORT: String(GATEWAY_DEFAULTS.port),
      QDRANT_GATEWAY_HOST: GATEWAY_DEFAULTS.hostname,
      QDRANT_GATEWAY_LOG: String(GATEWAY_DEFAULTS.logRequests),
      QDRANT_GATEWAY_DEV: String(GATEWAY_DEFAULTS.dev),
      QDRANT_GATEWAY_WORKERS: String(GATEWAY_DEFAULTS.workers),
    };
    for (const [variable, value] of Object.entries(expected)) {
      assert.equal(documented.get(variable), value, variable);
    }
  });
});

describe('numbers quoted in the concepts match @qdrant-kit/core', () => {
  test('the Cloud default lifetime is 90 days', () => {
    assert.equal(CLOUD_DEFAULT_KEY_TTL_SECONDS, 90 * 86_400);
    const page = readFileSync(join(docsRoot, 'concepts', 'expiry-and-rotation.md'), 'utf8');
    assert.match(page, /defaults new keys to 90 days: `CLOUD_DEFAULT_KEY_TTL_SECONDS`/);
  });
});
