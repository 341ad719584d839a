// The subpath entries share one copy of every module (tsup shared chunks): a class imported
// from two entries is one class, so `instanceof` holds across them.
import * as root from '@qdrant-kit/core';
import * as access from '@qdrant-kit/core/access';
import * as cloud from '@qdrant-kit/core/cloud';
import * as headers from '@qdrant-kit/core/headers';
import * as keys from '@qdrant-kit/core/keys';
import * as node from '@qdrant-kit/core/node';
import { describe, expect, it } from 'vitest';

describe('subpath entries', () => {
  it('share classes: a BodyScanner from /access is one from the root entry', () => {
    const scanner = new access.BodyScanner('query');
    expect(scanner).toBeInstanceOf(root.BodyScanner);
    expect(new root.BodyScanner('query')).toBeInstanceOf(access.BodyScanner);
    expect(access.BodyScanner).toBe(root.BodyScanner);
  });

  it('share tables and constants', () => {
    expect(access.restRoutes).toBe(root.restRoutes);
    expect(access.GLOBAL_MANAGE).toBe(root.GLOBAL_MANAGE);
    expect(keys.createKeyVerifier).toBe(root.createKeyVerifier);
    expect(headers.databaseKeyHeaders).toBe(root.databaseKeyHeaders);
    expect(cloud.cloudAccessRulesToAccess).toBe(root.cloudAccessRulesToAccess);
  });

  it('the root entry re-exports every subpath export but the zod schemas', async () => {
    const schemas = await import('@qdrant-kit/core/schemas');
    for (const entry of [access, cloud, headers, keys]) {
      for (const name of Object.keys(entry)) {
        expect(root, name).toHaveProperty(name, (entry as Record<string, unknown>)[name]);
      }
    }
    for (const name of Object.keys(schemas)) expect(root).not.toHaveProperty(name);
  });

  it('/node exports nodeHs256 only, and neither the root nor /keys reaches it', () => {
    expect(Object.keys(node)).toEqual(['nodeHs256']);
    expect(root).not.toHaveProperty('nodeHs256');
    expect(keys).not.toHaveProperty('nodeHs256');
    // The provider type it implements is the one the root entry exports a default of.
    expect(Object.keys(node.nodeHs256).sort()).toEqual(Object.keys(root.webCryptoHs256).sort());
  });
});
