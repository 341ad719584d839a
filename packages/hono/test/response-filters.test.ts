// The response filters on their own: any JSON text the cluster could send (spacing, escapes,
// empty lists), the kept bytes untouched, anything else refused.
import { describe, expect, it } from 'vitest';
import {
  filterAliases,
  filterClusterTelemetry,
  filterCollections,
  filterIssues,
} from '../src/filter/response-filters.js';

const grants = (...names: string[]) =>
  names.map((collection) => ({ collection, access: 'r' as const }));

describe('response filters', () => {
  it('keep the kept bytes as they were, whatever the spacing and escapes', () => {
    const text =
      '{ "result" : { "collections" : [ {"name":"a\\"]}"} , {"name":"b"},{"name":"\\u0061"} ] } ,"status":"ok","time":1e-7 }';
    const out = filterCollections(text, grants('a"]}', 'a'));
    expect(JSON.parse(out).result.collections).toEqual([{ name: 'a"]}' }, { name: 'a' }]);
    expect(out).toContain('{"name":"a\\"]}"}');
    expect(out).toContain('{"name":"\\u0061"}');
    expect(out).toContain('"time":1e-7');
  });

  it('an empty list and a key granting nothing give empty lists', () => {
    expect(
      JSON.parse(
        filterCollections('{"result":{"collections":[]},"status":"ok","time":0}', grants('a')),
      ).result,
    ).toEqual({ collections: [] });
    expect(
      JSON.parse(filterCollections('{"result":{"collections":[{"name":"a"}]},"time":0}', []))
        .result,
    ).toEqual({ collections: [] });
  });

  it('aliases need both names in the key', () => {
    const text = JSON.stringify({
      result: {
        aliases: [
          { alias_name: 'x', collection_name: 'a' },
          { alias_name: 'a2', collection_name: 'a' },
          { alias_name: 'a2', collection_name: 'b' },
        ],
      },
    });
    expect(JSON.parse(filterAliases(text, grants('a', 'a2'))).result.aliases).toEqual([
      { alias_name: 'a2', collection_name: 'a' },
    ]);
  });

  it('issues come in key order; issues of no collection never', () => {
    const issue = (id: string, related: string | null) => ({ id, related_collection: related });
    const text = JSON.stringify({
      result: { issues: [issue('1', 'b'), issue('2', null), issue('3', 'a'), issue('4', 'b')] },
    });
    const ids = JSON.parse(filterIssues(text, grants('a', 'b'))).result.issues.map(
      (i: { id: string }) => i.id,
    );
    expect(ids).toEqual(['3', '1', '4']);
  });

  it('cluster telemetry: escaped map keys are decoded before matching; cluster dropped', () => {
    const text =
      '{"result":{"collections":{"\\u0061":{"id":"a","n":18446744073709551615},"b":{}},"cluster":{"peers":{}}},"status":"ok","time":0}';
    const out = filterClusterTelemetry(text, grants('a'));
    expect(out).toBe(
      '{"result":{"collections":{"\\u0061":{"id":"a","n":18446744073709551615}}},"status":"ok","time":0}',
    );
  });

  it('another shape is refused (throws), never passed', () => {
    for (const text of [
      'not json',
      '{"result":[]}',
      '{"result":{"collections":{}}}',
      '{"status":"ok"}',
      '[1]',
    ]) {
      expect(() => filterCollections(text, grants('a')), text).toThrow();
    }
    expect(() => filterClusterTelemetry('{"result":{"collections":[]}}', grants('a'))).toThrow();
    expect(() => filterIssues('{"result":{"issues":[1]}}', grants('a'))).toThrow();
  });
});
