// Property tests of the REST body reader: bodies generated from a model of the serde structs
// (lib/api/src/rest/schema.rs, lib/collection/src/operations/types.rs), written in map and
// sequence forms at every level, with escaped keys, random whitespace, unknown fields and any
// field order. The byte scanner must find exactly the model's collections in check order
// (ops_checks.rs), whatever the chunk boundaries, and agree with the object reader.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BodyScanner, type BodyLookups, collectionsInBody, scanBody } from '../src/index.js';

type Lookup = { collection: string; form: 'map' | 'seq'; len: 1 | 2 | 3 };
type WithLookup = { collection: string; form: 'string' | 'map' | 'seq'; len: 1 | 2 | 3 };
type Prefetch = { lookup: Lookup | null | undefined; nested: PrefetchField; form: 'map' | 'seq' };
type PrefetchField = undefined | null | { one: Prefetch } | { many: Prefetch[] };
type Request = {
  lookup: Lookup | null | undefined;
  prefetch: PrefetchField;
  withLookup: WithLookup | null | undefined;
  junk: Array<[string, unknown]>;
};
type Body = { requests: Request[]; batchForm: 'map' | 'seq' };

const KINDS: Record<
  BodyLookups,
  { lookup: boolean; prefetch: boolean; withLookup: boolean; batch: boolean }
> = {
  recommend: { lookup: true, prefetch: false, withLookup: false, batch: false },
  'recommend-batch': { lookup: true, prefetch: false, withLookup: false, batch: true },
  'recommend-groups': { lookup: true, prefetch: false, withLookup: true, batch: false },
  discover: { lookup: true, prefetch: false, withLookup: false, batch: false },
  'discover-batch': { lookup: true, prefetch: false, withLookup: false, batch: true },
  query: { lookup: true, prefetch: true, withLookup: false, batch: false },
  'query-batch': { lookup: true, prefetch: true, withLookup: false, batch: true },
  'query-groups': { lookup: true, prefetch: true, withLookup: true, batch: false },
  'search-groups': { lookup: false, prefetch: false, withLookup: true, batch: false },
};
const RELEVANT = new Set(['lookup_from', 'prefetch', 'with_lookup', 'searches', 'collection']);

const name = fc.oneof(
  fc.constantFrom('docs', 'other', 'secret', 'a', 'b'),
  fc.string({ minLength: 0, maxLength: 6, unit: 'grapheme' }),
);
const lookup: fc.Arbitrary<Lookup> = fc.record({
  collection: name,
  form: fc.constantFrom('map', 'seq'),
  len: fc.constantFrom(1, 2, 3),
});
const withLookup: fc.Arbitrary<WithLookup> = fc.record({
  collection: name,
  form: fc.constantFrom('string', 'map', 'seq'),
  len: fc.constantFrom(1, 2, 3),
});
const junkKey = fc.string({ maxLength: 8 }).filter((k) => !RELEVANT.has(k) && k !== '__proto__');
const junk = fc.array(fc.tuple(junkKey, fc.jsonValue({ maxDepth: 2 })), { maxLength: 3 });

const { prefetchField } = fc.letrec<{ prefetch: Prefetch; prefetchField: PrefetchField }>(
  (tie) => ({
    prefetch: fc.record({
      lookup: fc
        .option(lookup, { nil: undefined })
        .chain((l) => (l === undefined ? fc.constantFrom(undefined, null) : fc.constant(l))),
      nested: tie('prefetchField'),
      form: fc.constantFrom('map', 'seq'),
    }) as fc.Arbitrary<Prefetch>,
    prefetchField: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constant(undefined),
      fc.constant(null),
      fc.record({ one: tie('prefetch') as fc.Arbitrary<Prefetch> }),
      fc.record({ many: fc.array(tie('prefetch') as fc.Arbitrary<Prefetch>, { maxLength: 3 }) }),
    ) as fc.Arbitrary<PrefetchField>,
  }),
);

function requestArb(kind: BodyLookups): fc.Arbitrary<Request> {
  const k = KINDS[kind];
  return fc.record({
    lookup: k.lookup ? fc.option(lookup, { nil: undefined }) : fc.constant(undefined),
    prefetch: k.prefetch ? prefetchField : fc.constant(undefined),
    withLookup: k.withLookup ? fc.option(withLookup, { nil: undefined }) : fc.constant(undefined),
    junk,
  });
}

function bodyArb(kind: BodyLookups): fc.Arbitrary<Body> {
  return fc.record({
    requests: KINDS[kind].batch
      ? fc.array(requestArb(kind), { maxLength: 3 })
      : requestArb(kind).map((r) => [r]),
    batchForm: fc.constantFrom('map', 'seq'),
  });
}

// --- the model's answer: collections in check order --------------------------------------------

function modelPrefetch(p: Prefetch, out: string[]): void {
  if (p.lookup) out.push(p.lookup.collection);
  modelField(p.nested, out);
}
function modelField(f: PrefetchField, out: string[]): void {
  if (!f) return;
  if ('one' in f) modelPrefetch(f.one, out);
  else for (const p of f.many) modelPrefetch(p, out);
}
function model(body: Body): string[] {
  const out: string[] = [];
  for (const r of body.requests) {
    if (r.lookup) out.push(r.lookup.collection);
    modelField(r.prefetch, out);
    if (r.withLookup) out.push(r.withLookup.collection);
  }
  return [...new Set(out)];
}

// --- writing a body as text ---------------------------------------------------------------------

/** Writes JSON text with random whitespace, escaped keys and shuffled fields (driven by `rand`). */
class Writer {
  constructor(
    private readonly rand: () => number,
    private readonly objectOnly: boolean,
  ) {}
  ws(): string {
    const r = this.rand();
    return r < 0.6 ? '' : r < 0.8 ? ' ' : r < 0.9 ? '\n\t' : '\r\n  ';
  }
  str(s: string): string {
    // Escape some characters as \uXXXX: serde_json decodes them before matching names.
    let out = '"';
    for (const ch of s) {
      const code = ch.codePointAt(0) as number;
      if (ch === '"' || ch === '\\' || code < 0x20 || this.rand() < 0.2) {
        for (const unit of ch.split(''))
          out += `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;
      } else out += ch;
    }
    return `${out}"`;
  }
  obj(entries: Array<[string, string]>): string {
    const shuffled = [...entries].sort(() => this.rand() - 0.5);
    return `{${this.ws()}${shuffled.map(([k, v]) => `${this.str(k)}${this.ws()}:${this.ws()}${v}`).join(`${this.ws()},${this.ws()}`)}${this.ws()}}`;
  }
  arr(items: string[]): string {
    return `[${this.ws()}${items.join(`${this.ws()},${this.ws()}`)}${this.ws()}]`;
  }
  json(v: unknown): string {
    if (v === null || typeof v !== 'object')
      return typeof v === 'string' ? this.str(v) : JSON.stringify(v);
    if (Array.isArray(v)) return this.arr(v.map((x) => this.json(x)));
    return this.obj(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, this.json(x)]),
    );
  }
  form<T extends string>(f: T): T | 'map' {
    return this.objectOnly ? 'map' : f;
  }
  lookup(l: Lookup | null): string {
    if (l === null) return 'null';
    if (this.form(l.form) === 'map') {
      const e: Array<[string, string]> = [['collection', this.str(l.collection)]];
      if (l.len > 1) e.push(['vector', '"v"']);
      return this.obj(e);
    }
    return this.arr([this.str(l.collection), 'null', 'null'].slice(0, l.len));
  }
  withLookup(w: WithLookup | null): string {
    if (w === null) return 'null';
    const form = this.objectOnly && w.form === 'seq' ? 'map' : w.form;
    if (form === 'string') return this.str(w.collection);
    if (form === 'map')
      return this.obj([
        ['collection', this.str(w.collection)],
        ['with_payload', 'true'],
      ]);
    return this.arr([this.str(w.collection), 'true', 'true'].slice(0, w.len));
  }
  prefetch(p: Prefetch): string {
    if (this.form(p.form) === 'map') {
      const e: Array<[string, string]> = [['limit', '10']];
      if (p.lookup !== undefined) e.push(['lookup_from', this.lookup(p.lookup)]);
      if (p.nested !== undefined) e.push(['prefetch', this.field(p.nested)]);
      return this.obj(e);
    }
    // Positional: prefetch, query, using, filter, params, score_threshold, limit[, lookup_from].
    const items = [
      p.nested === undefined ? 'null' : this.field(p.nested),
      'null',
      '"v"',
      'null',
      'null',
      '0.5',
      '10',
    ];
    if (p.lookup !== undefined) items.push(this.lookup(p.lookup));
    return this.arr(items);
  }
  field(f: PrefetchField): string {
    if (f === undefined || f === null) return 'null';
    if ('one' in f) return this.prefetch({ ...f.one, form: 'map' });
    return this.arr(f.many.map((p) => this.prefetch(p)));
  }
  request(r: Request): string {
    const e: Array<[string, string]> = r.junk.map(([k, v]) => [k, this.json(v)]);
    if (r.lookup !== undefined) e.push(['lookup_from', this.lookup(r.lookup)]);
    if (r.prefetch !== undefined) e.push(['prefetch', this.field(r.prefetch)]);
    if (r.withLookup !== undefined) e.push(['with_lookup', this.withLookup(r.withLookup)]);
    // JSON.parse keeps the last of repeated junk keys; serde ignores unknown ones either way.
    return this.obj(e.filter(([k], i) => e.findIndex(([k2]) => k2 === k) === i));
  }
  body(kind: BodyLookups, b: Body): string {
    if (!KINDS[kind].batch) return this.ws() + this.request(b.requests[0] as Request) + this.ws();
    const searches = this.arr(b.requests.map((r) => this.request(r)));
    return this.form(b.batchForm) === 'map'
      ? this.obj([['searches', searches]])
      : this.arr([searches]);
  }
}

function seeded(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const kindArb = fc.constantFrom(...(Object.keys(KINDS) as BodyLookups[]));
const cases = kindArb.chain((kind) =>
  fc.record({
    kind: fc.constant(kind),
    body: bodyArb(kind),
    seed: fc.integer(),
    objectOnly: fc.boolean(),
  }),
);

function chunked(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let last = 0;
  for (const p of points) {
    out.push(bytes.subarray(last, p));
    last = p;
  }
  out.push(bytes.subarray(last));
  return out;
}

describe('REST body scanner against the serde model', () => {
  it('finds exactly the model collections, in check order, in map and sequence forms', () => {
    fc.assert(
      fc.property(cases, ({ kind, body, seed, objectOnly }) => {
        const text = new Writer(seeded(seed), objectOnly).body(kind, body);
        const scan = scanBody(kind, text);
        expect(scan.error, text).toBeUndefined();
        expect(scan.collections, text).toEqual(model(body));
      }),
      { numRuns: 1500 },
    );
  });

  it('agrees with the object reader on object-form bodies', () => {
    fc.assert(
      fc.property(cases, ({ kind, body, seed }) => {
        const text = new Writer(seeded(seed), true).body(kind, body);
        const read = collectionsInBody(kind, JSON.parse(text));
        expect(read.invalid, text).toBeUndefined();
        expect([...new Set(read.collections)], text).toEqual(scanBody(kind, text).collections);
      }),
      { numRuns: 800 },
    );
  });

  it('gives the same answer whatever the chunk boundaries', () => {
    fc.assert(
      fc.property(
        cases,
        fc.array(fc.nat(), { maxLength: 12 }),
        ({ kind, body, seed, objectOnly }, cuts) => {
          const bytes = new TextEncoder().encode(
            new Writer(seeded(seed), objectOnly).body(kind, body),
          );
          const scanner = new BodyScanner(kind);
          for (const chunk of chunked(bytes, cuts)) scanner.write(chunk);
          const whole = scanBody(kind, bytes);
          const pieces = scanner.end();
          expect(pieces.collections).toEqual(whole.collections);
          expect(pieces.error).toEqual(whole.error);
        },
      ),
      { numRuns: 800 },
    );
  });

  it('byte-by-byte input gives the same answer, errors included', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.json(),
          cases.map((c) => new Writer(seeded(c.seed), c.objectOnly).body(c.kind, c.body)),
        ),
        kindArb,
        (text, kind) => {
          const bytes = new TextEncoder().encode(text);
          const scanner = new BodyScanner(kind);
          for (let i = 0; i < bytes.length; i++) scanner.write(bytes.subarray(i, i + 1));
          const single = scanner.end();
          const whole = scanBody(kind, bytes);
          expect(single.collections).toEqual(whole.collections);
          expect(single.error).toEqual(whole.error);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('accepts exactly the JSON texts JSON.parse accepts (outside serde-only limits)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) => {
        let parses = true;
        try {
          JSON.parse(text);
        } catch {
          parses = false;
        }
        // Lookup positions aside, a body kind with no relevant top-level field reads any JSON:
        // the object-or-sequence requirement of the top level is checked separately.
        const scan = scanBody('query', `{"x":${text}}`);
        const syntaxOk = scan.error === undefined;
        // serde_json refuses lone surrogates and f64 overflow that JSON.parse accepts.
        if (!/\\u[dD][89abAB]|\\u[dD][c-fC-F]|[eE]\d{3}|\d{300}/.test(text)) {
          expect(syntaxOk, text).toBe(parses && text.trim() !== '');
        } else if (syntaxOk) expect(parses).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses a repeated lookup field however it is spelled', () => {
    fc.assert(
      fc.property(fc.constantFrom('lookup_from', 'prefetch'), fc.integer(), (key, seed) => {
        const w = new Writer(seeded(seed), true);
        const value = key === 'prefetch' ? '[]' : '["x"]';
        const text = `{${w.str(key)}:${value},"limit":1,${w.str(key)}:${value}}`;
        expect(scanBody('query', text).error).toMatch(/duplicate field `/);
      }),
    );
  });
});
