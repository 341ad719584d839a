// The fast response path (src/fast-response.ts) against zod itself: for every response schema,
// values generated from the schema (valid ones, with undeclared fields, shuffled keys, int64 as
// numbers) and broken ones (wrong types, Infinity, __proto__) must give exactly zod's output,
// key order included, or FAIL (then zod decides). Seeded, so a failure can be replayed.
import { describe, expect, it } from 'vitest';
import { FAIL, fastParse, responseConverter } from '../src/fast-response.ts';
import * as messages from '../src/generated/messages.ts';
import * as v from '../src/validation/checks.ts';

interface Def {
  type: string;
  innerType?: Schema;
  element?: Schema;
  valueType?: Schema;
  shape?: Record<string, Schema>;
}
interface Schema {
  _zod: { def: Def };
  safeParse(value: unknown): { success: boolean; data?: unknown };
}

let seed = 20261123;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

// A value for `schema`; with `breakIt`, now and then one that zod rejects or treats specially.
function sample(schema: Schema, depth: number, breakIt: boolean): unknown {
  if (breakIt && random() < 0.03) {
    return pick([null, 1, 'x', true, [], {}, Number.POSITIVE_INFINITY, 1.5, -0]);
  }
  if (schema === (v.int64 as unknown)) return random() < 0.5 ? '12345678901234' : 42;
  const def = schema._zod.def;
  switch (def.type) {
    case 'string':
      return pick(['', 'a', 'CLUSTER_PHASE_HEALTHY', 'ünïcode', '{"x":1}']);
    case 'number':
      return pick([0, 1, -3, 2.5, 6333]);
    case 'boolean':
      return random() < 0.5;
    case 'array':
      return depth > 3
        ? []
        : Array.from({ length: Math.floor(random() * 3) }, () =>
            sample(def.element as Schema, depth + 1, breakIt),
          );
    case 'record': {
      const out: Record<string, unknown> = {};
      const item = def.valueType as Schema;
      for (const key of ['a', '1', 'b-c']) {
        if (random() < 0.5) {
          out[key] =
            item._zod.def.type === 'unknown'
              ? pick(['v', 1, { n: [1] }])
              : sample(item, depth + 1, breakIt);
        }
      }
      return out;
    }
    case 'object': {
      const entries: [string, unknown][] = [];
      for (const [name, field] of Object.entries(def.shape ?? {})) {
        const optional = field._zod.def.type === 'optional';
        if (optional && (depth > 3 || random() < 0.4)) continue;
        const inner = optional ? (field._zod.def.innerType as Schema) : field;
        entries.push([name, sample(inner, depth + 1, breakIt)]);
      }
      if (random() < 0.3) entries.push(['futureField', pick(['x', 2, { deep: ['y'] }])]);
      if (breakIt && random() < 0.05) entries.push(['__proto__', { polluted: true }]);
      if (random() < 0.5) shuffle(entries);
      // JSON text, then JSON.parse, so a __proto__ key is an own property as it is on the wire.
      const text = `{${entries.map(([k, val]) => `${JSON.stringify(k)}:${val === Number.POSITIVE_INFINITY ? '1e400' : JSON.stringify(val)}`).join(',')}}`;
      return JSON.parse(text);
    }
    default:
      return {};
  }
}

const responseSchemas = Object.entries(messages).filter(
  ([name]) => name.endsWith('Schema') && !name.endsWith('InputSchema'),
) as [string, Schema][];

describe('fast response path equals zod', () => {
  it('compiles a converter for every response schema', () => {
    const missing = responseSchemas.filter(([, schema]) => !responseConverter(schema));
    expect(missing.map(([name]) => name)).toEqual([]);
  });

  for (const breakIt of [false, true]) {
    it(`${breakIt ? 'broken' : 'valid'} values: same output as zod or FAIL`, () => {
      let fastCount = 0;
      for (const [name, schema] of responseSchemas) {
        const convert = responseConverter(schema);
        for (let i = 0; i < 40; i++) {
          const value = sample(schema, 0, breakIt);
          const slow = schema.safeParse(structuredClone(value));
          const fast = convert?.(structuredClone(value));
          if (fast === FAIL) {
            // Giving up is always allowed; on valid values only a __proto__ key may cause it.
            if (!breakIt) expect.fail(`${name}: FAIL on a valid value ${JSON.stringify(value)}`);
            continue;
          }
          fastCount++;
          expect(slow.success, `${name}: fast accepted what zod rejects`).toBe(true);
          expect(fast).toStrictEqual(slow.data);
          expect(JSON.stringify(fast)).toBe(JSON.stringify(slow.data));
          expect(Object.getPrototypeOf(fast)).toBe(Object.getPrototypeOf(slow.data));
        }
      }
      expect(fastCount).toBeGreaterThan(responseSchemas.length * 10);
    });
  }

  it('turns an int64 number into a string, as zod does', () => {
    const schema = messages.InvoiceSchema as unknown as Schema;
    const value = { totalAmount: 1234, id: 'i', extra: 1 };
    expect(responseConverter(schema)?.(value)).toStrictEqual(schema.safeParse(value).data);
  });

  it('checks each schema against zod once, and never uses a converter that disagreed', () => {
    const real = messages.InvoiceSchema as unknown as Schema;
    const value = { totalAmount: 1234, id: 'i', extra: 1 };
    expect(fastParse(real, value)).toStrictEqual(real.safeParse(value).data);
    // A schema whose zod answers differently (as a future zod's internals might): the converter
    // built from its internals must not be used, then or later.
    let zodCalls = 0;
    const drifted = {
      _zod: real._zod,
      safeParse: (input: unknown) => {
        zodCalls++;
        return { success: true, data: { drifted: input } };
      },
    };
    expect(fastParse(drifted, value)).toBe(FAIL);
    expect(fastParse(drifted, value)).toBe(FAIL);
    expect(zodCalls).toBe(1);
  });

  it('gives up on a __proto__ key and on Infinity', () => {
    const schema = messages.InvoiceSchema as unknown as Schema;
    expect(responseConverter(schema)?.(JSON.parse('{"__proto__":{"a":1}}'))).toBe(FAIL);
    expect(responseConverter(schema)?.(JSON.parse('{"notes":1e400}'))).not.toBe(undefined);
  });
});
