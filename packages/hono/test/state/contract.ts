// One behaviour for every SharedStateStore: each store's test file runs this suite.
import { expect, it } from 'vitest';
import { revocationId, sha256Hex } from '../../src/revocation/entry.js';
import type { RevocationChange, RevocationEntry, SharedStateStore } from '../../src/state/types.js';

export async function tokenEntry(token: string, until?: number): Promise<RevocationEntry> {
  const tokenHash = await sha256Hex(token);
  const entry: RevocationEntry = {
    tokenHash,
    id: await revocationId({ tokenHash }),
    createdAt: Date.now(),
  };
  return until === undefined ? entry : { ...entry, until };
}

export async function subjectEntry(subject: string): Promise<RevocationEntry> {
  return { subject, id: await revocationId({ subject }), createdAt: Date.now() };
}

export function storeContract(makeStore: () => SharedStateStore, canPush: boolean): void {
  it('starts empty and versions every change', async () => {
    const store = makeStore();
    try {
      const empty = await store.loadRevocations();
      expect(empty.entries).toEqual([]);
      const a = await tokenEntry('token-a');
      const b = await subjectEntry('tenant-b');
      const v1 = await store.putRevocation(a);
      const v2 = await store.putRevocation(b);
      expect(v2).toBe(v1 + 1);
      expect(await store.revocationVersion()).toBe(v2);
      const loaded = await store.loadRevocations();
      expect(loaded.version).toBe(v2);
      expect(loaded.entries.map((e) => e.id).sort()).toEqual([a.id, b.id].sort());
      // The same target again replaces its entry.
      await store.putRevocation({ ...a, until: Date.now() + 60_000 });
      const replaced = await store.loadRevocations();
      expect(replaced.entries).toHaveLength(2);
      expect(replaced.entries.find((e) => e.id === a.id)?.until).toBeGreaterThan(Date.now());
      expect(await store.deleteRevocation(a.id)).toBe(true);
      expect(await store.deleteRevocation(a.id)).toBe(false);
      expect((await store.loadRevocations()).entries.map((e) => e.id)).toEqual([b.id]);
      expect(await store.revocationVersion()).toBe(v2 + 2);
    } finally {
      await store.close();
    }
  });

  if (canPush) {
    it('pushes each change with its version', async () => {
      const store = makeStore();
      const other = makeStore();
      try {
        const changes: RevocationChange[] = [];
        let connected = false;
        const unwatch = await store.watchRevocations?.({
          change: (change) => changes.push(change),
          connected: () => {
            connected = true;
          },
          disconnected: () => undefined,
        });
        await waitUntil(() => connected);
        const entry = await tokenEntry('pushed');
        const version = await other.putRevocation(entry);
        await other.deleteRevocation(entry.id);
        await waitUntil(() => changes.length === 2);
        expect(changes[0]).toEqual({ version, op: 'put', entry });
        expect(changes[1]).toEqual({ version: version + 1, op: 'delete', id: entry.id });
        unwatch?.();
      } finally {
        await store.close();
        await other.close();
      }
    });
  }

  it('token bucket: grants up to the quota, then refuses with the wait for one token', async () => {
    const store = makeStore();
    try {
      const policy = { quota: 10, windowSeconds: 3600 };
      const key = `bucket-${Math.random()}`;
      const first = await store.takeTokens(key, policy, 4);
      expect(first).toMatchObject({ granted: 4, remaining: 6, retryAfterMs: 0 });
      const second = await store.takeTokens(key, policy, 10);
      expect(second).toMatchObject({ granted: 6, remaining: 0 });
      // 10 per hour: one token every 360 s.
      expect(second.retryAfterMs).toBeGreaterThan(359_000);
      expect(second.retryAfterMs).toBeLessThanOrEqual(360_000);
      const refused = await store.takeTokens(key, policy, 1);
      expect(refused.granted).toBe(0);
      // Another policy for the same key is another bucket.
      expect((await store.takeTokens(key, { quota: 3, windowSeconds: 1 }, 5)).granted).toBe(3);
    } finally {
      await store.close();
    }
  });

  it('token bucket: concurrent takes never grant more than the bucket holds', async () => {
    const stores = [makeStore(), makeStore()];
    try {
      const policy = { quota: 25, windowSeconds: 3600 };
      const key = `race-${Math.random()}`;
      const grants = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          (stores[i % 2] as SharedStateStore).takeTokens(key, policy, 1),
        ),
      );
      expect(grants.reduce((sum, g) => sum + g.granted, 0)).toBe(25);
    } finally {
      for (const store of stores) await store.close();
    }
  });

  it('token bucket: refills at quota per window', async () => {
    const store = makeStore();
    try {
      const policy = { quota: 20, windowSeconds: 1 };
      const key = `refill-${Math.random()}`;
      const beforeFirst = Date.now();
      expect((await store.takeTokens(key, policy, 20)).granted).toBe(20);
      const afterFirst = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 260));
      const beforeSecond = Date.now();
      const later = await store.takeTokens(key, policy, 20);
      const afterSecond = Date.now();
      // 20/s: one token per 50 ms of the time between the two takes (measured, the machine is busy).
      expect(later.granted).toBeGreaterThanOrEqual(
        Math.floor((beforeSecond - afterFirst) / 50) - 1,
      );
      expect(later.granted).toBeLessThanOrEqual(Math.ceil((afterSecond - beforeFirst) / 50) + 1);
      expect(later.granted).toBeLessThan(20);
    } finally {
      await store.close();
    }
  });
}

export async function waitUntil(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
