import { claimsFor, signDatabaseKey } from '@qdrant-kit/core';

/**
 * Development only: fills in a throwaway admin key (when none is set) and a default upstream,
 * and prints example scoped keys signed with it. Never used unless asked for explicitly.
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
  const secret = out.QDRANT__SERVICE__API_KEY;
  const readOnly = await signDatabaseKey(secret, claimsFor({ access: 'r', expiresIn: '12h' }));
  const demoRead = await signDatabaseKey(
    secret,
    claimsFor({ access: { demo: 'r' }, expiresIn: '12h' }),
  );
  const demoWrite = await signDatabaseKey(
    secret,
    claimsFor({ access: { demo: 'rw' }, expiresIn: '12h' }),
  );
  const bar = '='.repeat(72);
  print(bar);
  print('DEVELOPMENT MODE - these keys are throwaway examples; never use them in production');
  if (generated) print(`  generated admin key (this process only): ${secret}`);
  print(`  global read-only JWT (12h):    ${readOnly}`);
  print(`  collection "demo" read (12h):  ${demoRead}`);
  print(`  collection "demo" write (12h): ${demoWrite}`);
  print(bar);
  return out;
}
