// A frozen array built on first use, so that a table exported as a constant costs nothing to
// import. The proxy's target becomes the real array on the first touch (any trap), so every
// operation afterwards is the plain array's own: `Array.isArray`, iteration, `length`,
// `Object.isFrozen` and the proxy invariants all hold.

const TRAPS = [
  'get',
  'has',
  'ownKeys',
  'getOwnPropertyDescriptor',
  'getPrototypeOf',
  'isExtensible',
  'set',
  'defineProperty',
  'deleteProperty',
  'setPrototypeOf',
  'preventExtensions',
] as const;

/** A frozen array whose elements `build` makes the first time anything reads it. */
export function lazyFrozenList<T>(build: () => readonly T[]): readonly T[] {
  const target: T[] = [];
  let built = false;
  const handler: ProxyHandler<T[]> = {};
  for (const trap of TRAPS) {
    (handler as Record<string, unknown>)[trap] = (...args: unknown[]) => {
      if (!built) {
        built = true;
        target.push(...build());
        Object.freeze(target);
      }
      return (Reflect[trap] as (...a: unknown[]) => unknown)(...args);
    };
  }
  return new Proxy(target, handler);
}
