// The repository's contract data (spec/) is well-formed, and equal to the reference copy in
// ../shared/specs when that folder exists beside the repository (it is the one that may be
// corrected; this copy follows it).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const specDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = resolve(specDir, '..');
const referenceDir = process.env.QK_SHARED_SPECS ?? resolve(repoRoot, '..', 'shared', 'specs');

/** The data files of spec/ (everything but this package's own files). */
const OWN_FILES = new Set([
  'README.md',
  'package.json',
  'biome.json',
  'test',
  'test-output',
  'node_modules',
]);
const dataFiles = readdirSync(specDir)
  .filter((name) => !OWN_FILES.has(name) && !name.startsWith('.'))
  .sort();

const read = (name) => readFileSync(join(specDir, name), 'utf8');

function tsv(name) {
  const [headerLine, ...lines] = read(name).replace(/\n$/, '').split('\n');
  const header = headerLine.split('\t');
  return { header, rows: lines.map((line) => line.split('\t')) };
}

const EXPECTED_FILES = [
  'qdrant-access-table.json',
  'qdrant-cloud-api.swagger.json',
  'qdrant-cloud-rpcs.tsv',
  'qdrant-cloud-usage-by-official-tools.tsv',
  'qdrant-rest-routes.txt',
];

describe('spec/ is well-formed', () => {
  test('it holds exactly the contract files, each described in spec/README.md', () => {
    assert.deepEqual(dataFiles, EXPECTED_FILES);
    const readme = read('README.md');
    for (const name of dataFiles) assert.ok(readme.includes(`\`${name}\``), `README: ${name}`);
    // Provenance: both upstream commits in full.
    assert.match(readme, /74f3e85b9473c62560006c043e13737ce6b48412/);
    assert.match(readme, /ff1c923e85012fba850022116790cfd556eedd7a/);
  });

  test('qdrant-access-table.json: 96 actions, every column a boolean or null', () => {
    const table = JSON.parse(read('qdrant-access-table.json'));
    assert.match(table.source, /^qdrant\/qdrant@74f3e85b9473c62560006c043e13737ce6b48412 /);
    const columns = Object.keys(table.columns);
    assert.deepEqual(columns, [
      'global_r',
      'coll_r',
      'coll_rw',
      'coll_prw',
      'global_m',
      'everything',
    ]);
    const actions = Object.entries(table.actions);
    assert.equal(actions.length, 96);
    for (const [name, action] of actions) {
      assert.ok(action.rest !== null || action.grpc !== null, `${name}: neither REST nor gRPC`);
      if (action.rest !== null)
        assert.match(action.rest, /^(GET|POST|PUT|PATCH|DELETE) \/\S*$/, name);
      if (action.grpc !== null)
        assert.match(action.grpc, /^[a-z][a-z0-9.]*\.[A-Za-z]+\/[A-Za-z]+$/, name);
      for (const column of columns) {
        assert.ok(
          action[column] === null || typeof action[column] === 'boolean',
          `${name}.${column} is ${JSON.stringify(action[column])}`,
        );
      }
    }
  });

  test('qdrant-rest-routes.txt: sorted, unique "METHOD /path" lines', () => {
    const lines = read('qdrant-rest-routes.txt').replace(/\n$/, '').split('\n');
    assert.ok(lines.length >= 90, `${lines.length} routes`);
    for (const line of lines) assert.match(line, /^(GET|POST|PUT|PATCH|DELETE|HEAD) \/[^\s]*$/);
    assert.deepEqual(lines, [...new Set(lines)].sort());
  });

  test('qdrant-cloud-api.swagger.json: one Swagger 2.0 document with paths and definitions', () => {
    const swagger = JSON.parse(read('qdrant-cloud-api.swagger.json'));
    assert.equal(swagger.swagger, '2.0');
    assert.equal(swagger.host, 'api.cloud.qdrant.io');
    assert.equal(swagger.info.version, 'ff1c923e85012fba850022116790cfd556eedd7a');
    assert.ok(swagger.securityDefinitions.apikey, 'apikey security definition');
    assert.ok(Object.keys(swagger.paths).length > 50);
    assert.ok(Object.keys(swagger.definitions).length > 100);
    // Every $ref resolves inside the document.
    const refs = JSON.stringify(swagger).match(/"\$ref":"#\/definitions\/[^"]+"/g) ?? [];
    for (const ref of new Set(refs)) {
      const name = ref.slice('"$ref":"#/definitions/'.length, -1);
      assert.ok(name in swagger.definitions, `dangling ${ref}`);
    }
  });

  test('qdrant-cloud-rpcs.tsv: one row per RPC, every row as wide as the header', () => {
    const { header, rows } = tsv('qdrant-cloud-rpcs.tsv');
    for (const column of [
      'package',
      'service',
      'rpc',
      'http_method',
      'path',
      'deprecated',
      'file',
    ]) {
      assert.ok(header.includes(column), `column ${column}`);
    }
    assert.ok(rows.length > 100, `${rows.length} rows`);
    const keys = new Set();
    for (const row of rows) {
      assert.equal(row.length, header.length, row.slice(0, 3).join(' '));
      const key = `${row[header.indexOf('package')]}.${row[header.indexOf('service')]}/${row[header.indexOf('rpc')]}`;
      assert.ok(!keys.has(key), `duplicate ${key}`);
      keys.add(key);
    }
  });

  test('qdrant-cloud-usage-by-official-tools.tsv: every row names an RPC of the RPC table', () => {
    const rpcs = tsv('qdrant-cloud-rpcs.tsv');
    const known = new Set(
      rpcs.rows.map(
        (row) =>
          `${row[rpcs.header.indexOf('package')]}.${row[rpcs.header.indexOf('service')]}/${row[rpcs.header.indexOf('rpc')]}`,
      ),
    );
    const { header, rows } = tsv('qdrant-cloud-usage-by-official-tools.tsv');
    assert.deepEqual(header.slice(0, 4), ['service', 'rpc', 'http_method', 'path']);
    assert.ok(rows.length > 100);
    for (const row of rows) {
      assert.equal(row.length, header.length, row.slice(0, 2).join(' '));
      assert.ok(known.has(`${row[0]}/${row[1]}`), `unknown RPC ${row[0]}/${row[1]}`);
    }
  });
});

/** The first line where two texts differ, 1-based, with both versions (shortened). */
function firstDifference(copy, reference) {
  const a = copy.split('\n');
  const b = reference.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      const cut = (line) =>
        line === undefined ? '(end of file)' : JSON.stringify(line.slice(0, 160));
      return `line ${i + 1}: spec/ has ${cut(a[i])}, the reference has ${cut(b[i])}`;
    }
  }
  return 'no line differs (line endings or encoding)';
}

describe('spec/ equals the reference copy', () => {
  if (!existsSync(referenceDir)) {
    test(`no reference at ${referenceDir}: nothing to compare, spec/ is the only copy`, (t) => {
      t.diagnostic(`${referenceDir} does not exist; spec/ was checked for well-formedness only`);
      console.log(`# spec: no reference folder at ${referenceDir}; compared nothing`);
      assert.ok(dataFiles.length > 0);
    });
    return;
  }
  const referenceFiles = readdirSync(referenceDir).filter((name) => name !== 'README.md');

  test('the same files as the reference', () => {
    assert.deepEqual(dataFiles, [...referenceFiles].sort(), `reference: ${referenceDir}`);
  });

  for (const name of dataFiles) {
    test(`${name} is the reference's ${name}`, () => {
      const referencePath = join(referenceDir, name);
      assert.ok(existsSync(referencePath), `${name} is not in ${referenceDir}`);
      const copy = read(name);
      const reference = readFileSync(referencePath, 'utf8');
      if (copy !== reference) {
        assert.fail(
          `spec/${name} differs from ${referencePath}, ${firstDifference(copy, reference)}. ` +
            'The reference may have been corrected: copy it over and review the tests it changes.',
        );
      }
    });
  }
});
