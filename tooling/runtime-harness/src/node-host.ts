// Runs one runtime-neutral suite (a module whose default export is TestCase[]) on a real
// runtime: Node 20, Node 24, Deno, Bun or workerd. The suite is bundled with esbuild so the
// foreign runtimes need no resolver of their own and run exactly the published dist code.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import type { SuiteResult } from './suite.ts';

export type { SuiteResult } from './suite.ts';

/** Every runtime the published packages promise to support. */
export const ALL_RUNTIMES = ['node20', 'node24', 'deno', 'bun', 'workerd'] as const;
export type RuntimeName = (typeof ALL_RUNTIMES)[number];

export interface RunSuiteOptions {
  /** Absolute path of the suite module (default export: TestCase[]). */
  readonly suite: string;
  /** Strings handed to every case as `ctx.env`. */
  readonly env?: Readonly<Record<string, string>>;
  /** Wall-clock limit for the whole run on one runtime. */
  readonly timeoutMs?: number;
}

const execFileAsync = promisify(execFile);
const require = createRequire(import.meta.url);
const suiteModule = fileURLToPath(new URL('./suite.ts', import.meta.url));
const RESULT_MARK = '__QK_SUITE_RESULT__';

const CONDITIONS: Record<RuntimeName, string[]> = {
  node20: ['node', 'import', 'default'],
  node24: ['node', 'import', 'default'],
  deno: ['deno', 'import', 'default'],
  bun: ['bun', 'import', 'default'],
  workerd: ['workerd', 'worker', 'browser', 'import', 'default'],
};

/** Bundles the suite into one ESM file that exports `run(env)`. */
async function bundleSuite(runtime: RuntimeName, suite: string): Promise<string> {
  const outDir = join(findPackageRoot(suite), '.runtime-harness', runtime);
  mkdirSync(outDir, { recursive: true });
  const entry = join(outDir, 'entry.ts');
  writeFileSync(
    entry,
    [
      `import cases from ${JSON.stringify(suite)};`,
      `import { runCases } from ${JSON.stringify(suiteModule)};`,
      `export function run(env) { return runCases(cases, { env }, ${JSON.stringify(runtime)}); }`,
      runtime === 'workerd'
        ? `export default { async fetch(request) { return Response.json(await run(await request.json())); } };`
        : '',
    ].join('\n'),
  );
  const outfile = join(outDir, 'suite.mjs');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: CONDITIONS[runtime],
    mainFields: ['module', 'main'],
    // A dependency's Node build may import Node's built-ins (ofetch's does), as does a Node-only
    // entry (@qdrant-kit/core/node): Node, Bun and Deno have them; workerd has not.
    external: runtime === 'workerd' ? [] : ['node:*'],
    logLevel: 'error',
  });
  return outfile;
}

function findPackageRoot(file: string): string {
  let dir = dirname(file);
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${file}`);
    dir = parent;
  }
  return dir;
}

/**
 * Finds a Node binary of the given major version: `QK_NODE<major>` if set, the current
 * process, a `node` on PATH, or else one installed from the npm registry into a cache.
 */
export async function ensureNode(major: number): Promise<string> {
  const fromEnv = process.env[`QK_NODE${major}`];
  if (fromEnv) return fromEnv;
  if (process.versions.node.split('.')[0] === String(major)) return process.execPath;
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = join(dir, 'node');
    if (dir && existsSync(candidate) && (await nodeMajor(candidate)) === major) return candidate;
  }
  const platform = process.platform === 'win32' ? 'win' : process.platform;
  const pkg = `node-${platform}-${process.arch}`;
  const prefix = join(
    process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'),
    'qdrant-kit',
    `node${major}`,
  );
  const binary = join(prefix, 'node_modules', pkg, 'bin', 'node');
  if (!existsSync(binary)) {
    mkdirSync(prefix, { recursive: true });
    await execFileAsync(
      'npm',
      ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `${pkg}@${major}`],
      {
        timeout: 300_000,
      },
    );
  }
  return binary;
}

async function nodeMajor(binary: string): Promise<number | undefined> {
  try {
    const { stdout } = await execFileAsync(binary, ['--version'], { timeout: 10_000 });
    return Number(stdout.trim().replace(/^v/, '').split('.')[0]);
  } catch {
    return undefined;
  }
}

function packageBinary(name: 'deno' | 'bun'): string {
  const root = dirname(require.resolve(`${name}/package.json`));
  const binary = name === 'deno' ? join(root, 'deno') : join(root, 'bin', 'bun.exe');
  if (!existsSync(binary))
    throw new Error(
      `${name} binary missing at ${binary}: reinstall with pnpm (its postinstall must run)`,
    );
  return binary;
}

async function commandFor(runtime: RuntimeName, runner: string): Promise<string[]> {
  switch (runtime) {
    case 'node20':
      return [await ensureNode(20), runner];
    case 'node24':
      return [await ensureNode(24), runner];
    case 'deno':
      // Only what a suite with a loopback peer needs: reading the env handed in and talking to 127.0.0.1.
      return [
        packageBinary('deno'),
        'run',
        '--no-prompt',
        '--allow-net=127.0.0.1,localhost',
        '--allow-read',
        '--allow-env',
        runner,
      ];
    case 'bun':
      return [packageBinary('bun'), 'run', runner];
    default:
      throw new Error(`no command for ${runtime}`);
  }
}

function runProcess(
  argv: string[],
  env: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<SuiteResult> {
  return new Promise((resolvePromise, reject) => {
    const [command, ...args] = argv as [string, ...string[]];
    const child = spawn(command, args, {
      env: {
        ...process.env,
        QK_SUITE_ENV: JSON.stringify(env),
        NO_COLOR: '1',
        DENO_NO_UPDATE_CHECK: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARK));
      if (!line) {
        reject(
          new Error(
            `${argv[0]} exited with ${code} and no result\n${stdout.slice(-2000)}\n${stderr.slice(-4000)}`,
          ),
        );
        return;
      }
      resolvePromise(JSON.parse(line.slice(RESULT_MARK.length)) as SuiteResult);
    });
  });
}

async function runInWorkerd(
  bundle: string,
  env: Readonly<Record<string, string>>,
): Promise<SuiteResult> {
  const { Miniflare } = await import('miniflare');
  const { readFile } = await import('node:fs/promises');
  const mf = new Miniflare({
    modules: true,
    script: await readFile(bundle, 'utf8'),
    scriptPath: bundle,
    compatibilityDate: '2025-09-01',
  });
  try {
    const response = await mf.dispatchFetch('http://suite.local/', {
      method: 'POST',
      body: JSON.stringify(env),
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(`workerd answered ${response.status}: ${text.slice(0, 2000)}`);
    return JSON.parse(text) as SuiteResult;
  } finally {
    await mf.dispose();
  }
}

/** Bundles `options.suite` and runs it on `runtime`, resolving to its pass/fail counts. */
export async function runSuiteOn(
  runtime: RuntimeName,
  options: RunSuiteOptions,
): Promise<SuiteResult> {
  const env = options.env ?? {};
  const bundle = await bundleSuite(runtime, resolve(options.suite));
  if (runtime === 'workerd') return runInWorkerd(bundle, env);
  const runner = join(dirname(bundle), 'runner.mjs');
  writeFileSync(
    runner,
    [
      `import { run } from './suite.mjs';`,
      `const env = JSON.parse(globalThis.process?.env?.QK_SUITE_ENV ?? globalThis.Deno?.env.get('QK_SUITE_ENV') ?? '{}');`,
      `const result = await run(env);`,
      `console.log(${JSON.stringify(RESULT_MARK)} + JSON.stringify(result));`,
      // Some suites leave loopback sockets to be collected; exit so the host never waits on them.
      `globalThis.Deno ? Deno.exit(0) : process.exit(0);`,
    ].join('\n'),
  );
  return runProcess(await commandFor(runtime, runner), env, options.timeoutMs ?? 180_000);
}
