import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CLOUD_DEFAULT_KEY_TTL_SECONDS } from '@qdrant-kit/core';
import * as gateway from '@qdrant-kit/gateway';

// Facts the prose states about the code, checked against the built packages so the two
// cannot drift apart silently.
const docsRoot = fileURLToPath(new URL('..', import.meta.url));
const deployGuide = readFileSync(join(docsRoot, 'guides', 'deploy-gateway.md'), 'utf8');

const START =
  '<!-- config-table: generated from the variable definitions by `pnpm config-docs` -->';
const END = '<!-- /config-table -->';

describe('the deploy guide matches @qdrant-kit/gateway', () => {
  test('its variable table is the one written from the variable definitions', () => {
    const start = deployGuide.indexOf(START);
    const end = deployGuide.indexOf(END);
    assert.ok(start !== -1 && end > start, 'the guide has the generated table');
    const sections = gateway.configSectionsOf(gateway);
    assert.equal(
      deployGuide.slice(start + START.length, end).trim(),
      gateway.configTableMarkdown(sections),
    );
  });
});

describe('numbers quoted in the concepts match @qdrant-kit/core', () => {
  test('the Cloud default lifetime is 90 days', () => {
    assert.equal(CLOUD_DEFAULT_KEY_TTL_SECONDS, 90 * 86_400);
    const page = readFileSync(join(docsRoot, 'concepts', 'expiry-and-rotation.md'), 'utf8');
    assert.match(page, /defaults new keys to 90 days: `CLOUD_DEFAULT_KEY_TTL_SECONDS`/);
  });
});
