// The HS256 primitive the key suites run with. They import `createKeyVerifier` and
// `signDatabaseKey` from here: with no provider set these are core's own (Web Crypto default);
// `withHs256` re-runs a suite with a provider injected into every verifier and signature
// (test/node-hs256/suite.ts does so with nodeHs256 from @qdrant-kit/core/node).
import {
  createKeyVerifier as coreCreateKeyVerifier,
  signDatabaseKey as coreSignDatabaseKey,
  type DatabaseKeyClaims,
  type Hs256Provider,
  type KeyVerifier,
  type KeyVerifierOptions,
} from '@qdrant-kit/core';
import { type TestCase, test } from '@qdrant-kit/runtime-harness/suite';

let injected: Hs256Provider | undefined;

/** `createKeyVerifier`, with the provider under test unless the case chose one itself. */
export function createKeyVerifier(options: KeyVerifierOptions): KeyVerifier {
  return coreCreateKeyVerifier(
    injected === undefined || options.hs256 !== undefined
      ? options
      : { ...options, hs256: injected },
  );
}

/** `signDatabaseKey` with the provider under test. */
export function signDatabaseKey(secret: string, claims: DatabaseKeyClaims): Promise<string> {
  return coreSignDatabaseKey(secret, claims, injected === undefined ? {} : { hs256: injected });
}

/**
 * The cases again, each run with `provider` injected (cases run one at a time, in vitest and
 * in the runtime harness alike, so one module-level slot is enough).
 */
export function withHs256(label: string, provider: Hs256Provider, cases: readonly TestCase[]) {
  return cases.map((c) =>
    test(`${label}: ${c.name}`, async (ctx) => {
      injected = provider;
      try {
        await c.run(ctx);
      } finally {
        injected = undefined;
      }
    }),
  );
}
