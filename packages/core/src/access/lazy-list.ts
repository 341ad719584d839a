// A frozen array built on first use, so that a table exported as a constant costs nothing to
// import. The proxy's target becomes the real array on the first touch (any trap), so every
// operation afterwards is the plain array's own: `Array.isArray`, iteration, `length`,
// `Object.isFrozen` and the proxy invariants all hold. Node's and Deno's inspectors format a
// proxy's target without touching the proxy, so the target also carries their custom-inspect
// hook until it is built: `console.log(table)` shows the elements, not `[]`.

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
  const hooks = target as unknown as Record<symbol, unknown>;
  const nodeInspect = Symbol.for('nodejs.util.inspect.custom');
  const denoInspect = Symbol.for('Deno.customInspect');
  let built = false;
  const materialise = (): T[] => {
    if (!built) {
      built = true;
      delete hooks[nodeInspect];
      delete hooks[denoInspect];
      target.push(...build());
      Object.freeze(target);
    }
    return target;
  };
  // Node formats the returned value itself when it is the object inspected; Deno wants a string.
  Object.defineProperty(target, nodeInspect, { value: materialise, configurable: true });
  Object.defineProperty(target, denoInspect, {
    value: (inspect: (value: unknown, options: unknown) => string, options: unknown) =>
      inspect(materialise(), options),
    configurable: true,
  });
  const handler: ProxyHandler<T[]> = {};
  for (const trap of TRAPS) {
    (handler as Record<string, unknown>)[trap] = (...args: unknown[]) => {
      materialise();
      return (Reflect[trap] as (...a: unknown[]) => unknown)(...args);
    };
  }
  return new Proxy(target, handler);
}
