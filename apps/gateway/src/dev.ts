import { claimsFor, signDatabaseKey } from '@qdrant-kit/core';

/**
 * Development only: fills in a throwaway admin key (when none is set) and a default upstream,
 * and prints example scoped keys signed with that throwaway key (never with a real one).
 * Never used unless asked for explicitly.
 */
export async function developmentEnv(
  env: Readonly<Record<string, string | undefined>>,
  print: (line: string) => void,
): Promise<Record<string, string | undefined>> {
  const out = { ...env };
  out.QDRANT_UPSTREAM_URL ||= 'http://localhost:6333';
  let generated = false;
  if (!out.QDRANT__SERVICE__API_KEY) {
    const bytes = crypto.getRandomValues(new Uint8Array(24));
    out.QDRANT__SERVICE__API_KEY = `dev-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
    generated = true;
  }
  const bar = '='.repeat(72);
  print(bar);
  print('DEVELOPMENT MODE - these keys are throwaway examples; never use them in production');
  if (generated) {
    const secret = out.QDRANT__SERVICE__API_KEY;
    const sign = (access: NonNullable<Parameters<typeof claimsFor>[0]>['access']) =>
      signDatabaseKey(secret, claimsFor({ access, expiresIn: '12h' }));
    print(`  generated admin key (this process only): ${secret}`);
    print(`  global read-only JWT (12h):    ${await sign('r')}`);
    print(`  collection "demo" read (12h):  ${await sign({ demo: 'r' })}`);
    print(`  collection "demo" write (12h): ${await sign({ demo: 'rw' })}`);
  } else {
    // Keys signed with a real admin key are real keys: they must not end up in a log.
    print('  QDRANT__SERVICE__API_KEY is set, so no example keys are printed: keys signed');
    print('  with it would be valid on the cluster. Mint scoped keys with @qdrant-kit/core.');
  }
  print(bar);
  return out;
}
