// Runtime-neutral test cases: plain objects and a few assertions with no dependency, so the
// same module runs under vitest, Node 20, Deno, Bun and workerd (the jose approach).

/** What every case receives: environment values handed over by the host (URLs of loopback servers, etc.). */
export interface SuiteContext {
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** One named case. It passes when `run` returns or resolves, fails when it throws or rejects. */
export interface TestCase {
  readonly name: string;
  readonly run: (ctx: SuiteContext) => void | Promise<void>;
}

export function test(name: string, run: TestCase['run']): TestCase {
  return { name, run };
}

export class AssertionError extends Error {
  override name = 'AssertionError';
}

function show(value: unknown): string {
  try {
    const text = JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
    return text === undefined ? String(value) : text.length > 400 ? `${text.slice(0, 400)}…` : text;
  } catch {
    return String(value);
  }
}

export function assert(condition: unknown, message = 'assertion failed'): asserts condition {
  if (!condition) throw new AssertionError(message);
}

export function assertEqual<T>(actual: T, expected: T, message?: string): void {
  if (!Object.is(actual, expected)) {
    throw new AssertionError(
      `${message ? `${message}: ` : ''}expected ${show(expected)}, got ${show(actual)}`,
    );
  }
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }
  const ka = Object.keys(a as object).filter(
    (k) => (a as Record<string, unknown>)[k] !== undefined,
  );
  const kb = Object.keys(b as object).filter(
    (k) => (b as Record<string, unknown>)[k] !== undefined,
  );
  if (ka.length !== kb.length) return false;
  return ka.every((k) =>
    deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

export function assertDeepEqual(actual: unknown, expected: unknown, message?: string): void {
  if (!deepEqual(actual, expected)) {
    throw new AssertionError(
      `${message ? `${message}: ` : ''}expected ${show(expected)}, got ${show(actual)}`,
    );
  }
}

/** Checks that `actual` has at least the given properties with deep-equal values. */
export function assertMatch(
  actual: unknown,
  expected: Record<string, unknown>,
  message?: string,
): void {
  const obj = (actual ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(expected)) {
    if (!deepEqual(obj[k], v)) {
      throw new AssertionError(
        `${message ? `${message}: ` : ''}property ${k}: expected ${show(v)}, got ${show(obj[k])} in ${show(actual)}`,
      );
    }
  }
}

export function assertThrows(fn: () => unknown, pattern?: RegExp, message?: string): unknown {
  try {
    fn();
  } catch (error) {
    if (pattern && !pattern.test(String((error as Error)?.message ?? error))) {
      throw new AssertionError(
        `${message ? `${message}: ` : ''}error ${show(String(error))} does not match ${pattern}`,
      );
    }
    return error;
  }
  throw new AssertionError(`${message ? `${message}: ` : ''}expected a throw`);
}

export async function assertRejects(
  fn: () => Promise<unknown>,
  pattern?: RegExp,
  message?: string,
): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    if (pattern && !pattern.test(String((error as Error)?.message ?? error))) {
      throw new AssertionError(
        `${message ? `${message}: ` : ''}error ${show(String(error))} does not match ${pattern}`,
      );
    }
    return error;
  }
  throw new AssertionError(`${message ? `${message}: ` : ''}expected a rejection`);
}

/** Result of running a list of cases; `failures` carries each failed case's message. */
export interface SuiteResult {
  readonly runtime: string;
  readonly passed: number;
  readonly failed: number;
  readonly failures: ReadonlyArray<{ name: string; error: string }>;
}

export async function runCases(
  cases: readonly TestCase[],
  ctx: SuiteContext,
  runtime: string,
): Promise<SuiteResult> {
  let passed = 0;
  const failures: Array<{ name: string; error: string }> = [];
  for (const c of cases) {
    try {
      await c.run(ctx);
      passed++;
    } catch (error) {
      failures.push({
        name: c.name,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
    }
  }
  return { runtime, passed, failed: failures.length, failures };
}
