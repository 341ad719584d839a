import type {
  RevocationChange,
  RevocationEntry,
  RevocationSnapshot,
  SharedStateStore,
} from '../state/types.js';
import { isInForce } from './entry.js';

/** Options of {@link RevocationList}. */
export interface RevocationListOptions {
  readonly store: SharedStateStore;
  /**
   * Longest time, in milliseconds, the copy is used without the store confirming it; past it
   * every non-admin request is refused with 503 until the store answers again (default 5000).
   */
  readonly maxStalenessMs?: number;
  /**
   * Age of the last confirmation past which a request waits for the store to confirm the copy
   * before it is checked (default 1000): the bound on how late a revocation can be seen when
   * no change is pushed (Workers, or a lost subscription). With background polling the copy
   * is confirmed more often and requests do not wait.
   */
  readonly confirmAfterMs?: number;
  /**
   * Poll the store's version every this many milliseconds in the background (default 500);
   * `false` for runtimes without timers between requests (Workers), where requests confirm
   * the copy themselves after `confirmAfterMs`.
   */
  readonly pollIntervalMs?: number | false;
  /** Reload the whole list every this many milliseconds even when nothing changed (default 60 000). */
  readonly resyncIntervalMs?: number;
  /** Clock, unix milliseconds (default `Date.now`). */
  readonly now?: () => number;
  /** Told when the store cannot be reached (default: a line on `console.error`, at most every 5 s). */
  readonly onError?: (message: string) => void;
}

/** What {@link RevocationList.check} decides. */
export type RevocationVerdict = 'allowed' | 'revoked' | 'unavailable';

function throttledLogger(now: () => number): (message: string) => void {
  let lastAt = Number.NEGATIVE_INFINITY;
  return (message) => {
    const t = now();
    if (t - lastAt < 5000) return;
    lastAt = t;
    console.error(`qdrant gateway: revocation list: ${message}`);
  };
}

/**
 * This instance's copy of the shared revocation list: every entry in memory (a map of token
 * hashes and one of subjects), so checking a request costs no round trip. Kept current by the
 * store's pushed changes (Redis pub/sub), a reload whenever the push channel reconnects or a
 * change is missed, a version poll, and a periodic full reload.
 *
 * Fails closed: until a first load succeeds, and whenever the store has not confirmed the copy
 * for `maxStalenessMs`, {@link check} answers `unavailable` (the gateway answers 503); the last
 * known copy is used only within that window.
 */
export class RevocationList {
  readonly #store: SharedStateStore;
  readonly #now: () => number;
  readonly #maxStalenessMs: number;
  readonly #confirmAfterMs: number;
  readonly #pollIntervalMs: number | false;
  readonly #resyncIntervalMs: number;
  readonly #onError: (message: string) => void;
  #byId = new Map<string, RevocationEntry>();
  #byTokenHash = new Map<string, RevocationEntry>();
  #bySubject = new Map<string, RevocationEntry>();
  #version = -1;
  #loaded = false;
  #reloadNeeded = true;
  #confirmedAt = Number.NEGATIVE_INFINITY;
  #lastReloadAt = Number.NEGATIVE_INFINITY;
  #refreshing: Promise<void> | undefined;
  #failedAt = Number.NEGATIVE_INFINITY;
  #timer: ReturnType<typeof setInterval> | undefined;
  #unwatch: (() => void) | undefined;
  #closed = false;
  #pushLive = false;
  /** Changes pushed while a full load is under way: re-applied on top of its snapshot. */
  #pushedDuringLoad: RevocationChange[] | undefined;

  constructor(options: RevocationListOptions) {
    this.#store = options.store;
    this.#now = options.now ?? Date.now;
    this.#maxStalenessMs = options.maxStalenessMs ?? 5000;
    this.#confirmAfterMs = Math.min(options.confirmAfterMs ?? 1000, this.#maxStalenessMs);
    this.#pollIntervalMs = options.pollIntervalMs ?? 500;
    this.#resyncIntervalMs = options.resyncIntervalMs ?? 60_000;
    this.#onError = options.onError ?? throttledLogger(this.#now);
  }

  /**
   * Subscribes to pushed changes, starts the background poll and loads the list, trying for up
   * to `waitMs` (default 2000: a store still connecting at start-up). Resolves either way:
   * check {@link isLoaded}; requests are refused until the list is loaded.
   */
  async start(waitMs = 2000): Promise<void> {
    if (this.#store.watchRevocations) {
      this.#unwatch = await this.#store.watchRevocations({
        change: (change) => this.#applyChange(change),
        connected: () => {
          this.#pushLive = true;
          this.#reloadNeeded = true;
          void this.refresh();
        },
        disconnected: () => {
          this.#pushLive = false;
        },
      });
    }
    if (this.#pollIntervalMs !== false) {
      this.#timer = setInterval(() => void this.refresh(), this.#pollIntervalMs);
      // A background poll must not keep a process alive on its own.
      (this.#timer as { unref?: () => void }).unref?.();
    }
    const deadline = this.#now() + waitMs;
    await this.refresh();
    while (!this.#loaded && !this.#closed && this.#now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      this.#failedAt = Number.NEGATIVE_INFINITY;
      await this.refresh();
    }
  }

  /** Stops polling and watching (the store itself is closed by its owner). */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#unwatch?.();
  }

  /** Whether a first load has succeeded. */
  get isLoaded(): boolean {
    return this.#loaded;
  }

  /** Whether the store's push channel is connected (informational: freshness is what counts). */
  get isPushConnected(): boolean {
    return this.#pushLive;
  }

  /** Whether any entry revokes a token by hash (else requests need not hash their token). */
  get hasTokenEntries(): boolean {
    return this.#byTokenHash.size > 0;
  }

  /** Entries held, including lapsed ones not yet dropped. */
  entries(): RevocationEntry[] {
    return [...this.#byId.values()];
  }

  /**
   * Whether the copy can be used without asking the store first: loaded and confirmed within
   * `confirmAfterMs`.
   */
  isConfirmed(now = this.#now()): boolean {
    return this.#loaded && now - this.#confirmedAt <= this.#confirmAfterMs;
  }

  /**
   * Decides a request from the copy. Await {@link refresh} first when {@link isConfirmed} is
   * false. `unavailable` when no copy is usable (never loaded, or older than `maxStalenessMs`).
   */
  check(
    tokenHash: string | undefined,
    subject: string | undefined,
    now = this.#now(),
  ): RevocationVerdict {
    if (!this.#loaded || now - this.#confirmedAt > this.#maxStalenessMs) return 'unavailable';
    if (tokenHash !== undefined) {
      const entry = this.#byTokenHash.get(tokenHash);
      if (entry !== undefined && isInForce(entry, now)) return 'revoked';
    }
    if (subject !== undefined) {
      const entry = this.#bySubject.get(subject);
      if (entry !== undefined && isInForce(entry, now)) return 'revoked';
    }
    return 'allowed';
  }

  /**
   * Confirms the copy with the store: a version check, or a full reload when the version
   * moved, a change was missed or the resync interval passed. Concurrent calls share one
   * round trip; a failure is logged, never thrown (the copy just ages).
   */
  refresh(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if (this.#refreshing !== undefined) return this.#refreshing;
    // After a failure, requests do not each retry at once: one try per 100 ms at most.
    if (this.#now() - this.#failedAt < 100) return Promise.resolve();
    this.#refreshing = this.#confirm().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /**
   * Reloads after a change this instance made, so it applies here before the call returns
   * (stores that push would deliver it soon anyway; polled ones would not until the next poll).
   */
  async refreshAfterChange(): Promise<void> {
    await this.#refreshing;
    this.#reloadNeeded = true;
    this.#failedAt = Number.NEGATIVE_INFINITY;
    await this.refresh();
  }

  async #confirm(): Promise<void> {
    const askedAt = this.#now();
    try {
      if (!this.#reloadNeeded && askedAt - this.#lastReloadAt >= this.#resyncIntervalMs) {
        this.#reloadNeeded = true;
      }
      if (!this.#reloadNeeded) {
        const version = await this.#store.revocationVersion();
        if (version === this.#version && !this.#reloadNeeded) {
          this.#confirmedAt = Math.max(this.#confirmedAt, askedAt);
          return;
        }
      }
      // Cleared before the load: a change pushed while it is under way sets it again.
      this.#reloadNeeded = false;
      this.#pushedDuringLoad = [];
      let snapshot: RevocationSnapshot;
      try {
        snapshot = await this.#store.loadRevocations();
      } catch (error) {
        this.#pushedDuringLoad = undefined;
        throw error;
      }
      const pushed = this.#pushedDuringLoad;
      this.#pushedDuringLoad = undefined;
      this.#replace(snapshot);
      // The snapshot may predate a change already pushed (and applied) while it was read.
      for (const change of pushed.sort((a, b) => a.version - b.version)) this.#applyChange(change);
      this.#lastReloadAt = askedAt;
      this.#confirmedAt = Math.max(this.#confirmedAt, askedAt);
    } catch (error) {
      this.#reloadNeeded ||= !this.#loaded;
      this.#failedAt = this.#now();
      this.#onError(
        `${this.#store.kind} store unreachable (${error instanceof Error ? error.message : 'error'}); ` +
          (this.#loaded
            ? 'using the last known list while it is fresh'
            : 'refusing requests until it loads'),
      );
    }
  }

  #replace(snapshot: RevocationSnapshot): void {
    const now = this.#now();
    const byId = new Map<string, RevocationEntry>();
    const byTokenHash = new Map<string, RevocationEntry>();
    const bySubject = new Map<string, RevocationEntry>();
    for (const entry of snapshot.entries) {
      if (!isInForce(entry, now)) continue;
      byId.set(entry.id, entry);
      if (entry.tokenHash !== undefined) byTokenHash.set(entry.tokenHash, entry);
      else bySubject.set(entry.subject, entry);
    }
    this.#byId = byId;
    this.#byTokenHash = byTokenHash;
    this.#bySubject = bySubject;
    this.#version = snapshot.version;
    this.#loaded = true;
  }

  #applyChange(change: RevocationChange): void {
    this.#pushedDuringLoad?.push(change);
    if (!this.#loaded || change.version <= this.#version) return;
    if (change.version !== this.#version + 1) {
      // A gap: some change was missed, reload the whole list.
      this.#reloadNeeded = true;
      void this.refresh();
      return;
    }
    this.#version = change.version;
    if (change.op === 'put') {
      this.#remove(change.entry.id);
      const entry = change.entry;
      this.#byId.set(entry.id, entry);
      if (entry.tokenHash !== undefined) this.#byTokenHash.set(entry.tokenHash, entry);
      else this.#bySubject.set(entry.subject, entry);
    } else {
      this.#remove(change.id);
    }
  }

  #remove(id: string): void {
    const old = this.#byId.get(id);
    if (old === undefined) return;
    this.#byId.delete(id);
    if (old.tokenHash !== undefined) this.#byTokenHash.delete(old.tokenHash);
    else this.#bySubject.delete(old.subject);
  }
}
