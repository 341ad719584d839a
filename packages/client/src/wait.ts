// Waiters poll until a resource is usable, report each poll through onProgress, and stop early
// on states that will not get better.
import { databaseKeyHeaders } from '@qdrant-kit/core';
import { QdrantCloudError } from './errors.js';
import type { ClusterService } from './generated/services/cluster.js';
import type { Cluster, ClusterPhase } from './generated/types.js';
import { scrub } from './redact.js';
import { sleep } from './retry.js';

/** Options shared by the waiters. */
export interface WaitOptions<Progress> {
  /** Pause between polls in ms. */
  readonly intervalMs?: number;
  /** Give up after this many ms. */
  readonly timeoutMs?: number;
  /** Stops waiting (rejects with `kind: 'aborted'`). */
  readonly signal?: AbortSignal;
  /** Called after every poll. */
  readonly onProgress?: (progress: Progress) => void;
}

/** What {@link waitForClusterHealthy} reports after each poll. */
export interface ClusterWaitProgress {
  /** 1 for the first poll. */
  readonly attempt: number;
  /** Time since the wait started. */
  readonly elapsedMs: number;
  /** `cluster.state.phase`, e.g. `CLUSTER_PHASE_CREATING`. */
  readonly phase: ClusterPhase | undefined;
  /** The cluster as last read. */
  readonly cluster: Cluster;
}

/** Phases a cluster does not leave by itself: waiting on stops with an error (as the official CLI does). */
export const CLUSTER_FAILURE_PHASES: readonly ClusterPhase[] = [
  'CLUSTER_PHASE_FAILED_TO_CREATE',
  'CLUSTER_PHASE_FAILED_TO_SYNC',
  'CLUSTER_PHASE_NOT_FOUND',
];

/**
 * Polls `getCluster` until the cluster is `CLUSTER_PHASE_HEALTHY` and resolves to it. Rejects with
 * a {@link QdrantCloudError} of kind `wait` on a failure phase or after `timeoutMs`
 * (default 20 minutes); polls every `intervalMs` (default 5 s).
 */
export async function waitForClusterHealthy(
  cluster: Pick<ClusterService, 'getCluster'>,
  request: { clusterId: string; accountId?: string },
  options: WaitOptions<ClusterWaitProgress> = {},
): Promise<Cluster> {
  const { intervalMs = 5_000, timeoutMs = 20 * 60_000, signal, onProgress } = options;
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw aborted('waitForClusterHealthy');
    const { cluster: current = {} } = await cluster.getCluster(request, signal ? { signal } : {});
    const phase = current.state?.phase;
    onProgress?.({ attempt, elapsedMs: Date.now() - started, phase, cluster: current });
    if (phase === 'CLUSTER_PHASE_HEALTHY') return current;
    if (phase && CLUSTER_FAILURE_PHASES.includes(phase)) {
      const reason = current.state?.reason ? `: ${current.state.reason}` : '';
      throw new QdrantCloudError({
        kind: 'wait',
        code: 9,
        rpc: 'waitForClusterHealthy',
        message: `waitForClusterHealthy: cluster ${request.clusterId} is ${phase}${reason}`,
      });
    }
    await pause(
      'waitForClusterHealthy',
      started,
      timeoutMs,
      intervalMs,
      signal,
      () => `cluster ${request.clusterId} is still ${phase ?? 'without a phase'}`,
    );
  }
}

/** What {@link waitForDatabaseKey} reports after each probe. */
export interface DatabaseKeyWaitProgress {
  readonly attempt: number;
  readonly elapsedMs: number;
  /** The URL probed (without the key). */
  readonly url: string | undefined;
  /** HTTP status of the probe, when the cluster answered. */
  readonly status: number | undefined;
  /** Why the probe did not succeed (secret-free). */
  readonly error: string | undefined;
}

/** Where {@link waitForDatabaseKey} probes: a URL, or a cluster whose endpoint is read each time. */
export type DatabaseKeyTarget =
  | { readonly url: string }
  | {
      readonly cluster: Pick<ClusterService, 'getCluster'>;
      readonly clusterId: string;
      readonly accountId?: string;
    };

/** Options of {@link waitForDatabaseKey}. */
export interface DatabaseKeyWaitOptions extends WaitOptions<DatabaseKeyWaitProgress> {
  /** Fetch for the probes; default the global `fetch`. */
  readonly fetch?: typeof globalThis.fetch;
  /**
   * Path probed, default `/collections`: it needs a valid key on every cluster and is allowed
   * for every kind of key (collection-scoped keys get a filtered list). `/` would not do: a
   * cluster answers it without checking the key at all.
   */
  readonly path?: string;
  /** Time limit of one probe in ms (default 10 000). */
  readonly probeTimeoutMs?: number;
}

const DEFAULT_REST_PORT = 6333;

/**
 * Waits until a newly created database key works: probes the cluster with the key in the
 * `api-key` header until it answers 2xx (as the official CLI's `--wait` does). Defaults: probe
 * every second, give up after a minute. With a `cluster` target the endpoint is
 * `state.endpoint.url` on `restPort` (default 6333).
 */
export async function waitForDatabaseKey(
  key: string,
  target: DatabaseKeyTarget,
  options: DatabaseKeyWaitOptions = {},
): Promise<void> {
  const {
    intervalMs = 1_000,
    timeoutMs = 60_000,
    signal,
    onProgress,
    path = '/collections',
    probeTimeoutMs = 10_000,
  } = options;
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const started = Date.now();
  let last = 'no probe yet';
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw aborted('waitForDatabaseKey');
    let url: string | undefined;
    let status: number | undefined;
    let error: string | undefined;
    try {
      url = await resolveEndpoint(target, path, signal);
      const probe = AbortSignal.timeout(probeTimeoutMs);
      const response = await doFetch(url, {
        method: 'GET',
        headers: databaseKeyHeaders(key),
        signal: signal ? anySignal([signal, probe]) : probe,
      });
      status = response.status;
      await response.body?.cancel().catch(() => undefined);
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (cause) {
      if (signal?.aborted) throw aborted('waitForDatabaseKey');
      error = scrub(cause instanceof Error ? cause.message : String(cause), [key]);
    }
    onProgress?.({ attempt, elapsedMs: Date.now() - started, url, status, error });
    if (error === undefined) return;
    last = error;
    await pause(
      'waitForDatabaseKey',
      started,
      timeoutMs,
      intervalMs,
      signal,
      () => `the key is not accepted yet (${last})`,
    );
  }
}

async function resolveEndpoint(
  target: DatabaseKeyTarget,
  path: string,
  signal?: AbortSignal,
): Promise<string> {
  if ('url' in target) return joinUrl(target.url, path);
  const request = target.accountId
    ? { clusterId: target.clusterId, accountId: target.accountId }
    : { clusterId: target.clusterId };
  const { cluster } = await target.cluster.getCluster(request, signal ? { signal } : {});
  const endpoint = cluster?.state?.endpoint;
  if (!endpoint?.url) throw new Error(`cluster ${target.clusterId} has no endpoint yet`);
  const url = new URL(endpoint.url);
  if (!url.port) url.port = String(endpoint.restPort || DEFAULT_REST_PORT);
  return joinUrl(url.toString(), path);
}

function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

function anySignal(signals: AbortSignal[]): AbortSignal {
  const controller = new AbortController();
  for (const s of signals) {
    if (s.aborted) {
      controller.abort(s.reason);
      break;
    }
    s.addEventListener('abort', () => controller.abort(s.reason), { once: true });
  }
  return controller.signal;
}

async function pause(
  waiter: string,
  started: number,
  timeoutMs: number,
  intervalMs: number,
  signal: AbortSignal | undefined,
  describe: () => string,
): Promise<void> {
  const left = started + timeoutMs - Date.now();
  if (left <= 0) {
    throw new QdrantCloudError({
      kind: 'wait',
      code: 4,
      rpc: waiter,
      message: `${waiter}: gave up after ${timeoutMs} ms: ${describe()}`,
    });
  }
  await sleep(Math.min(intervalMs, left), signal).catch(() => {
    throw aborted(waiter);
  });
}

function aborted(waiter: string): QdrantCloudError {
  return new QdrantCloudError({
    kind: 'aborted',
    code: 1,
    rpc: waiter,
    message: `${waiter}: aborted`,
  });
}
