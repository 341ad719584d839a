// Runs the built CLI (`dist/cli.js`) as a separate process, as `pnpm start` would.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface ChildGateway {
  readonly child: ChildProcess;
  readonly url: string;
  stdout: string;
  stderr: string;
  /** Resident and peak resident memory of the child, in bytes (Linux /proc). */
  memory(): { rss: number; peak: number };
  exited: Promise<number | null>;
}

export function runCli(env: Record<string, string>, args: string[] = []) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', QDRANT_GATEWAY_HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (c: Buffer) => (out.stdout += c));
  child.stderr!.on('data', (c: Buffer) => (out.stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out, exited };
}

export async function startChildGateway(env: Record<string, string>): Promise<ChildGateway> {
  const { child, out, exited } = runCli(env);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`gateway did not start: ${out.stderr}`)),
      15_000,
    );
    const onData = () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out.stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`gateway exited ${code}: ${out.stderr}`)));
  });
  return {
    child,
    url,
    get stdout() {
      return out.stdout;
    },
    get stderr() {
      return out.stderr;
    },
    memory() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = (name: string) =>
        Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
      return { rss: kb('VmRSS'), peak: kb('VmHWM') };
    },
    exited,
  } as ChildGateway;
}
