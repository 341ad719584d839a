// The part of Qdrant's REST request bodies that can name a collection, as serde reads it.
// Structs: `lib/api/src/rest/schema.rs` (QueryRequest :616, QueryRequestBatch :624, Prefetch :776,
// WithLookup :1091, WithLookupInterface :1113, LookupLocation :1122, BaseGroupRequest :1136,
// SearchGroupsRequestInternal :1156, QueryBaseGroupRequest :1225, QueryGroupsRequest :1285) and
// `lib/collection/src/operations/types.rs` (SearchGroupsRequest :556, RecommendRequest :642,
// RecommendRequestBatch :717, RecommendGroupsRequest :724, DiscoverRequest :796,
// DiscoverRequestBatch :867). What serde_derive makes of them (serde_derive/src/de/struct_.rs):
// - every top-level request has a `#[serde(flatten)]` field, so it is read from a map only
//   (no `visit_seq`); unknown keys are ignored (no `deny_unknown_fields` anywhere here);
// - a struct without flatten is also read from a sequence of its fields in declaration order;
//   a missing trailing element is allowed only for a field with `#[serde(default)]`
//   (`expr_is_missing_seq`), extra elements are an error;
// - a field given twice is an error (`duplicate field`), a flattened inner struct included;
// - `prefetch` uses `MaybeOneOrMany` (lib/segment/src/common/utils.rs:99): null = none,
//   a map = one Prefetch, a sequence = a list of Prefetch (never one Prefetch in sequence form);
// - `with_lookup` is untagged `WithLookupInterface`: a string, or a WithLookup map or sequence.
// The cluster checks these in `lib/storage/src/rbac/ops_checks.rs` (check_lookup_from :101,
// check_with_lookup :110, CollectionQueryRequest :247, check_access_for_prefetch :262,
// GroupRequest :197): lookup_from, then prefetches depth-first, then with_lookup.
import type { BodyLookups } from './requirements.js';

/** What a value at some position must be (an enum: bundlers inline its values). */
export enum Role {
  Skip = 0,
  Request = 1,
  Batch = 2,
  Searches = 3,
  PrefetchField = 4,
  Prefetch = 5,
  Lookup = 6,
  WithLookup = 7,
  Collection = 8,
}

/** A field that matters, with its place in the cluster's check order. */
export interface FieldShape {
  readonly name: string;
  readonly role: Role;
  /** Check-order component appended for this field's value (-1: none). */
  readonly order: number;
  /** Bit in the seen-fields mask (duplicate and required-field checks). */
  readonly bit: number;
}

/** A struct as serde reads it: relevant map keys, and its sequence form if it has one. */
export interface StructShape {
  readonly fields: ReadonlyMap<string, FieldShape>;
  /**
   * Sequence form: fields by position (`max` of them). Absent: map only. A short sequence or
   * a missing required field names nothing more than what was read (serde's 400 is the cluster's).
   */
  readonly seq?: {
    readonly positions: readonly (FieldShape | undefined)[];
    readonly max: number;
  };
  /** serde's message when this value has the wrong type (untagged enums have their own). */
  readonly expecting: string;
}

/** How one kind of body is read: the top-level struct, and for batches the request struct. */
export interface BodyShape {
  readonly top: StructShape;
  /** For batches: the struct of each `searches` entry. */
  readonly request: StructShape;
  readonly batch: boolean;
}

/** The structs that matter, built once on first use (importing the module does no work). */
export interface SerdeModel {
  /** Every kind of body whose collections the cluster checks. */
  readonly shapes: Readonly<Record<BodyLookups, BodyShape>>;
  readonly lookupLocation: StructShape;
  readonly withLookup: StructShape;
  readonly prefetch: StructShape;
}

let model: SerdeModel | undefined;

/** The serde model of REST bodies (see the top of this file). */
export function serdeModel(): SerdeModel {
  model ??= buildModel();
  return model;
}

function field(name: string, role: Role, order: number, bit: number): FieldShape {
  return { name, role, order, bit };
}

/** A struct: its map keys that matter, its sequence form (fields by position) if any. */
function struct(
  fields: readonly FieldShape[],
  positions: readonly (FieldShape | undefined)[] | undefined,
  expecting: string,
): StructShape {
  const shape: { -readonly [K in keyof StructShape]: StructShape[K] } = {
    fields: new Map(fields.map((f) => [f.name, f])),
    expecting,
  };
  if (positions) shape.seq = { positions, max: positions.length };
  return shape;
}

function buildModel(): SerdeModel {
  const COLLECTION = field('collection', Role.Collection, -1, 1);
  const LOOKUP_FROM = field('lookup_from', Role.Lookup, 0, 2);
  const PREFETCH = field('prefetch', Role.PrefetchField, 1, 4);
  const WITH_LOOKUP = field('with_lookup', Role.WithLookup, 2, 8);
  const SEARCHES = field('searches', Role.Searches, -1, 16);

  // Requests are read from a map only (they flatten a field); a batch is `{ searches }`, or
  // `[searches]` in sequence form.
  const request = (name: string, fields: FieldShape[]): StructShape =>
    struct(fields, undefined, `struct ${name}`);
  const single = (shape: StructShape): BodyShape => ({ top: shape, request: shape, batch: false });
  const batched = (name: string, shape: StructShape): BodyShape => ({
    top: struct([SEARCHES], [SEARCHES], `struct ${name}`),
    request: shape,
    batch: true,
  });
  const RECOMMEND = request('RecommendRequest', [LOOKUP_FROM]);
  const DISCOVER = request('DiscoverRequest', [LOOKUP_FROM]);
  const QUERY = request('QueryRequest', [LOOKUP_FROM, PREFETCH]);

  return {
    shapes: {
      recommend: single(RECOMMEND),
      'recommend-batch': batched('RecommendRequestBatch', RECOMMEND),
      'recommend-groups': single(request('RecommendGroupsRequest', [LOOKUP_FROM, WITH_LOOKUP])),
      discover: single(DISCOVER),
      'discover-batch': batched('DiscoverRequestBatch', DISCOVER),
      query: single(QUERY),
      'query-batch': batched('QueryRequestBatch', QUERY),
      'query-groups': single(request('QueryGroupsRequest', [LOOKUP_FROM, PREFETCH, WITH_LOOKUP])),
      'search-groups': single(request('SearchGroupsRequest', [WITH_LOOKUP])),
    },
    // `LookupLocation { collection, vector (default), shard_key (default) }`: one to three
    // elements in sequence form.
    lookupLocation: struct(
      [COLLECTION],
      [COLLECTION, undefined, undefined],
      'struct LookupLocation',
    ),
    // `WithLookup { collection (renamed), with_payload (default), with_vectors (default) }`.
    withLookup: struct(
      [COLLECTION],
      [COLLECTION, undefined, undefined],
      'data did not match any variant of untagged enum WithLookupInterface',
    ),
    // `Prefetch { prefetch (default), query, using, filter, params, score_threshold, limit,
    // lookup_from (default) }`: the sequence form needs the six middle fields (no default).
    prefetch: struct(
      [PREFETCH, LOOKUP_FROM],
      [PREFETCH, undefined, undefined, undefined, undefined, undefined, undefined, LOOKUP_FROM],
      'struct Prefetch',
    ),
  };
}

/** serde's name for the type of a JSON value in `invalid type` messages. */
export const UNEXPECTED: readonly string[] = [
  'map',
  'sequence',
  'string',
  'number',
  'boolean `true`',
  'boolean `false`',
  'unit value',
];
