/**
 * One bounded cache for everything core (and the gateway) remembers: verified tokens, imported
 * HMAC keys, parsed JOSE headers, `value_exists` answers.
 *
 * It evicts with CLOCK (second chance): a hit only sets a flag, so its cost is one `Map.get`
 * whatever the size, where a move-to-front LRU re-inserts or relinks on every hit. On a miss
 * the hand sweeps past recently used entries, clearing their flag, and evicts the first one
 * not used since the last sweep.
 *
 * @module
 */

/** Options of {@link createBoundedCache}. */
export interface BoundedCacheOptions {
  /** Most entries held (at least 1). */
  readonly maxEntries: number;
}

/** A cache holding at most `maxEntries` entries, evicting one not recently used first. */
export interface BoundedCache<K, V> {
  /** The value for `key`, marked as recently used. */
  get(key: K): V | undefined;
  /** Stores or replaces a value, evicting an entry not recently used when full. */
  set(key: K, value: V): void;
  /** Forgets `key`; true when it was held. */
  delete(key: K): boolean;
  /** Forgets everything. */
  clear(): void;
  /** Number of entries held. */
  readonly size: number;
  /** The bound given at creation. */
  readonly maxEntries: number;
}

class ClockCache<K, V> implements BoundedCache<K, V> {
  readonly maxEntries: number;
  private readonly slots = new Map<K, number>();
  private keys: Array<K | undefined> = [];
  private values: Array<V | undefined> = [];
  private used: number[] = [];
  private free: number[] = [];
  private hand = 0;

  constructor(maxEntries: number) {
    this.maxEntries = maxEntries;
  }

  get size(): number {
    return this.slots.size;
  }

  get(key: K): V | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    this.used[slot] = 1;
    return this.values[slot];
  }

  set(key: K, value: V): void {
    let slot = this.slots.get(key);
    if (slot !== undefined) {
      this.values[slot] = value;
      this.used[slot] = 1;
      return;
    }
    slot = this.free.pop();
    if (slot === undefined) {
      if (this.keys.length < this.maxEntries) {
        slot = this.keys.length;
        this.keys.push(undefined);
        this.values.push(undefined);
        this.used.push(0);
      } else {
        slot = this.evict();
      }
    }
    this.keys[slot] = key;
    this.values[slot] = value;
    // A new entry gets no second chance until it is used once.
    this.used[slot] = 0;
    this.slots.set(key, slot);
  }

  // Every slot is taken here (the free list is empty): at most one full turn clears every
  // flag, so the sweep ends within maxEntries + 1 steps.
  private evict(): number {
    const length = this.keys.length;
    while (this.used[this.hand] === 1) {
      this.used[this.hand] = 0;
      this.hand = this.hand + 1 === length ? 0 : this.hand + 1;
    }
    const slot = this.hand;
    this.hand = slot + 1 === length ? 0 : slot + 1;
    this.slots.delete(this.keys[slot] as K);
    return slot;
  }

  delete(key: K): boolean {
    const slot = this.slots.get(key);
    if (slot === undefined) return false;
    this.slots.delete(key);
    this.keys[slot] = undefined;
    this.values[slot] = undefined;
    this.used[slot] = 0;
    this.free.push(slot);
    return true;
  }

  clear(): void {
    this.slots.clear();
    this.keys = [];
    this.values = [];
    this.used = [];
    this.free = [];
    this.hand = 0;
  }
}

/**
 * Creates a {@link BoundedCache}. Runtime-neutral; a hit costs one `Map.get` and one flag write.
 *
 * @example
 * ```ts
 * const cache = createBoundedCache<string, number>({ maxEntries: 1000 });
 * cache.set('a', 1);
 * cache.get('a'); // 1
 * ```
 */
export function createBoundedCache<K, V>(options: BoundedCacheOptions): BoundedCache<K, V> {
  const max = Math.floor(Number(options.maxEntries));
  return new ClockCache<K, V>(Number.isFinite(max) && max >= 1 ? max : 1);
}
