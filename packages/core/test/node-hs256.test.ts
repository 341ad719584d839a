// nodeHs256 (@qdrant-kit/core/node): the agreement cases and the key suites with it injected,
// in vitest (Node 24) and on Node 20, Node 24, Bun and Deno (runtimes with node:crypto; the
// entry is not for workerd). And the cases can fail: wrong providers are caught.
import { type Hs256Provider, webCryptoHs256 } from '@qdrant-kit/core';
import { nodeHs256 } from '@qdrant-kit/core/node';
import { runSuiteOn } from '@qdrant-kit/runtime-harness/node-host';
import { describe, expect, it } from 'vitest';
import cases, { agreementCases } from './node-hs256/suite.js';
import { readSpec } from './spec.js';

describe(`nodeHs256 (vitest, Node ${process.versions.node})`, () => {
  for (const c of cases) it(c.name, () => c.run({ env: {} }));
});

describe('nodeHs256 on every runtime with node:crypto', () => {
  const suite = new URL('./node-hs256/suite.ts', import.meta.url).pathname;
  for (const runtime of ['node20', 'node24', 'bun', 'deno'] as const) {
    it(runtime, { timeout: 300_000 }, async () => {
      const result = await runSuiteOn(runtime, {
        suite,
        env: { QK_REST_ROUTES: readSpec('qdrant-rest-routes.txt') },
      });
      expect(result.failures).toEqual([]);
      expect(result.passed).toBe(cases.length);
    });
  }
});

/** How many agreement cases `provider` fails. */
async function failures(provider: Hs256Provider): Promise<string[]> {
  const failed: string[] = [];
  for (const c of agreementCases(provider)) {
    try {
      await c.run({ env: {} });
    } catch (error) {
      failed.push(`${c.name}: ${(error as Error).message}`);
    }
  }
  return failed;
}

const node = nodeHs256 as Hs256Provider<Parameters<typeof nodeHs256.verify>[0]>;
const mac = (key: unknown, message: Uint8Array) => node.sign(key, message) as Uint8Array;

describe('the agreement cases catch a wrong provider', () => {
  it('the real one passes', async () => {
    expect(await failures(nodeHs256)).toEqual([]);
  });

  it.each<[string, Hs256Provider['verify']]>([
    [
      'true on a length mismatch',
      (key, signature, message) => signature.length !== 32 || node.verify(key, signature, message),
    ],
    [
      '=== on a 16-byte prefix',
      (key, signature, message) => {
        const expected = mac(key, message);
        return (
          signature.length === 32 && signature.subarray(0, 16).every((b, i) => b === expected[i])
        );
      },
    ],
    [
      '=== on the common prefix (any length)',
      (key, signature, message) => {
        const expected = mac(key, message);
        return signature.every((b, i) => b === expected[i]);
      },
    ],
    ['always true', () => true],
  ])('%s', async (_name, wrongVerify) => {
    const wrong: Hs256Provider = { ...nodeHs256, verify: wrongVerify };
    expect((await failures(wrong)).length).toBeGreaterThan(0);
  });

  it('Web Crypto itself passes (the reference agrees with itself)', async () => {
    expect(await failures(webCryptoHs256)).toEqual([]);
  });
});
