#!/usr/bin/env node
// Generates src/generated/** from the contract files in spec/ at the repository root:
// - qdrant-cloud-rpcs.tsv: which RPCs exist, their HTTP mapping, body mode and deprecation;
// - qdrant-cloud-api.swagger.json: message shapes (definitions) and query/path parameters.
// Output is committed and reviewed; run `node scripts/generate.mjs` after a spec update.
// Hand-written code (transport, errors, retries, waiters) lives outside src/generated.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import {
  BASE_OVERRIDES,
  FIELD_RULES,
  REQUEST_FIELD_RULES,
  REQUEST_RULES,
  REQUIRED_FIELDS,
  UUID_FIELDS,
  UUID_LIST_FIELDS,
} from './validation-rules.mjs';

const specs = new URL('../../../spec/', import.meta.url);
// Which fields the server requires and which enum values it accepts, read from the protos by
// scripts/extract-proto-rules.mjs (keyed like the Swagger definitions, e.g. `v1Cluster`).
const protoRules = JSON.parse(
  readFileSync(new URL('proto-rules.json', import.meta.url), 'utf8'),
).messages;
// `--out <dir>` writes elsewhere (the test that checks the committed output is up to date).
const outFlag = process.argv.indexOf('--out');
const outDir =
  outFlag > 0
    ? new URL(`file://${process.argv[outFlag + 1].replace(/\/?$/, '/')}`)
    : new URL('../src/generated/', import.meta.url);
const swagger = JSON.parse(readFileSync(new URL('qdrant-cloud-api.swagger.json', specs), 'utf8'));
const tsvText = readFileSync(new URL('qdrant-cloud-rpcs.tsv', specs), 'utf8');

// ---------------------------------------------------------------------------------------------
// Reading the contract

const [headerLine, ...lines] = tsvText.trim().split('\n');
const header = headerLine.split('\t');
const allRpcs = lines.map((line) => {
  const cells = line.split('\t');
  return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
});
// Serverless is a separate product, the UI services are for the console only and the v1
// database key service is deprecated in favour of v2: none of them belong in this client.
const rpcs = allRpcs.filter(
  (r) =>
    !r.package.includes('.serverless.') && !r.package.includes('.ui.') && r.deprecated !== 'true',
);

const definitions = swagger.definitions;
const refName = (ref) => ref.replace('#/definitions/', '');
const typeName = (def) => {
  const stripped = /^v\d[A-Z]/.test(def) ? def.slice(2) : def;
  return stripped[0].toUpperCase() + stripped.slice(1);
};
const isEnumDef = (def) => Array.isArray(definitions[def]?.enum);
const lowerFirst = (s) =>
  s === s.toUpperCase() ? s.toLowerCase() : s[0].toLowerCase() + s.slice(1);
const snakeToCamel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

const operations = new Map();
for (const [path, methods] of Object.entries(swagger.paths)) {
  for (const [method, op] of Object.entries(methods)) {
    operations.set(op.operationId, { path, method: method.toUpperCase(), op });
  }
}

// ---------------------------------------------------------------------------------------------
// TSDoc helpers

function docText(schema) {
  const text = [schema?.title, schema?.description].filter(Boolean).join('\n\n');
  return text.replaceAll('*/', '*\\/').trim();
}
function tsdoc(text, indent = '') {
  if (!text) return '';
  const body = text
    .split('\n')
    .map((l) => `${indent} *${l ? ` ${l}` : ''}`)
    .join('\n');
  return `${indent}/**\n${body}\n${indent} */\n`;
}

// ---------------------------------------------------------------------------------------------
// Types

// protoc-gen-openapiv2 writes int64/uint64 as `type: string, format: int64` (JSON strings) and
// uint32 as `type: integer, format: int64` (JSON numbers): only the former is a 64-bit value.
const isInt64 = (s) => s.type === 'string' && (s.format === 'int64' || s.format === 'uint64');

// Input mode: messages used in requests refer to their `…Input` types, closed enums list only
// the values the server accepts.
function tsType(schema, indent, input = false, allowed = undefined) {
  if (schema.$ref) {
    const def = refName(schema.$ref);
    if (input && isEnumDef(def) && allowed) return allowed.map((e) => `'${e}'`).join(' | ');
    return input && !isEnumDef(def) && inputDefs.has(def) ? `${typeName(def)}Input` : typeName(def);
  }
  if (schema.type === 'array') {
    const item = tsType(schema.items, indent, input);
    return /^[A-Za-z]+$/.test(item) ? `${item}[]` : `Array<${item}>`;
  }
  if (schema.type === 'object' || schema.properties) {
    if (schema.properties) return inlineInterface(schema.properties, indent, new Set(), input);
    if (schema.additionalProperties && Object.keys(schema.additionalProperties).length) {
      return `Record<string, ${tsType(schema.additionalProperties, indent)}>`;
    }
    return 'Record<string, unknown>';
  }
  if (isInt64(schema)) return 'string';
  if (input && schema.format === 'date-time') return 'string | Date';
  if (schema.enum) {
    return input && allowed
      ? allowed.map((e) => `'${e}'`).join(' | ')
      : `${schema.enum.map((e) => `'${e}'`).join(' | ')} | (string & {})`;
  }
  if (schema.type === 'integer' || schema.type === 'number') return 'number';
  if (schema.type === 'boolean') return 'boolean';
  return 'string';
}

function inlineInterface(properties, indent, required = new Set(), input = false, closed = {}) {
  const inner = `${indent}  `;
  const members = Object.entries(properties).map(([name, prop]) => {
    const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name}'`;
    const opt = required.has(name) ? '' : '?';
    const type = tsType(prop, inner, input, closed[name]);
    return `${tsdoc(docText(prop), inner)}${inner}${key}${opt}: ${type}${required.has(name) ? '' : ' | undefined'};`;
  });
  return `{\n${members.join('\n')}\n${indent}}`;
}

// ---------------------------------------------------------------------------------------------
// Schemas (zod/mini). Every call is marked pure so bundlers drop what a consumer never uses.

const P = '/* @__PURE__ */ ';

function outSchema(schema) {
  if (schema.$ref) {
    const def = refName(schema.$ref);
    return isEnumDef(def) ? 'v.enumValue' : `${typeName(def)}Schema`;
  }
  if (schema.type === 'array') return `${P}z.array(${outSchema(schema.items)})`;
  if (schema.type === 'object' || schema.properties) {
    if (schema.properties) {
      const fields = Object.entries(schema.properties).map(
        ([name, prop]) => `${JSON.stringify(name)}: ${P}z.optional(${outSchema(prop)})`,
      );
      return `${P}z.looseObject({ ${fields.join(', ')} })`;
    }
    if (schema.additionalProperties && Object.keys(schema.additionalProperties).length) {
      return `${P}z.record(z.string(), ${outSchema(schema.additionalProperties)})`;
    }
    return 'v.anyObject';
  }
  if (isInt64(schema)) return 'v.int64';
  if (schema.enum) return 'v.enumValue';
  if (schema.type === 'integer' || schema.type === 'number') return 'v.number';
  if (schema.type === 'boolean') return 'v.boolean';
  return 'v.string';
}

function ruleFor(owner, name, schema) {
  const rule =
    FIELD_RULES[`${owner}.${name}`] ??
    (owner.endsWith('Request') ? REQUEST_FIELD_RULES[name] : undefined);
  if (rule) return rule;
  if (schema.type === 'string' && !schema.format && UUID_FIELDS.has(name)) return 'v.uuid()';
  if (schema.type === 'array' && UUID_LIST_FIELDS.has(name)) return 'v.uuidItems()';
  return undefined;
}

function inSchema(schema, owner, name, allowed = undefined) {
  let base;
  const override = name === undefined ? undefined : BASE_OVERRIDES[`${owner}.${name}`];
  if (override) base = override;
  else if (schema.$ref) {
    const def = refName(schema.$ref);
    base = isEnumDef(def)
      ? allowed
        ? `${P}v.oneOf(${JSON.stringify(allowed)})`
        : 'v.enumValue'
      : `${typeName(def)}InputSchema`;
  } else if (schema.type === 'array') {
    base = `${P}z.array(${inSchema(schema.items, owner, undefined)})`;
  } else if (schema.type === 'object' || schema.properties) {
    if (schema.properties) base = inObject(schema.properties, owner);
    else if (schema.additionalProperties && Object.keys(schema.additionalProperties).length) {
      base = `${P}z.record(z.string(), ${inSchema(schema.additionalProperties, owner, undefined)})`;
    } else base = 'v.anyObject';
  } else if (isInt64(schema)) base = 'v.int64Input';
  else if (schema.format === 'date-time') base = 'v.timestampInput';
  else if (schema.enum) base = allowed ? `${P}v.oneOf(${JSON.stringify(allowed)})` : 'v.enumValue';
  else if (schema.type === 'integer' || schema.type === 'number') base = 'v.number';
  else if (schema.type === 'boolean') base = 'v.boolean';
  else base = 'v.string';
  const rule = name === undefined ? undefined : ruleFor(owner, name, schema);
  return rule ? `${P}${base}.check(${P}${rule})` : base;
}

function inObject(properties, owner, required = new Set(), extraChecks = [], closed = {}) {
  const fields = Object.entries(properties).map(([name, prop]) => {
    const s = inSchema(prop, owner, name, closed[name]);
    return `${JSON.stringify(name)}: ${required.has(name) ? s : `${P}z.optional(${s})`}`;
  });
  const object = `${P}z.looseObject({ ${fields.join(', ')} })`;
  return extraChecks.length
    ? `${P}${object}.check(${extraChecks.map((c) => P + c).join(', ')})`
    : object;
}

// ---------------------------------------------------------------------------------------------
// RPC model

function findMessageFor(inline, pathLeaves) {
  const keys = Object.keys(inline.properties ?? {});
  const candidates = Object.entries(definitions).filter(([name, d]) => {
    if (!d.properties || name.endsWith('Body')) return false;
    const dk = Object.keys(d.properties);
    return (
      keys.every((k) => dk.includes(k)) &&
      dk.filter((k) => !keys.includes(k)).every((k) => pathLeaves.includes(k))
    );
  });
  if (candidates.length !== 1) {
    throw new Error(
      `cannot match inline body object (${keys.join(',')}) to one message: ${candidates.map((c) => c[0])}`,
    );
  }
  return candidates[0][0];
}

const services = new Map();
for (const row of rpcs) {
  const serviceBase = row.service.replace(/Service$/, '');
  const ns = lowerFirst(serviceBase);
  const opId = `${row.service}_${row.rpc}`;
  const found = operations.get(opId);
  if (!found) throw new Error(`${opId} is in the tsv but not in the swagger`);
  if (found.method !== row.http_method) throw new Error(`${opId}: method differs`);
  const { op } = found;

  const pathFields = [...row.path.matchAll(/\{([^}]+)\}/g)].map((m) =>
    m[1].split('.').map(snakeToCamel).join('.'),
  );
  const template = row.path.replace(
    /\{([^}]+)\}/g,
    (_, f) => `{${f.split('.').map(snakeToCamel).join('.')}}`,
  );
  const swaggerPathParams = [...found.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  const params = op.parameters ?? [];
  const paramDoc = new Map();
  swaggerPathParams.forEach((p, i) => {
    paramDoc.set(
      pathFields[i],
      params.find((x) => x.name === p),
    );
  });

  // Request shape: { properties, required } where a property is a swagger schema.
  const properties = {};
  const required = new Set();
  if (row.body === '*') {
    const bodyParam = params.find((p) => p.in === 'body');
    const bodyDef = definitions[refName(bodyParam.schema.$ref)];
    for (const [name, prop] of Object.entries(bodyDef.properties ?? {})) {
      if (prop.type === 'object' && prop.properties && !prop.$ref) {
        const leaves = pathFields
          .filter((f) => f.startsWith(`${name}.`))
          .map((f) => f.slice(name.length + 1));
        properties[name] = {
          $ref: `#/definitions/${findMessageFor(prop, leaves)}`,
          description: prop.description,
          title: prop.title,
        };
      } else properties[name] = prop;
    }
    for (const f of pathFields) {
      if (!f.includes('.')) {
        const p = paramDoc.get(f);
        properties[f] = { type: 'string', description: p?.description };
        required.add(f);
      }
    }
  } else {
    const groups = {};
    for (const f of pathFields) {
      const p = paramDoc.get(f);
      const schema = { type: p?.type ?? 'string', format: p?.format, description: p?.description };
      const [head, ...rest] = f.split('.');
      if (rest.length) {
        groups[head] ??= { type: 'object', properties: {} };
        groups[head].properties[rest.join('.')] = schema;
      } else {
        properties[f] = schema;
        required.add(f);
      }
    }
    for (const p of params.filter((x) => x.in === 'query')) {
      const schema = {
        type: p.type,
        format: p.format,
        enum: p.enum,
        items: p.items,
        description: p.description,
      };
      const [head, ...rest] = p.name.split('.');
      if (rest.length) {
        groups[head] ??= { type: 'object', properties: {} };
        groups[head].properties[rest.join('.')] = schema;
      } else properties[p.name] = schema;
    }
    Object.assign(properties, groups);
  }
  for (const f of REQUIRED_FIELDS[row.request] ?? []) required.add(f);
  const version = /\.(v\d+)$/.exec(row.package)?.[1] ?? '';
  const requestRules = protoRules[`${version}${row.request}`] ?? {};
  for (const f of requestRules.required ?? []) if (f in properties) required.add(f);
  if (row.body === '*' && /^(Create|Update)/.test(row.rpc)) {
    for (const [name, prop] of Object.entries(properties)) if (prop.$ref) required.add(name);
  }
  // The client fills accountId in from its options, so callers may leave it out.
  const optionalInType = new Set([...required].filter((f) => f !== 'accountId'));

  const responseRef = op.responses['200'].schema.$ref;
  const idempotent =
    ['GET', 'PUT', 'DELETE'].includes(row.http_method) || /^(Get|List|Suggest)/.test(row.rpc);
  if (!services.has(ns))
    services.set(ns, { ns, service: row.service, pkg: row.package, methods: [] });
  services.get(ns).methods.push({
    rpc: row.rpc,
    method: lowerFirst(row.rpc),
    http: row.http_method,
    template,
    body: row.body === '*',
    idempotent,
    requestName: row.request,
    responseType: typeName(refName(responseRef)),
    properties,
    required,
    optionalInType,
    closed: requestRules.closedEnums ?? {},
    summary: op.summary ?? '',
    description: op.description ?? '',
    actorTypes: row.actor_types,
    requiresAuthentication: row.requires_authentication !== 'false',
    permissions: row.permissions,
    paginated: row.paginated === 'yes',
  });
}

// ---------------------------------------------------------------------------------------------
// Which messages are needed where

function refsOf(schema, acc) {
  if (!schema || typeof schema !== 'object') return acc;
  if (schema.$ref) {
    const def = refName(schema.$ref);
    if (!acc.has(def)) {
      acc.add(def);
      refsOf(definitions[def], acc);
    }
  }
  for (const [k, v] of Object.entries(schema)) if (k !== '$ref') refsOf(v, acc);
  return acc;
}

const requestNames = new Set(
  [...services.values()].flatMap((s) => s.methods.map((m) => m.requestName)),
);
const isRequestDef = (d) => requestNames.has(typeName(d));
const messageDefs = Object.keys(definitions).filter(
  (d) => !d.endsWith('Body') && !isEnumDef(d) && !isRequestDef(d),
);
const inputDefs = new Set();
for (const s of services.values()) {
  for (const m of s.methods) refsOf({ properties: m.properties }, inputDefs);
}

function topoSort(defs) {
  const order = [];
  const seen = new Set();
  const visit = (d) => {
    if (seen.has(d)) return;
    seen.add(d);
    for (const dep of refsOf(definitions[d], new Set())) if (defs.includes(dep)) visit(dep);
    order.push(d);
  };
  for (const d of defs) visit(d);
  return order;
}

// ---------------------------------------------------------------------------------------------
// Emit

const banner = `// GENERATED by scripts/generate.mjs from spec/ (qdrant-cloud-rpcs.tsv and
// qdrant-cloud-api.swagger.json, qdrant-cloud-public-api v0.173.0). Do not edit by hand.\n`;

rmSync(outDir, { recursive: true, force: true });
mkdirSync(new URL('services/', outDir), { recursive: true });

// types.ts
{
  const out = [banner];
  for (const [def, d] of Object.entries(definitions)) {
    if (def.endsWith('Body') || isRequestDef(def)) continue;
    const name = typeName(def);
    if (isEnumDef(def)) {
      out.push(
        `${tsdoc(`${docText(d)}\n\nUnknown values from newer API versions are passed through as strings.`)}export type ${name} =\n${d.enum.map((e) => `  | '${e}'`).join('\n')}\n  | (string & {});\n`,
      );
    } else if (def === 'protobufAny') {
      out.push(
        `/** A \`google.protobuf.Any\` in JSON form: the message type URL plus the message's fields. */\nexport interface ProtobufAny {\n  '@type'?: string;\n  [field: string]: unknown;\n}\n`,
      );
    } else if (d.properties) {
      out.push(
        `${tsdoc(docText(d) || name)}export interface ${name} ${inlineInterface(d.properties, '')}\n`,
      );
    } else {
      out.push(`${tsdoc(docText(d) || name)}export type ${name} = ${tsType(d, '')};\n`);
    }
  }
  for (const def of [...inputDefs].filter((d) => !isEnumDef(d) && definitions[d]?.properties)) {
    const name = typeName(def);
    const rules = protoRules[def] ?? {};
    // accountId stays optional: the client fills it in from its options.
    const required = new Set((rules.required ?? []).filter((f) => f !== 'accountId'));
    out.push(
      `${tsdoc(`{@link ${name}} as a request carries it: the fields the API requires are required and enums list only the values it accepts (from the protos' validation rules).`)}export interface ${name}Input ${inlineInterface(definitions[def].properties, '', required, true, rules.closedEnums ?? {})}\n`,
    );
  }
  for (const s of services.values()) {
    for (const m of s.methods) {
      const doc = `The request message of \`${s.service}.${m.rpc}\` in its protobuf-JSON form.${m.optionalInType.size !== m.required.size ? '\n`accountId` may be left out when the client was created with one.' : ''}`;
      out.push(
        `${tsdoc(doc)}export interface ${m.requestName} ${inlineInterface(m.properties, '', m.optionalInType, true, m.closed)}\n`,
      );
    }
  }
  writeFileSync(new URL('types.ts', outDir), out.join('\n'));
}

// messages.ts
{
  const out = [
    banner,
    `import * as z from 'zod/mini';\nimport * as v from '../validation/checks.js';\n`,
  ];
  const typeImports = new Set();
  for (const def of topoSort(messageDefs)) {
    const name = typeName(def);
    typeImports.add(name);
    const d = definitions[def];
    const expr =
      def === 'protobufAny' ? 'v.anyObject' : outSchema({ ...d, type: d.type ?? 'object' });
    out.push(
      `/** Lenient schema for {@link ${name}} as it arrives in a response: unknown fields are kept, unknown enum values pass, int64 values become strings. */\nexport const ${name}Schema: z.ZodMiniType<${name}> = ${expr};\n`,
    );
  }
  for (const def of topoSort([...inputDefs].filter((d) => !isEnumDef(d)))) {
    const name = typeName(def);
    const d = definitions[def];
    const rules = protoRules[def] ?? {};
    const expr =
      def === 'protobufAny'
        ? 'v.anyObject'
        : inObject(
            d.properties ?? {},
            name,
            new Set(rules.required ?? []),
            [],
            rules.closedEnums ?? {},
          );
    const typed = d.properties ? `${name}Input` : name;
    if (d.properties) typeImports.add(typed);
    out.push(
      `/** Schema that checks a {@link ${typed}} before it is sent: types, required fields and the protos' validation rules. */\nexport const ${name}InputSchema: z.ZodMiniType<${typed}> = ${expr};\n`,
    );
  }
  out.splice(
    2,
    0,
    `import type {\n${[...typeImports].map((t) => `  ${t},`).join('\n')}\n} from './types.js';\n`,
  );
  writeFileSync(new URL('messages.ts', outDir), out.join('\n'));
}

// services/<ns>.ts
const serviceList = [...services.values()].sort((a, b) => a.ns.localeCompare(b.ns));
for (const s of serviceList) {
  const iface = `${s.service.replace(/^IAMService$/, 'IamService')}`;
  const defName = `${s.ns}Service`;
  const messageImports = new Set();
  const typeImports = new Set();
  const requestSchemas = [];
  const members = [];
  const table = [];
  for (const m of s.methods) {
    typeImports.add(m.requestName);
    typeImports.add(m.responseType);
    messageImports.add(`${m.responseType}Schema`);
    const direct = Object.values(m.properties)
      .flatMap((p) => [p.$ref, p.items?.$ref])
      .filter(Boolean)
      .map(refName)
      .filter((d) => !isEnumDef(d));
    for (const d of direct) messageImports.add(`${typeName(d)}InputSchema`);
    const checks = [];
    for (const c of REQUEST_RULES[m.requestName] ?? []) checks.push(c);
    const expr = inObject(m.properties, m.requestName, m.required, checks, m.closed);
    requestSchemas.push(
      `/** Checks a {@link ${m.requestName}} before it is sent (after the client's \`accountId\` is filled in). */\nexport const ${m.requestName}Schema: z.ZodMiniType<${m.requestName}> = ${expr};\n`,
    );
    const notes = [];
    if (m.summary) notes.push(m.summary);
    if (m.description && m.description !== m.summary) notes.push(m.description);
    notes.push(
      `\`${m.http} ${m.template}\`${m.body ? ' with the whole request as JSON body' : ''}.`,
    );
    if (m.actorTypes)
      notes.push('Only a signed-in user may call this; a management key is refused.');
    if (!m.requiresAuthentication) notes.push('Needs no authentication.');
    if (m.paginated)
      notes.push('Pages with `pageSize` (1-250) and `pageToken`; see {@link paginate}.');
    notes.push(
      m.idempotent
        ? 'Idempotent: retried on 429, 502, 503, 504 and network errors.'
        : 'Not idempotent: never retried.',
    );
    members.push(
      `${tsdoc(notes.join('\n\n').replaceAll('*/', '*\\/'), '  ')}  ${m.method}(request: ${m.requestName}, options?: CallOptions): Promise<${m.responseType}>;`,
    );
    table.push(
      `    ${m.method}: [${JSON.stringify(m.http)}, ${JSON.stringify(m.template)}, ${m.body ? 1 : 0}, ${m.idempotent ? 1 : 0}, ${m.requestName}Schema, ${m.responseType}Schema],`,
    );
  }
  const needsV = requestSchemas.some((r) => r.includes('v.'));
  const src = [
    banner,
    `import * as z from 'zod/mini';`,
    `import type { CallOptions } from '../../call-options.js';`,
    `import { defineService, type ServiceDefinition } from '../../service.js';`,
    needsV ? `import * as v from '../../validation/checks.js';` : '',
    `import {\n${[...messageImports]
      .sort()
      .map((i) => `  ${i},`)
      .join('\n')}\n} from '../messages.js';`,
    `import type {\n${[...typeImports]
      .sort()
      .map((i) => `  ${i},`)
      .join('\n')}\n} from '../types.js';\n`,
    ...requestSchemas,
    `${tsdoc(`The \`${s.ns}\` namespace: every RPC of \`${s.pkg}.${s.service}\`.`)}export interface ${iface} {\n${members.join('\n\n')}\n}\n`,
    `${tsdoc(`Definition of the \`${s.ns}\` namespace, for {@link composeCloudClient}. Importing only the definitions you use keeps the other services out of your bundle.`)}export const ${defName}: ServiceDefinition<${iface}> = ${P}defineService<${iface}>(${JSON.stringify(s.ns)}, {\n${table.join('\n')}\n});\n`,
  ];
  writeFileSync(new URL(`services/${s.ns}.ts`, outDir), src.filter((x) => x !== '').join('\n'));
}

// index.ts
{
  const out = [banner];
  out.push(`export type * from './types.js';`);
  out.push(`export * from './messages.js';`);
  for (const s of serviceList) out.push(`export * from './services/${s.ns}.js';`);
  out.push('');
  for (const s of serviceList) out.push(`import { ${s.ns}Service } from './services/${s.ns}.js';`);
  out.push(
    `\n/** Every service definition of the Cloud API, keyed by namespace; {@link createCloudClient} composes all of them. */\nexport const allServices = {\n${serviceList.map((s) => `  ${s.ns}: ${s.ns}Service,`).join('\n')}\n} as const;\n`,
  );
  writeFileSync(new URL('index.ts', outDir), out.join('\n'));
}

// A machine-readable list for tests: every method with its HTTP mapping.
{
  const list = serviceList.flatMap((s) =>
    s.methods.map((m) => ({
      namespace: s.ns,
      method: m.method,
      rpc: `${s.service}.${m.rpc}`,
      http: m.http,
      path: m.template,
      body: m.body,
      idempotent: m.idempotent,
      paginated: m.paginated,
      userOnly: Boolean(m.actorTypes),
    })),
  );
  writeFileSync(new URL('methods.json', outDir), `${JSON.stringify(list, null, 1)}\n`);
}

const count = serviceList.reduce((n, s) => n + s.methods.length, 0);
console.log(`generated ${serviceList.length} services, ${count} methods`);
