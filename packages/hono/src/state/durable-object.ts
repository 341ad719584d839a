/**
 * The Cloudflare Workers {@link SharedStateStore} (`@qdrant-kit/hono/durable-object`): a
 * Durable Object class to export from the Worker and bind (see the gateway's `wrangler.toml`),
 * and the store that talks to it. One object, named `revocations`, holds the list in its
 * durable storage; each rate-limited key has its own object (`rl:<policy>:<key>`) whose bucket
 * lives in memory, so a hot key never queues behind the others.
 *
 * The structural types below are the few parts of the Workers runtime this uses, so the
 * package needs no Workers type package.
 *
 * @module
 */
import { parseRevocationEntry, readRevocationEntry, REVOCATION_ID } from '../revocation/entry.js';
import { type BucketState, takeFromBucket } from './token-bucket.js';
import type {
  RateLimitPolicy,
  RevocationEntry,
  RevocationSnapshot,
  SharedStateStore,
  TokenGrant,
} from './types.js';

/** The part of `DurableObjectStorage` used here. */
export interface DurableObjectStorageLike {
  get<T = unknown>(key: string): Promise<T | undefined>;
  put(entries: Record<string, unknown>): Promise<void>;
  delete(key: string): Promise<boolean>;
  list<T = unknown>(options: { prefix: string }): Promise<Map<string, T>>;
}

/** The part of `DurableObjectState` used here. */
export interface DurableObjectStateLike {
  readonly storage: DurableObjectStorageLike;
}

/** The part of a Durable Object stub used here. */
export interface DurableObjectStubLike {
  fetch(input: string, init?: RequestInit): Promise<Response>;
}

/** The part of `DurableObjectNamespace` (a binding) used here. */
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown;
  get(id: never): DurableObjectStubLike;
}

const ORIGIN = 'https://qdrant-gateway-state';
const VERSION_KEY = 'version';
const ENTRY_PREFIX = 'revocation:';
// Each object serves one key; this only bounds one whose key sees many policies over time.
const MAX_BUCKETS = 10_000;

function reply(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

function isPolicy(value: unknown): value is RateLimitPolicy & { want: number } {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    Number.isInteger(v.quota) &&
    (v.quota as number) >= 1 &&
    Number.isInteger(v.windowSeconds) &&
    (v.windowSeconds as number) >= 1 &&
    Number.isInteger(v.want) &&
    (v.want as number) >= 1
  );
}

/**
 * The Durable Object behind {@link createDurableObjectStore}. Export it from the Worker's
 * module under the class name the binding names:
 *
 * @example
 * ```ts
 * export { QdrantGatewayState } from '@qdrant-kit/hono/durable-object';
 * ```
 * ```toml
 * [[durable_objects.bindings]]
 * name = "QDRANT_GATEWAY_STATE"
 * class_name = "QdrantGatewayState"
 * ```
 *
 * Its HTTP interface is internal to the store (only reachable through the binding).
 */
export class QdrantGatewayState {
  readonly #storage: DurableObjectStorageLike;
  readonly #buckets = new Map<string, BucketState>();

  constructor(state: DurableObjectStateLike, _env?: unknown) {
    this.#storage = state.storage;
  }

  /** Serves the store's calls. */
  async fetch(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    try {
      if (request.method === 'GET' && path === '/revocations') {
        const [version, stored] = await Promise.all([
          this.#storage.get<number>(VERSION_KEY),
          this.#storage.list<string>({ prefix: ENTRY_PREFIX }),
        ]);
        const entries: RevocationEntry[] = [];
        for (const json of stored.values()) {
          const entry = parseRevocationEntry(json);
          if (entry !== undefined) entries.push(entry);
        }
        return reply({ version: version ?? 0, entries } satisfies RevocationSnapshot);
      }
      if (request.method === 'GET' && path === '/revocations/version') {
        return reply({ version: (await this.#storage.get<number>(VERSION_KEY)) ?? 0 });
      }
      if (request.method === 'PUT' && path === '/revocations') {
        const entry = readRevocationEntry(await request.json());
        if (entry === undefined) return reply({ error: 'not a revocation entry' }, 400);
        // One object runs one request at a time between awaits of storage, and a multi-key
        // put is atomic, so the version and the entry move together.
        const version = ((await this.#storage.get<number>(VERSION_KEY)) ?? 0) + 1;
        await this.#storage.put({
          [`${ENTRY_PREFIX}${entry.id}`]: JSON.stringify(entry),
          [VERSION_KEY]: version,
        });
        return reply({ version });
      }
      if (request.method === 'DELETE' && path.startsWith('/revocations/')) {
        const id = path.slice('/revocations/'.length);
        if (!REVOCATION_ID.test(id)) return reply({ error: 'not a revocation id' }, 400);
        const key = `${ENTRY_PREFIX}${id}`;
        if ((await this.#storage.get(key)) === undefined) return reply({ existed: false });
        const version = ((await this.#storage.get<number>(VERSION_KEY)) ?? 0) + 1;
        await this.#storage.delete(key);
        await this.#storage.put({ [VERSION_KEY]: version });
        return reply({ existed: true, version });
      }
      if (request.method === 'POST' && path === '/tokens') {
        const body: unknown = await request.json();
        if (!isPolicy(body)) return reply({ error: 'not a token request' }, 400);
        const bucketKey = `${body.quota}/${body.windowSeconds}`;
        const { state, grant } = takeFromBucket(
          this.#buckets.get(bucketKey),
          body,
          body.want,
          Date.now(),
        );
        this.#buckets.set(bucketKey, state);
        if (this.#buckets.size > MAX_BUCKETS) this.#buckets.clear();
        return reply(grant);
      }
      return reply({ error: 'not found' }, 404);
    } catch {
      return reply({ error: 'bad request' }, 400);
    }
  }
}

async function call<T>(stub: DurableObjectStubLike, path: string, init?: RequestInit): Promise<T> {
  const response = await stub.fetch(`${ORIGIN}${path}`, init);
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`durable object answered ${response.status}`);
  }
  return (await response.json()) as T;
}

/** Options of {@link createDurableObjectStore}. */
export interface DurableObjectStoreOptions {
  /** Name of the object holding the list (default `revocations`). */
  readonly listObjectName?: string;
}

/**
 * A {@link SharedStateStore} on a Durable Object namespace bound to {@link QdrantGatewayState}.
 * It cannot push changes, so give the revocation list `pollIntervalMs: false`: each isolate then
 * confirms its copy (one version read) when it is older than `confirmAfterMs`.
 */
export function createDurableObjectStore(
  namespace: DurableObjectNamespaceLike,
  options: DurableObjectStoreOptions = {},
): SharedStateStore {
  // A stub is made per call: Workers refuse I/O through an object made by another request.
  const stubFor = (name: string) => namespace.get(namespace.idFromName(name) as never);
  const listName = options.listObjectName ?? 'revocations';
  const list = () => stubFor(listName);
  return {
    kind: 'durable-object',
    async loadRevocations() {
      const snapshot = await call<{ version: number; entries: unknown[] }>(list(), '/revocations');
      const entries: RevocationEntry[] = [];
      for (const value of snapshot.entries) {
        const entry = readRevocationEntry(value);
        if (entry !== undefined) entries.push(entry);
      }
      return { version: snapshot.version, entries };
    },
    async revocationVersion() {
      return (await call<{ version: number }>(list(), '/revocations/version')).version;
    },
    async putRevocation(entry) {
      const answer = await call<{ version: number }>(list(), '/revocations', {
        method: 'PUT',
        body: JSON.stringify(entry),
      });
      return answer.version;
    },
    async deleteRevocation(id) {
      const answer = await call<{ existed: boolean }>(list(), `/revocations/${id}`, {
        method: 'DELETE',
      });
      return answer.existed;
    },
    async takeTokens(key: string, policy: RateLimitPolicy, want: number): Promise<TokenGrant> {
      const stub = stubFor(`rl:${policy.quota}/${policy.windowSeconds}:${key}`);
      return call<TokenGrant>(stub, '/tokens', {
        method: 'POST',
        body: JSON.stringify({ quota: policy.quota, windowSeconds: policy.windowSeconds, want }),
      });
    },
    async close() {},
  };
}
