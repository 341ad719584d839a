import { claimsFor, signDatabaseKey } from '@qdrant-kit/core';

/** Variables holding a real key: development mode never starts when one is set. */
export const REAL_KEY_VARIABLES = [
  'QDRANT_UPSTREAM_API_KEY',
  'QDRANT__SERVICE__API_KEY',
  'QDRANT__SERVICE__ALT_API_KEY',
  'QDRANT__SERVICE__READ_ONLY_API_KEY',
] as const;

/** Thrown by {@link developmentEnv} when a real key is configured; names variables, never values. */
export class DevelopmentModeRefusedError extends Error {
  override name = 'DevelopmentModeRefusedError';
  constructor(readonly variables: readonly string[]) {
    super(
      `Development mode refused: ${variables.join(', ')} ${variables.length === 1 ? 'is' : 'are'} set. ` +
        '--dev prints a throwaway admin key, and behind a real key that key would reach the real cluster. ' +
        'Unset the variable(s) to use --dev, or start without --dev.',
    );
  }
}

/**
 * Development only: fills in a throwaway admin key, turns JWT RBAC on, sets a default
 * upstream, and prints example scoped keys signed with that throwaway key. Refuses (throws
 * {@link DevelopmentModeRefusedError}) when any real key is configured
 * (`QDRANT_UPSTREAM_API_KEY` or a `QDRANT__SERVICE__*` key): a printed key must never stand
 * in for a real cluster's key. Never used unless asked for explicitly.
 */
export async function developmentEnv(
  env: Readonly<Record<string, string | undefined>>,
  print: (line: string) => void,
): Promise<Record<string, string | undefined>> {
  const configured = REAL_KEY_VARIABLES.filter((name) => (env[name] ?? '') !== '');
  if (configured.length > 0) throw new DevelopmentModeRefusedError(configured);
  const out = { ...env };
  out.QDRANT_UPSTREAM_URL ||= 'http://localhost:6333';
  out.QDRANT__SERVICE__JWT_RBAC ||= 'true';
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  const secret = `dev-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
  out.QDRANT__SERVICE__API_KEY = secret;
  const sign = (access: NonNullable<Parameters<typeof claimsFor>[0]>['access']) =>
    signDatabaseKey(secret, claimsFor({ access, expiresIn: '12h' }));
  const bar = '='.repeat(72);
  print(bar);
  print('DEVELOPMENT MODE - these keys are throwaway examples; never use them in production');
  print(`  generated admin key (this process only): ${secret}`);
  print(`  global read-only JWT (12h):    ${await sign('r')}`);
  print(`  collection "demo" read (12h):  ${await sign({ demo: 'r' })}`);
  print(`  collection "demo" write (12h): ${await sign({ demo: 'rw' })}`);
  print(bar);
  return out;
}
