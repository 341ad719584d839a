// Waiters poll until a resource is usable and report each poll through onProgress. A poll that
// fails for a passing reason (a timeout, a 5xx or 429, no answer) is reported and polled again;
// a state that will not get better (a failure phase, a refused request) stops the wait at once.
// The wait's own time limit is hard: a poll in flight is cut off when it runs out.
import { QdrantCloudError } from './errors.js';
import type { ClusterService } from './generated/services/cluster.js';
import type { Cluster, ClusterPhase } from './generated/types.js';
import { getWithKey } from './database.js';
import { sleep } from './retry.js';

/** Options shared by the waiters. */
export interface WaitOptions<Progress> {
  /** Pause between polls in ms. */
  readonly intervalMs?: number | undefined;
  /** Give up after this many ms; a poll still running then is aborted. */
  readonly timeoutMs?: number | undefined;
  /** Stops waiting (rejects with `kind: 'aborted'`). */
  readonly signal?: AbortSignal | undefined;
  /** Called after every poll, also after one that failed and will be retried. */
  readonly onProgress?: ((progress: Progress) => void) | undefined;
}

/** What {@link waitForClusterHealthy} reports after each poll. */
export interface ClusterWaitProgress {
  /** 1 for the first poll. */
  readonly attempt: number;
  /** Time since the wait started. */
  readonly elapsedMs: number;
  /** `cluster.state.phase`, e.g. `CLUSTER_PHASE_CREATING`; undefined when the poll failed. */
  readonly phase: ClusterPhase | undefined;
  /** The cluster as read by this poll; undefined when the poll failed. */
  readonly cluster: Cluster | undefined;
  /** Why this poll failed (it will be retried), when it did. */
  readonly error: QdrantCloudError | undefined;
}

/** Options of {@link waitForClusterHealthy}. */
export interface ClusterWaitOptions extends WaitOptions<ClusterWaitProgress> {
  /** Time limit of one `getCluster` poll in ms (default 30 000, never past the wait's end). */
  readonly pollTimeoutMs?: number | undefined;
}

/** Phases a cluster does not leave by itself: waiting on stops with an error (as the official CLI does). */
export const CLUSTER_FAILURE_PHASES: readonly ClusterPhase[] = [
  'CLUSTER_PHASE_FAILED_TO_CREATE',
  'CLUSTER_PHASE_FAILED_TO_SYNC',
  'CLUSTER_PHASE_NOT_FOUND',
];

/** Whether a failed poll may succeed if repeated: timeouts, no answer, 429 and 5xx. */
export function isTransientFailure(error: unknown): error is QdrantCloudError {
  if (!(error instanceof QdrantCloudError)) return false;
  if (error.kind === 'timeout' || error.kind === 'network') return true;
  return (
    error.kind === 'http' &&
    error.status !== undefined &&
    (error.status === 429 || error.status >= 500)
  );
}

/** The wait's end as a signal, combined with the caller's. */
function waitSignal(timeoutMs: number, signal: AbortSignal | undefined) {
  const deadline = AbortSignal.timeout(Math.max(0, timeoutMs));
  return {
    deadline,
    combined: signal ? AbortSignal.any([signal, deadline]) : deadline,
  };
}

/**
 * Polls `getCluster` until the cluster is `CLUSTER_PHASE_HEALTHY` and resolves to it. Rejects with
 * a {@link QdrantCloudError} of kind `wait` on a failure phase or after `timeoutMs`
 * (default 20 minutes), and with the poll's own error when the API refuses it (4xx); polls
 * every `intervalMs` (default 5 s). Failed polls that can succeed later are retried.
 */
export async function waitForClusterHealthy(
  cluster: Pick<ClusterService, 'getCluster'>,
  request: { readonly clusterId: string; readonly accountId?: string | undefined },
  options: ClusterWaitOptions = {},
): Promise<Cluster> {
  const {
    intervalMs = 5_000,
    timeoutMs = 20 * 60_000,
    pollTimeoutMs = 30_000,
    signal,
    onProgress,
  } = options;
  const waiter = 'waitForClusterHealthy';
  const started = Date.now();
  const { deadline, combined } = waitSignal(timeoutMs, signal);
  const call = request.accountId
    ? { clusterId: request.clusterId, accountId: request.accountId }
    : { clusterId: request.clusterId };
  let last = 'no poll yet';
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw aborted(waiter);
    if (deadline.aborted) throw gaveUp(waiter, timeoutMs, last);
    const left = started + timeoutMs - Date.now();
    let current: Cluster | undefined;
    let error: QdrantCloudError | undefined;
    try {
      ({ cluster: current = {} } = await cluster.getCluster(call, {
        signal: combined,
        timeoutMs: Math.max(1, Math.min(pollTimeoutMs, left)),
        retry: false,
      }));
    } catch (cause) {
      if (signal?.aborted) throw aborted(waiter);
      if (deadline.aborted) throw gaveUp(waiter, timeoutMs, last);
      if (!isTransientFailure(cause)) throw cause;
      error = cause;
    }
    const phase = current?.state?.phase;
    onProgress?.({ attempt, elapsedMs: Date.now() - started, phase, cluster: current, error });
    if (error === undefined) {
      if (phase === 'CLUSTER_PHASE_HEALTHY') return current as Cluster;
      if (phase && CLUSTER_FAILURE_PHASES.includes(phase)) {
        const reason = current?.state?.reason ? `: ${current.state.reason}` : '';
        throw new QdrantCloudError({
          kind: 'wait',
          code: 9,
          rpc: waiter,
          message: `${waiter}: cluster ${request.clusterId} is ${phase}${reason}`,
        });
      }
      last = `cluster ${request.clusterId} is still ${phase ?? 'without a phase'}`;
    } else {
      last = `the last poll failed: ${error.message}`;
    }
    await pause(waiter, started, timeoutMs, intervalMs, signal, last);
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
      readonly accountId?: string | undefined;
    };

/** Options of {@link waitForDatabaseKey}. */
export interface DatabaseKeyWaitOptions extends WaitOptions<DatabaseKeyWaitProgress> {
  /** Fetch for the probes; default the global `fetch`. */
  readonly fetch?: typeof globalThis.fetch | undefined;
  /**
   * Path probed, default `/collections`: it needs a valid key on every cluster and is allowed
   * for every kind of key (collection-scoped keys get a filtered list). `/` would not do: a
   * cluster answers it without checking the key at all.
   */
  readonly path?: string | undefined;
  /** Time limit of one probe in ms (default 10 000). */
  readonly probeTimeoutMs?: number | undefined;
}

const DEFAULT_REST_PORT = 6333;

/**
 * Waits until a newly created database key works: probes the cluster with the key in the
 * `api-key` header until it answers 2xx (as the official CLI's `--wait` does). Defaults: probe
 * every second, give up after a minute. With a `cluster` target the endpoint is
 * `state.endpoint.url` on `restPort` (default 6333). A redirect to another origin is never
 * followed (the key stays on the cluster) and never counts as success.
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
  const waiter = 'waitForDatabaseKey';
  const started = Date.now();
  const { deadline, combined } = waitSignal(timeoutMs, signal);
  let last = 'no probe yet';
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw aborted(waiter);
    if (deadline.aborted) throw gaveUp(waiter, timeoutMs, last);
    let url: string | undefined;
    let status: number | undefined;
    let error: string | undefined;
    try {
      url = await resolveEndpoint(target, combined);
      const response = await getWithKey(
        {
          url,
          apiKey: key,
          fetch: options.fetch,
          signal: combined,
          timeoutMs: Math.max(1, Math.min(probeTimeoutMs, started + timeoutMs - Date.now())),
        },
        `/${path.replace(/^\/+/, '')}`,
        waiter,
      );
      status = response.status;
      await response.body?.cancel().catch(() => undefined);
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (cause) {
      if (signal?.aborted) throw aborted(waiter);
      if (deadline.aborted) throw gaveUp(waiter, timeoutMs, last);
      error = cause instanceof Error ? cause.message : String(cause);
      if (error.includes(key)) error = error.split(key).join('[REDACTED]');
    }
    onProgress?.({ attempt, elapsedMs: Date.now() - started, url, status, error });
    if (error === undefined) return;
    last = `the key is not accepted yet (${error})`;
    await pause(waiter, started, timeoutMs, intervalMs, signal, last);
  }
}

async function resolveEndpoint(target: DatabaseKeyTarget, signal: AbortSignal): Promise<string> {
  if ('url' in target) return target.url;
  const request = target.accountId
    ? { clusterId: target.clusterId, accountId: target.accountId }
    : { clusterId: target.clusterId };
  const { cluster } = await target.cluster.getCluster(request, { signal, retry: false });
  const endpoint = cluster?.state?.endpoint;
  if (!endpoint?.url) throw new Error(`cluster ${target.clusterId} has no endpoint yet`);
  const url = new URL(endpoint.url);
  if (!url.port) url.port = String(endpoint.restPort || DEFAULT_REST_PORT);
  return url.toString();
}

async function pause(
  waiter: string,
  started: number,
  timeoutMs: number,
  intervalMs: number,
  signal: AbortSignal | undefined,
  last: string,
): Promise<void> {
  const left = started + timeoutMs - Date.now();
  if (left <= 0) throw gaveUp(waiter, timeoutMs, last);
  await sleep(Math.min(intervalMs, left), signal).catch(() => {
    throw aborted(waiter);
  });
}

function gaveUp(waiter: string, timeoutMs: number, last: string): QdrantCloudError {
  return new QdrantCloudError({
    kind: 'wait',
    code: 4,
    rpc: waiter,
    message: `${waiter}: gave up after ${timeoutMs} ms: ${last}`,
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
