/**
 * The Redis {@link SharedStateStore} (`@qdrant-kit/hono/redis`), on node-redis. For Node, Bun
 * and Deno: node-redis opens TCP/TLS sockets through `node:net` / `node:tls`, so this entry is
 * never imported by the package's root, which stays Workers-safe.
 *
 * @module
 */
import { createClient, defineScript, type RedisClientType } from '@redis/client';
import { parseRevocationChange, parseRevocationEntry } from '../revocation/entry.js';
import { DELETE_REVOCATION, PUT_REVOCATION, TAKE_TOKENS } from './redis-scripts.js';
import type {
  RateLimitPolicy,
  RevocationEntry,
  RevocationSnapshot,
  RevocationWatcher,
  SharedStateStore,
  TokenGrant,
} from './types.js';

/** Options of {@link createRedisStore}. */
export interface RedisStoreOptions {
  /** `redis://` or `rediss://` URL (`QDRANT_GATEWAY_REDIS_URL`). */
  readonly url: string;
  /** Prefix of every key and of the channel (default `qdrant-gateway:`). */
  readonly prefix?: string;
  /** Longest wait for one command, in milliseconds (default 1000). */
  readonly commandTimeoutMs?: number;
  /** Longest wait for a connection, in milliseconds (default 2000). */
  readonly connectTimeoutMs?: number;
  /** Called on connection errors (default: one line on `console.error` per distinct message). */
  readonly onError?: (error: Error) => void;
  /**
   * Called at most once, after the first connection, when the server keeps nothing on disk
   * (`CONFIG GET appendonly` is `no` and `CONFIG GET save` is empty): a restart of such a Redis
   * empties the revocation list. A server that refuses `CONFIG` (many managed ones do) is not
   * reported. Default: one line on `console.warn`.
   */
  readonly onWarning?: (message: string) => void;
}

/** What {@link createRedisStore} reports for a Redis server without persistence. */
export const REDIS_WITHOUT_PERSISTENCE_WARNING =
  'qdrant gateway: redis: neither AOF (appendonly) nor RDB snapshots (save) are on: a restart of Redis empties the revocation list and revoked keys are accepted again';

/** Thrown when a command is attempted while the store is not connected. */
export class StateStoreUnavailableError extends Error {
  override name = 'StateStoreUnavailableError';
}

const scripts = {
  putRevocation: defineScript({
    SCRIPT: PUT_REVOCATION,
    NUMBER_OF_KEYS: 3,
    parseCommand(
      parser,
      keys: readonly [string, string, string],
      id: string,
      json: string,
      until: string,
      channel: string,
      now: string,
    ) {
      for (const key of keys) parser.pushKey(key);
      parser.push(id, json, until, channel, now);
    },
    transformReply: undefined as unknown as () => number,
  }),
  deleteRevocation: defineScript({
    SCRIPT: DELETE_REVOCATION,
    NUMBER_OF_KEYS: 3,
    parseCommand(parser, keys: readonly [string, string, string], id: string, channel: string) {
      for (const key of keys) parser.pushKey(key);
      parser.push(id, channel);
    },
    transformReply: undefined as unknown as () => number,
  }),
  takeTokens: defineScript({
    SCRIPT: TAKE_TOKENS,
    NUMBER_OF_KEYS: 1,
    parseCommand(parser, key: string, quota: string, windowMs: string, want: string) {
      parser.pushKey(key);
      parser.push(quota, windowMs, want);
    },
    transformReply: undefined as unknown as () => [number, number, number, number],
  }),
};

type StoreClient = RedisClientType<Record<string, never>, Record<string, never>, typeof scripts>;

/** One value of a `CONFIG GET` reply, whatever shape the client maps it to. */
function configValue(reply: unknown, name: string): string | undefined {
  const value =
    reply instanceof Map ? reply.get(name) : (reply as Record<string, unknown> | null)?.[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Whether the server keeps data on disk: `false` only when both answers were read and both
 * are off; `undefined` when it cannot be told (`CONFIG` refused, renamed or filtered by ACLs).
 */
async function keepsDataOnDisk(client: StoreClient): Promise<boolean | undefined> {
  try {
    const appendonly = configValue(await client.configGet('appendonly'), 'appendonly');
    const save = configValue(await client.configGet('save'), 'save');
    if (appendonly === undefined || save === undefined) return undefined;
    return appendonly.trim().toLowerCase() === 'yes' || save.trim() !== '';
  } catch {
    return undefined;
  }
}

function defaultErrorLogger(): (error: Error) => void {
  let last = '';
  return (error) => {
    // A server that is down makes the client retry (and fail) many times a second.
    if (error.message === last) return;
    last = error.message;
    console.error(`qdrant gateway: redis: ${error.message}`);
  };
}

/**
 * A {@link SharedStateStore} on one Redis server, shared by every gateway instance that uses
 * the same URL and prefix. The revocation list is a hash plus a version counter changed only
 * by Lua scripts, which also publish each change on a pub/sub channel; rate-limit buckets are
 * hashes updated by a Lua token bucket on Redis's clock. Connections reconnect by themselves;
 * while one is down its commands fail at once (no offline queue), so callers never wait on a
 * dead server.
 */
export function createRedisStore(options: RedisStoreOptions): SharedStateStore {
  const prefix = options.prefix ?? 'qdrant-gateway:';
  const onError = options.onError ?? defaultErrorLogger();
  const listKeys = [
    `${prefix}{revocations}`,
    `${prefix}{revocations}:version`,
    `${prefix}{revocations}:expiry`,
  ] as const;
  const channel = `${prefix}revocations:changes`;
  const client: StoreClient = createClient({
    url: options.url,
    scripts,
    disableOfflineQueue: true,
    commandOptions: { timeout: options.commandTimeoutMs ?? 1000 },
    socket: {
      connectTimeout: options.connectTimeoutMs ?? 2000,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 5), 1000),
    },
  }) as unknown as StoreClient;
  client.on('error', onError);
  let closed = false;
  const onWarning = options.onWarning ?? ((message: string) => console.warn(message));
  // connect() retries until it succeeds; commands fail fast until then.
  const connecting = client
    .connect()
    .then(async () => {
      // Once, at start-up: without AOF or RDB a restart of Redis brings revoked keys back.
      if ((await keepsDataOnDisk(client)) === false && !closed) {
        onWarning(REDIS_WITHOUT_PERSISTENCE_WARNING);
      }
    })
    .catch((error: unknown) => {
      if (!closed) onError(error instanceof Error ? error : new Error(String(error)));
    });
  const subscribers = new Set<StoreClient>();

  function ensureReady(): void {
    if (!client.isReady) throw new StateStoreUnavailableError('redis is not connected');
  }

  return {
    kind: 'redis',
    async loadRevocations(): Promise<RevocationSnapshot> {
      ensureReady();
      const [hash, version] = (await client
        .multi()
        .hGetAll(listKeys[0])
        .get(listKeys[1])
        .exec()) as unknown as [Record<string, string>, string | null];
      const entries: RevocationEntry[] = [];
      for (const json of Object.values(hash)) {
        const entry = parseRevocationEntry(json);
        // An entry this version cannot read is skipped, not fatal: the rest still applies.
        if (entry !== undefined) entries.push(entry);
        else onError(new Error('skipped an unreadable revocation entry'));
      }
      return { version: version === null ? 0 : Number(version), entries };
    },
    async revocationVersion() {
      ensureReady();
      const version = await client.get(listKeys[1]);
      return version === null ? 0 : Number(version);
    },
    async putRevocation(entry) {
      ensureReady();
      return Number(
        await client.putRevocation(
          listKeys,
          entry.id,
          JSON.stringify(entry),
          entry.until === undefined ? '' : String(entry.until),
          channel,
          String(Date.now()),
        ),
      );
    },
    async deleteRevocation(id) {
      ensureReady();
      return Number(await client.deleteRevocation(listKeys, id, channel)) > 0;
    },
    async watchRevocations(watcher: RevocationWatcher) {
      const subscriber = client.duplicate({ disableOfflineQueue: false }) as StoreClient;
      subscribers.add(subscriber);
      let live = false;
      const lost = () => {
        if (!live) return;
        live = false;
        watcher.disconnected();
      };
      subscriber.on('error', onError);
      subscriber.on('end', lost);
      subscriber.on('reconnecting', lost);
      // node-redis re-subscribes on its own after a reconnect; the queued SUBSCRIBE goes out
      // before this PING, so its answer means the channel is listened to again.
      subscriber.on('ready', () => {
        if (live || closed) return;
        subscriber
          .ping()
          .then(() => {
            if (!live && subscriber.isReady) {
              live = true;
              watcher.connected();
            }
          })
          .catch(() => undefined);
      });
      subscriber.connect().catch((error: unknown) => {
        if (!closed && subscribers.has(subscriber)) {
          onError(error instanceof Error ? error : new Error(String(error)));
        }
      });
      // Queued until the first connection; never awaited, so a server that is down at start-up
      // does not hold the caller (it learns of the connection through `connected`).
      subscriber
        .subscribe(channel, (message) => {
          const change = parseRevocationChange(message);
          // A message we cannot read may have been a change: treat it like a gap (reload).
          if (change === undefined) watcher.connected();
          else watcher.change(change);
        })
        .catch(() => undefined);
      return () => {
        live = false;
        subscribers.delete(subscriber);
        subscriber.destroy();
      };
    },
    async takeTokens(key: string, policy: RateLimitPolicy, want: number): Promise<TokenGrant> {
      ensureReady();
      const bucket = `${prefix}rl:${policy.quota}/${policy.windowSeconds}:${key}`;
      const [granted, remaining, retryAfterMs, resetMs] = await client.takeTokens(
        bucket,
        String(policy.quota),
        String(policy.windowSeconds * 1000),
        String(want),
      );
      return {
        granted: Number(granted),
        remaining: Number(remaining),
        retryAfterMs: Number(retryAfterMs),
        resetMs: Number(resetMs),
      };
    },
    async close() {
      closed = true;
      for (const subscriber of subscribers) subscriber.destroy();
      subscribers.clear();
      client.destroy();
      await connecting;
    },
  };
}
