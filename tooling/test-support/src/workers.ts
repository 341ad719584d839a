// Two Workers under Miniflare (workerd) sharing one Durable Object namespace, as two isolates of
// the gateway would: for the Durable Object store's tests and the Workers entry's.
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';

/** Bundles a Worker's entry module (TypeScript or JavaScript) as one ES module for workerd. */
export async function bundleForWorkerd(entry: string): Promise<string> {
  const bundle = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    write: false,
    mainFields: ['module', 'main'],
    conditions: ['workerd', 'worker', 'import'],
  });
  return bundle.outputFiles[0]?.text ?? '';
}

/** Options of {@link startTwoWorkers}. */
export interface TwoWorkersOptions {
  /** Path of the Worker's entry module; both Workers run it. */
  readonly entry: string;
  /** Name of the Durable Object binding both get; Worker `a` defines its class. */
  readonly stateBinding: string;
  /** The Durable Object class the entry exports. Default `QdrantGatewayState`. */
  readonly stateClass?: string;
  /** Vars both Workers get. */
  readonly bindings?: Readonly<Record<string, string>>;
}

/** Two running Workers, `a` and `b`. */
export interface TwoWorkers {
  /** Sends a request to one of them (`path` is appended to `http://gateway`). */
  fetch(worker: 'a' | 'b', path: string, init?: RequestInit): Promise<Response>;
  dispose(): Promise<void>;
}

/** Starts Workers `a` and `b` running `entry`, sharing the Durable Object class `a` defines. */
export async function startTwoWorkers(options: TwoWorkersOptions): Promise<TwoWorkers> {
  const script = await bundleForWorkerd(options.entry);
  const className = options.stateClass ?? 'QdrantGatewayState';
  const common = {
    modules: true,
    script,
    compatibilityDate: '2025-09-01',
    ...(options.bindings === undefined ? {} : { bindings: { ...options.bindings } }),
  };
  const mf = new Miniflare({
    workers: [
      { name: 'a', ...common, durableObjects: { [options.stateBinding]: className } },
      {
        name: 'b',
        ...common,
        durableObjects: { [options.stateBinding]: { className, scriptName: 'a' } },
      },
    ],
  });
  await mf.ready;
  return {
    async fetch(worker, path, init) {
      // Miniflare types its fetcher with Workers types this workspace does not install.
      const target = (await mf.getWorker(worker)) as unknown as {
        fetch(url: string, init?: RequestInit): Promise<Response>;
      };
      return target.fetch(`http://gateway${path}`, init);
    },
    dispose: () => mf.dispose(),
  };
}
