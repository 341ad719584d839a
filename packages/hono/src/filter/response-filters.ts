// What a Qdrant v1.19 cluster leaves out of its answers for a collection-scoped key, redone by
// the gateway when it sends its own key upstream (key hiding): the cluster then answers with the
// upstream key's global access, and only the gateway knows the caller's.
import type { CollectionGrant } from '@qdrant-kit/core';
import {
  arrayElements,
  hasDuplicateKeys,
  type JsonSpan,
  objectMembers,
  pickElements,
  rewriteObject,
  rootSpan,
} from './json-spans.js';

/**
 * How the gateway treats one route whose answer the cluster filters by the caller's access:
 * `filter` edits the upstream's answer exactly as the cluster would have built it; `refuse`
 * answers 403 instead, where the global answer does not contain what the filtered one needs.
 */
export type ResponseFilterRule =
  | { readonly kind: 'filter'; readonly filter: ResponseFilter }
  | { readonly kind: 'refuse'; readonly reason: string };

/** Rewrites the `result` of a 2xx JSON answer; throws when the answer has another shape. */
export type ResponseFilter = (text: string, grants: readonly CollectionGrant[]) => string;

/** Thrown when an upstream answer cannot be filtered (not the shape the cluster sends). */
export class UnfilterableResponseError extends Error {
  override name = 'UnfilterableResponseError';
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function grantedNames(grants: readonly CollectionGrant[]): ReadonlySet<string> {
  return new Set(grants.map((g) => g.collection));
}

/** Parses the answer and finds `result`, failing closed on anything else. */
function parseResult(text: string): { parsed: Json; result: Json } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UnfilterableResponseError('not JSON');
  }
  if (!isObject(parsed) || !isObject(parsed.result)) {
    throw new UnfilterableResponseError('no result object');
  }
  // The cluster (serde) never repeats a key; a text that does could be read either way.
  if (hasDuplicateKeys(text)) throw new UnfilterableResponseError('duplicate keys');
  return { parsed, result: parsed.result };
}

/** The document with `result.<field>` replaced by `replace(span)`'s text. */
function editResultField(
  text: string,
  edit: (member: { key: string; value: JsonSpan }) => string | null | undefined,
): string {
  return rewriteObject(text, rootSpan(text), (top) =>
    top.key === 'result' ? rewriteObject(text, top.value, edit) : undefined,
  );
}

/** The spans of `result.<field>`'s elements, with their parsed values. */
function listOf(
  text: string,
  result: Json,
  field: string,
): Array<{ value: unknown; span: JsonSpan }> {
  const list = result[field];
  if (!Array.isArray(list)) throw new UnfilterableResponseError(`result.${field} is not a list`);
  const root = objectMembers(text, rootSpan(text)).find((m) => m.key === 'result');
  const member = root && objectMembers(text, root.value).find((m) => m.key === field);
  if (!member) throw new UnfilterableResponseError(`result.${field} missing`);
  const spans = arrayElements(text, member.value);
  if (spans.length !== list.length) throw new UnfilterableResponseError('list length mismatch');
  return spans.map((span, i) => ({ value: list[i], span }));
}

function filterList(
  text: string,
  field: string,
  keep: (item: Json) => boolean,
  order?: (kept: Array<{ value: Json; span: JsonSpan }>) => Array<{ span: JsonSpan }>,
): string {
  const { result } = parseResult(text);
  const items = listOf(text, result, field).map(({ value, span }) => {
    if (!isObject(value))
      throw new UnfilterableResponseError(`result.${field} item is not an object`);
    return { value, span };
  });
  const kept = items.filter((item) => keep(item.value));
  const ordered = order ? order(kept) : kept;
  const replacement = pickElements(
    text,
    ordered.map((k) => k.span),
  );
  return editResultField(text, (m) => (m.key === field ? replacement : undefined));
}

/**
 * `GET /collections`: only collections the key names (`TableOfContent::all_collections`,
 * lib/storage/src/content_manager/toc/mod.rs:371, via `check_collection_access` with no
 * requirement, so every mode counts).
 */
export const filterCollections: ResponseFilter = (text, grants) => {
  const names = grantedNames(grants);
  return filterList(text, 'collections', (c) => typeof c.name === 'string' && names.has(c.name));
};

/**
 * `GET /aliases`: aliases of the key's collections whose own names are in the key too
 * (`list_aliases` walks `all_collections`, then `collection_aliases` keeps aliases passing
 * `check_collection_access`: lib/storage/src/content_manager/toc/mod.rs:489-525).
 */
export const filterAliases: ResponseFilter = (text, grants) => {
  const names = grantedNames(grants);
  return filterList(
    text,
    'aliases',
    (a) =>
      typeof a.alias_name === 'string' &&
      typeof a.collection_name === 'string' &&
      names.has(a.alias_name) &&
      names.has(a.collection_name),
  );
};

/**
 * `GET /collections/{c}/aliases` (the gateway already checked `c`): aliases whose own names are
 * in the key (`collection_aliases`, lib/storage/src/content_manager/toc/mod.rs:489).
 */
export const filterCollectionAliases: ResponseFilter = (text, grants) => {
  const names = grantedNames(grants);
  return filterList(
    text,
    'aliases',
    (a) => typeof a.alias_name === 'string' && names.has(a.alias_name),
  );
};

/**
 * `GET /issues`: for each collection of the key, in the key's order, the issues whose
 * `related_collection` is that name (src/actix/api/issues_api.rs:8-29 with
 * `all_collection_issues`, lib/common/issues/src/dashboard.rs:67). Issues of no collection
 * are left out. Within one collection the cluster's own order is kept.
 */
export const filterIssues: ResponseFilter = (text, grants) => {
  const names = grantedNames(grants);
  return filterList(
    text,
    'issues',
    (i) => typeof i.related_collection === 'string' && names.has(i.related_collection),
    (kept) =>
      grants.flatMap((grant) =>
        kept.filter((k) => k.value.related_collection === grant.collection),
      ),
  );
};

/**
 * `GET /cluster/telemetry`: the `collections` map keeps the key's collections only (the cluster
 * asks its peers for just those: src/actix/api/cluster_api.rs:220-231), and the `cluster`
 * part is left out for any collection-scoped key (`resolve_telemetries`,
 * src/common/telemetry_ops/distributed_telemetry.rs:173-178).
 */
export const filterClusterTelemetry: ResponseFilter = (text, grants) => {
  const names = grantedNames(grants);
  const { result } = parseResult(text);
  if (!isObject(result.collections)) {
    throw new UnfilterableResponseError('result.collections is not a map');
  }
  return editResultField(text, (m) => {
    if (m.key === 'cluster') return null;
    if (m.key !== 'collections') return undefined;
    return rewriteObject(text, m.value, (c) => (names.has(c.key) ? undefined : null));
  });
};

const TELEMETRY_REFUSAL =
  'Forbidden: Global access is required for telemetry through this gateway: it sends its own key upstream and cannot rebuild the telemetry of a collection-scoped key';

/**
 * Every route a collection-scoped key can reach whose answer the cluster filters by access,
 * keyed by `METHOD pattern`. A test checks that every `any`-scope route of core's table is here.
 * - `GET /telemetry` is refused: `collections.number_of_collections` counts the key's existing
 *   collections and level-1 entries carry no name (src/common/telemetry_ops/collections_telemetry.rs:45-78,
 *   lib/collection/src/telemetry.rs:61), `anonymize=true` hashes names: none of it can be
 *   derived from the global answer.
 */
export const RESPONSE_FILTER_RULES: ReadonlyMap<string, ResponseFilterRule> = new Map<
  string,
  ResponseFilterRule
>([
  ['GET /collections', { kind: 'filter', filter: filterCollections }],
  ['GET /aliases', { kind: 'filter', filter: filterAliases }],
  [
    'GET /collections/{collection_name}/aliases',
    { kind: 'filter', filter: filterCollectionAliases },
  ],
  ['GET /issues', { kind: 'filter', filter: filterIssues }],
  ['GET /cluster/telemetry', { kind: 'filter', filter: filterClusterTelemetry }],
  ['GET /telemetry', { kind: 'refuse', reason: TELEMETRY_REFUSAL }],
]);
