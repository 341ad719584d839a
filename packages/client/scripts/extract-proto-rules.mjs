#!/usr/bin/env node
// Reads the buf.validate facts that decide which request fields are required out of the
// qdrant-cloud-public-api protos and writes them as data (scripts/proto-rules.json, committed):
//   node scripts/extract-proto-rules.mjs <bare git dir of qdrant/qdrant-cloud-public-api>
// Per message (protobuf-JSON field names): `required` lists fields the server refuses when they
// are absent (`required = true`; a non-optional string with `uuid`, `min_len >= 1` or a pattern
// that needs a character; a non-optional enum with `not_in: [0]`), `closedEnums` maps enum
// fields with `defined_only` to their allowed values (0 left out when `not_in: [0]`).
// Only facts are kept; no proto text.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const gitDir = process.argv[2];
if (!gitDir) throw new Error('usage: extract-proto-rules.mjs <git dir>');
const git = (...args) => execFileSync('git', ['-C', gitDir, ...args], { encoding: 'utf8' });
const commit = git('rev-parse', 'HEAD').trim();
const tag = git('describe', '--tags', '--always', 'HEAD').trim();
const files = git('ls-tree', '-r', '--name-only', 'HEAD', 'proto/qdrant/cloud')
  .split('\n')
  .filter((f) => f.endsWith('.proto') && !f.includes('/serverless/') && !f.includes('/ui/'));

const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
const enums = new Map(); // enum name -> [{name, number}]
const messages = new Map(); // message name -> [{name, type, label, options}]

for (const file of files) {
  // Keyed as the Swagger definitions are: the package's version, then the message name.
  const version = /\/(v\d+)\//.exec(file)?.[1] ?? '';
  const text = git('show', `HEAD:${file}`)
    .replace(/\/\/[^\n]*/g, '')
    .replace(/\/\*[\s\S]*?\*\//g, '');
  // Statements and blocks, with a stack of open message / enum / oneof / service names.
  const stack = [];
  let statement = '';
  let bracket = 0;
  for (const ch of text) {
    if (ch === '[') bracket++;
    if (ch === ']') bracket--;
    if (bracket > 0 || (ch !== '{' && ch !== '}' && ch !== ';')) {
      statement += ch;
      continue;
    }
    const s = statement.trim().replace(/\s+/g, ' ');
    statement = '';
    if (ch === '{') {
      const m = /^(message|enum|oneof|service|rpc|option|extend)\s*(\S*)/.exec(s) ?? [];
      stack.push({ kind: m[1] ?? 'block', name: m[2] ?? '' });
      if (m[1] === 'message') messages.set(version + m[2], messages.get(version + m[2]) ?? []);
      if (m[1] === 'enum') enums.set(version + m[2], []);
      continue;
    }
    if (ch === '}') {
      // A `{...}` inside an option value ends at its own brace: only close real blocks.
      stack.pop();
      continue;
    }
    const top = stack[stack.length - 1];
    const owner = [...stack].reverse().find((b) => b.kind === 'message' || b.kind === 'enum');
    if (!owner || (top.kind !== 'message' && top.kind !== 'enum' && top.kind !== 'oneof')) continue;
    if (owner.kind === 'enum') {
      const e = /^([A-Z0-9_]+) = (\d+)/.exec(s);
      if (e) enums.get(version + owner.name).push({ name: e[1], number: Number(e[2]) });
      continue;
    }
    const f = /^(optional |repeated )?([\w.]+) (\w+) = \d+(.*)$/.exec(s);
    if (!f || f[2] === 'option' || f[2] === 'reserved') continue;
    messages.get(version + owner.name).push({
      name: camel(f[3]),
      type: f[2].includes('.') || /^[a-z]/.test(f[2]) ? f[2] : version + f[2],
      label: f[1]?.trim() ?? (top.kind === 'oneof' ? 'oneof' : ''),
      options: f[4] ?? '',
    });
  }
}

const rules = {};
for (const [message, fields] of messages) {
  const required = [];
  const closedEnums = {};
  for (const field of fields) {
    const o = field.options;
    const ignored = /ignore/.test(o);
    const plain = field.label === '' && !ignored;
    if (required.includes(field.name)) continue;
    if (/required ?[:=] ?true/.test(o) && field.label !== 'repeated') required.push(field.name);
    else if (plain && field.type === 'string' && /uuid ?[:=] ?true|min_len ?[:=] ?[1-9]/.test(o))
      required.push(field.name);
    const values =
      enums.get(field.type) ??
      enums.get(`${field.type.match(/(v\d+)\.\w+$/)?.[1] ?? ''}${field.type.split('.').pop()}`);
    if (values && /defined_only: true|defined_only = true/.test(o)) {
      const notZero = /not_in: \[0\]/.test(o);
      closedEnums[field.name] = values
        .filter((v) => !(notZero && v.number === 0))
        .map((v) => v.name);
      if (notZero && plain) required.push(field.name);
    }
  }
  if (required.length || Object.keys(closedEnums).length) {
    rules[message] = {
      ...(required.length ? { required } : {}),
      ...(Object.keys(closedEnums).length ? { closedEnums } : {}),
    };
  }
}

const out = {
  source: `qdrant/qdrant-cloud-public-api ${tag} (${commit}), proto/qdrant/cloud/**/*.proto, buf.validate annotations`,
  generatedBy: 'scripts/extract-proto-rules.mjs',
  messages: rules,
};
writeFileSync(new URL('proto-rules.json', import.meta.url), `${JSON.stringify(out, null, 1)}\n`);
console.log(`${Object.keys(rules).length} messages with rules`);
