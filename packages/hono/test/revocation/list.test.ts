import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/revocation/entry.js';
import { RevocationList } from '../../src/revocation/list.js';
import { createInProcessStore } from '../../src/state/memory.js';
import { flakyStore } from '../helpers/flaky-store.js';
import { subjectEntry, tokenEntry } from '../state/contract.js';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('RevocationList', () => {
  it('refuses everything until the first load, then decides from memory', async () => {
    const time = clock();
    const store = flakyStore(createInProcessStore({ now: time.now }));
    store.down = true;
    const list = new RevocationList({
      store,
      now: time.now,
      pollIntervalMs: false,
      onError: () => undefined,
    });
    await list.start(0);
    expect(list.isLoaded).toBe(false);
    expect(list.check(undefined, 'anyone')).toBe('unavailable');
    store.down = false;
    time.advance(200);
    await list.refresh();
    expect(list.isLoaded).toBe(true);
    expect(list.check(await sha256Hex('good'), 'tenant')).toBe('allowed');
    list.close();
  });

  it('revokes by token hash and by subject, and an entry lapses at `until`', async () => {
    const time = clock();
    const store = createInProcessStore({ now: time.now });
    const list = new RevocationList({ store, now: time.now, pollIntervalMs: false });
    await list.start(0);
    const leaked = await tokenEntry('leaked-token', time.now() + 10_000);
    await store.putRevocation(leaked);
    await store.putRevocation(await subjectEntry('churned'));
    // Pushed by the in-process store: no refresh needed.
    expect(list.check(await sha256Hex('leaked-token'), undefined)).toBe('revoked');
    expect(list.check(await sha256Hex('other-token'), 'churned')).toBe('revoked');
    expect(list.check(await sha256Hex('other-token'), 'tenant')).toBe('allowed');
    expect(list.hasTokenEntries).toBe(true);
    time.advance(10_001);
    await list.refresh();
    expect(list.check(await sha256Hex('leaked-token'), undefined)).toBe('allowed');
    await store.deleteRevocation((await subjectEntry('churned')).id);
    expect(list.check(undefined, 'churned')).toBe('allowed');
    list.close();
  });

  it('uses the last known list while fresh, then fails closed; recovers when the store answers', async () => {
    const time = clock();
    const store = flakyStore(createInProcessStore({ now: time.now }));
    const list = new RevocationList({
      store,
      now: time.now,
      pollIntervalMs: false,
      maxStalenessMs: 5000,
      confirmAfterMs: 1000,
      onError: () => undefined,
    });
    await list.start(0);
    await store.putRevocation(await subjectEntry('churned'));
    await list.refreshAfterChange();
    store.down = true;
    time.advance(4000);
    await list.refresh();
    expect(list.isConfirmed()).toBe(false);
    expect(list.check(undefined, 'churned')).toBe('revoked');
    expect(list.check(undefined, 'tenant')).toBe('allowed');
    time.advance(1001);
    await list.refresh();
    expect(list.check(undefined, 'tenant')).toBe('unavailable');
    store.down = false;
    time.advance(200);
    await list.refresh();
    expect(list.check(undefined, 'tenant')).toBe('allowed');
    list.close();
  });

  it('a store that does not push: a change is seen once the copy is confirmed again', async () => {
    const time = clock();
    const inner = createInProcessStore({ now: time.now });
    // No watchRevocations: polled like the Durable Object store.
    const store = { ...flakyStore(inner) };
    const list = new RevocationList({
      store,
      now: time.now,
      pollIntervalMs: false,
      confirmAfterMs: 1000,
    });
    await list.start(0);
    await inner.putRevocation(await subjectEntry('churned'));
    expect(list.check(undefined, 'churned')).toBe('allowed');
    time.advance(1001);
    expect(list.isConfirmed()).toBe(false);
    await list.refresh();
    expect(list.check(undefined, 'churned')).toBe('revoked');
    list.close();
  });

  it('a missed change (a version gap) reloads the whole list', async () => {
    const time = clock();
    const inner = createInProcessStore({ now: time.now });
    let push:
      | ((c: Parameters<import('../../src/state/types.js').RevocationWatcher['change']>[0]) => void)
      | undefined;
    const store = {
      ...inner,
      kind: 'test',
      loadRevocations: () => inner.loadRevocations(),
      revocationVersion: () => inner.revocationVersion(),
      async watchRevocations(watcher: import('../../src/state/types.js').RevocationWatcher) {
        push = watcher.change;
        watcher.connected();
        return () => undefined;
      },
    };
    const list = new RevocationList({ store, now: time.now, pollIntervalMs: false });
    await list.start(0);
    const first = await subjectEntry('first');
    const second = await subjectEntry('second');
    await inner.putRevocation(first);
    const v2 = await inner.putRevocation(second);
    // Only the second change arrives.
    push?.({ version: v2, op: 'put', entry: second });
    await new Promise((resolve) => setTimeout(resolve, 0));
    await list.refresh();
    expect(list.check(undefined, 'first')).toBe('revoked');
    expect(list.check(undefined, 'second')).toBe('revoked');
    list.close();
  });

  it('a change pushed while a full load is under way is kept on top of the older snapshot', async () => {
    const inner = createInProcessStore();
    let watcher: import('../../src/state/types.js').RevocationWatcher | undefined;
    let slowLoad: (() => void) | undefined;
    const store = {
      ...inner,
      kind: 'test',
      revocationVersion: () => inner.revocationVersion(),
      async loadRevocations() {
        const snapshot = await inner.loadRevocations();
        if (slowLoad === undefined) return snapshot;
        // The snapshot was read; the answer arrives after a change was pushed.
        await new Promise<void>((resolve) => {
          slowLoad = resolve;
        });
        return snapshot;
      },
      async watchRevocations(w: import('../../src/state/types.js').RevocationWatcher) {
        watcher = w;
        return () => undefined;
      },
    };
    const list = new RevocationList({ store, pollIntervalMs: false });
    await list.start(0);
    expect(list.isLoaded).toBe(true);
    slowLoad = () => undefined;
    watcher?.connected();
    await new Promise((resolve) => setTimeout(resolve, 0));
    const entry = await subjectEntry('revoked-during-load');
    const version = await inner.putRevocation(entry);
    watcher?.change({ version, op: 'put', entry });
    slowLoad();
    await list.refresh();
    expect(list.check(undefined, 'revoked-during-load')).toBe('revoked');
    list.close();
  });
});
