import type { SharedStateStore } from '../../src/state/types.js';

/** Wraps a store so a test can make every call fail, as an unreachable server does. */
export function flakyStore(inner: SharedStateStore): SharedStateStore & {
  down: boolean;
  calls: number;
} {
  const wrapper = {
    down: false,
    calls: 0,
    kind: inner.kind,
    async loadRevocations() {
      return guard(() => inner.loadRevocations());
    },
    async revocationVersion() {
      return guard(() => inner.revocationVersion());
    },
    async putRevocation(...args: Parameters<SharedStateStore['putRevocation']>) {
      return guard(() => inner.putRevocation(...args));
    },
    async deleteRevocation(id: string) {
      return guard(() => inner.deleteRevocation(id));
    },
    async takeTokens(...args: Parameters<SharedStateStore['takeTokens']>) {
      return guard(() => inner.takeTokens(...args));
    },
    close: () => inner.close(),
  };
  async function guard<T>(call: () => Promise<T>): Promise<T> {
    wrapper.calls += 1;
    if (wrapper.down) throw new Error('store down');
    return call();
  }
  return wrapper;
}
