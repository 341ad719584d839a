/** A redis-server started by {@link startRedisServer}. */
export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Kills the server (SIGKILL: clients see the connection drop, as in a crash). */
  kill(): Promise<void>;
  /** Starts it again on the same port, with the same arguments. */
  start(): Promise<void>;
  /** Kills it and removes its directory. */
  stop(): Promise<void>;
}

/** Options of {@link startRedisServer}. */
export interface RedisServerOptions {
  /**
   * More command-line arguments, after the defaults (`--save '' --appendonly no`), which they
   * override: e.g. `['--appendonly', 'yes']`.
   */
  readonly args?: readonly string[];
}

/**
 * Starts Debian's redis-server (or `$REDIS_SERVER`) on a free 127.0.0.1 port in a temporary
 * directory, without persistence unless `options.args` turns it on.
 */
export function startRedisServer(options?: RedisServerOptions): Promise<RedisServer>;

/** Waits until `check` holds, polling every 10 ms, up to `timeoutMs` (5000). */
export function waitFor(check: () => boolean | Promise<boolean>, timeoutMs?: number): Promise<void>;
