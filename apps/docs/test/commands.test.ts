import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

// Every shell block of the README and of Getting started is marked with what it needs
// (`<!-- commands: ... -->` on the line before it), and every block marked `offline` runs here,
// in a temp dir where the packages are "installed" from this build, with a time limit: the
// first steps a newcomer copies cannot drift from what works. `<!-- file: name -->` before a
// code block saves it under that name first; `offline, server` blocks start in the background
// and stay up for the blocks after them.
const docsRoot = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = join(docsRoot, '..', '..');
const scratch = join(docsRoot, 'test-output', 'commands');
const DOCUMENTS = ['README.md', 'apps/docs/guide/getting-started.md'];
const PACKAGES: Record<string, string> = {
  '@qdrant-kit/core': 'packages/core',
  '@qdrant-kit/client': 'packages/client',
  '@qdrant-kit/hono': 'packages/hono',
  '@qdrant-kit/gateway': 'apps/gateway',
};
const BLOCK_TIMEOUT_MS = 60_000;
/** The port the docs use; each run substitutes a free one. */
const DOCUMENTED_PORT = '8787';

export interface Block {
  readonly document: string;
  readonly line: number;
  readonly language: string;
  readonly marker: { kind: 'commands' | 'file'; value: string } | undefined;
  readonly code: string;
}

/** The fenced code blocks of a Markdown text, each with the HTML comment on the line before. */
export function blocksOf(document: string, text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)/.exec(lines[i] ?? '');
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i] ?? ''); i++) body.push(lines[i] ?? '');
    const comment = /^<!--\s*(commands|file):\s*(.*?)\s*-->$/.exec(lines[start - 1] ?? '');
    blocks.push({
      document,
      line: start + 1,
      language: open[1] ?? '',
      marker: comment
        ? { kind: comment[1] as 'commands' | 'file', value: comment[2] ?? '' }
        : undefined,
      code: body.join('\n'),
    });
  }
  return blocks;
}

/** `# prints: text` lines: what the block's output must contain. */
function expectations(code: string): string[] {
  return [...code.matchAll(/^# prints: (.*)$/gm)].map((match) => match[1] ?? '');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * A project directory in which the three packages are installed from this build: a copy of
 * each package.json with its dist (and bin) linked, so Node resolves their own dependencies
 * from the workspace, and npx finds `@qdrant-kit/gateway` without the registry.
 */
function installBuiltPackages(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'first-steps', private: true, dependencies: {} }),
  );
  for (const [name, path] of Object.entries(PACKAGES)) {
    const source = join(repoRoot, path);
    const target = join(dir, 'node_modules', name);
    mkdirSync(target, { recursive: true });
    cpSync(join(source, 'package.json'), join(target, 'package.json'));
    assert.ok(existsSync(join(source, 'dist')), `${name} is not built`);
    for (const entry of ['dist', 'bin']) {
      if (existsSync(join(source, entry))) symlinkSync(join(source, entry), join(target, entry));
    }
    const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as {
      bin?: Record<string, string>;
    };
    for (const [command, file] of Object.entries(manifest.bin ?? {})) {
      symlinkSync(join('..', name, file), join(dir, 'node_modules', '.bin', command));
    }
  }
}

interface Run {
  readonly child: ChildProcess;
  output: string;
  readonly exited: Promise<number | null>;
}

function runShell(code: string, cwd: string, env: NodeJS.ProcessEnv): Run {
  const child = spawn('bash', ['-eo', 'pipefail', '-c', code], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const run: Run = {
    child,
    output: '',
    exited: new Promise((resolve) => child.on('exit', (status) => resolve(status))),
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    run.output += chunk;
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    run.output += chunk;
  });
  return run;
}

function stop(run: Run): Promise<number | null> {
  try {
    if (run.child.pid) process.kill(-run.child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  return run.exited;
}

async function waitFor(run: Run, texts: string[], ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  let status: number | null | undefined;
  void run.exited.then((code) => {
    status = code;
  });
  while (!texts.every((text) => run.output.includes(text))) {
    if (status !== undefined) assert.fail(`exited ${status} before printing it:\n${run.output}`);
    if (Date.now() > deadline) assert.fail(`not printed within ${ms} ms:\n${run.output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const servers: Run[] = [];
after(async () => {
  await Promise.all(servers.map(stop));
});

for (const document of DOCUMENTS) {
  const blocks = blocksOf(document, readFileSync(join(repoRoot, document), 'utf8'));
  const shell = blocks.filter((block) => block.language === 'sh');
  const where = (block: Block) => `${block.document}:${block.line}`;

  describe(`the commands of ${document}`, () => {
    test('every shell block says what it needs, and some run offline', () => {
      for (const block of shell) {
        assert.equal(block.marker?.kind, 'commands', `${where(block)}: no <!-- commands: ... -->`);
        assert.ok(block.marker.value.length > 0, `${where(block)}: empty marker`);
      }
      assert.ok(shell.some((block) => block.marker?.value.startsWith('offline')));
    });

    test('install and npx lines name packages of this repository that are published', () => {
      for (const block of shell) {
        for (const match of block.code.matchAll(/\bnpm install ((?:@?[\w/.-]+ ?)+)/g)) {
          const names = (match[1] ?? '').trim().split(/\s+/);
          const ours = names.filter((name) => name in PACKAGES);
          // Another package on the line must be a peer dependency of one of ours on it (`hono`).
          const peers = new Set(
            ours.flatMap((name) =>
              Object.keys(
                JSON.parse(
                  readFileSync(join(repoRoot, PACKAGES[name] ?? '', 'package.json'), 'utf8'),
                ).peerDependencies ?? {},
              ),
            ),
          );
          for (const name of names) {
            assert.ok(name in PACKAGES || peers.has(name), `${where(block)}: npm install ${name}`);
          }
        }
        for (const match of block.code.matchAll(/\bnpx ([@\w/.-]+)/g)) {
          const name = match[1] ?? '';
          if (name === 'wrangler') continue;
          const path = PACKAGES[name];
          assert.ok(path, `${where(block)}: npx ${name} is not one of our packages`);
          const manifest = JSON.parse(readFileSync(join(repoRoot, path, 'package.json'), 'utf8'));
          // npx runs a scoped package's only bin.
          assert.equal(Object.keys(manifest.bin ?? {}).length, 1, `${name} has one bin`);
          assert.notEqual(manifest.private, true, `${name} is published`);
        }
      }
    });

    const dir = join(scratch, document.replace(/[/.]/g, '_'));
    let prepared: Promise<NodeJS.ProcessEnv> | undefined;
    const environment = () => {
      prepared ??= (async () => {
        installBuiltPackages(dir);
        const env: NodeJS.ProcessEnv = {};
        for (const [key, value] of Object.entries(process.env)) {
          if (!/^(QDRANT|PORT$|npm_)/.test(key)) env[key] = value;
        }
        return {
          ...env,
          PATH: `${join(dir, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
          PORT: String(await freePort()),
          npm_config_offline: 'true',
          npm_config_update_notifier: 'false',
          npm_config_yes: 'false',
        };
      })();
      return prepared;
    };

    for (const block of blocks) {
      if (block.marker?.kind === 'file') {
        test(`${where(block)} is saved as ${block.marker.value}`, async () => {
          await environment();
          writeFileSync(join(dir, block.marker?.value ?? ''), `${block.code}\n`);
        });
        continue;
      }
      if (block.language !== 'sh' || !block.marker?.value.startsWith('offline')) continue;
      const server = /\bserver\b/.test(block.marker.value);
      test(`${where(block)} runs${server ? ' (in the background)' : ''}`, async () => {
        const env = await environment();
        const port = env.PORT ?? '';
        const code = block.code.replaceAll(`:${DOCUMENTED_PORT}`, `:${port}`);
        const expected = expectations(code);
        const run = runShell(code, dir, env);
        if (server) {
          servers.push(run);
          await waitFor(run, expected, BLOCK_TIMEOUT_MS);
          return;
        }
        const timer = setTimeout(() => void stop(run), BLOCK_TIMEOUT_MS);
        const status = await run.exited;
        clearTimeout(timer);
        assert.equal(status, 0, `exit ${status}:\n${run.output}`);
        for (const text of expected)
          assert.ok(run.output.includes(text), `${text}\n---\n${run.output}`);
      });
    }
  });
}
