// Where one RPC's request goes: its path template is split once into literal text and field
// paths (cached per template), so a call only walks that list instead of running regexes and
// splitting field names again every time.
import type { ValidationIssue } from './errors.js';

type Json = Record<string, unknown>;

/** A path template taken apart, e.g. `/api/cluster/v1/accounts/{accountId}/clusters/{clusterId}`. */
interface CompiledRoute {
  /** Literal text before each field, then the text after the last one (`fields.length + 1` items). */
  readonly literals: readonly string[];
  /** Each `{field}` in template order: its dotted name and that name split on dots. */
  readonly fields: readonly { readonly name: string; readonly parts: readonly string[] }[];
  /** The dotted names of all path fields (they stay out of the query string). */
  readonly pathFields: ReadonlySet<string>;
  /** Fields whose last part is `accountId`, which the client's `accountId` fills in. */
  readonly accountIdFields: readonly (readonly string[])[];
}

const routes = new Map<string, CompiledRoute>();

/** The compiled form of `template`, built on first use (there is one template per RPC). */
export function compileRoute(template: string): CompiledRoute {
  let route = routes.get(template);
  if (route === undefined) {
    const literals: string[] = [];
    const fields: { name: string; parts: string[] }[] = [];
    let last = 0;
    for (const match of template.matchAll(/\{([^}]+)\}/g)) {
      const name = match[1] as string;
      literals.push(template.slice(last, match.index));
      fields.push({ name, parts: name.split('.') });
      last = match.index + match[0].length;
    }
    literals.push(template.slice(last));
    route = {
      literals,
      fields,
      pathFields: new Set(fields.map((field) => field.name)),
      accountIdFields: fields
        .map((field) => field.parts)
        .filter((parts) => parts[parts.length - 1] === 'accountId'),
    };
    routes.set(template, route);
  }
  return route;
}

/** Sets `accountId` in every path field that needs one and lacks it, copying only what changes. */
export function fillAccountId(
  route: CompiledRoute,
  request: Json,
  accountId: string | undefined,
): Json {
  if (!accountId) return request;
  let out = request;
  for (const parts of route.accountIdFields) {
    const current = getPath(out, parts);
    if (current !== undefined && current !== '') continue;
    out = setPath(out, parts, accountId);
  }
  return out;
}

/** The request's path with its fields filled in and URL-encoded, or the list of missing fields. */
export function expandPath(
  route: CompiledRoute,
  request: Json,
): { readonly path: string } | { readonly missing: ValidationIssue[] } {
  const { literals, fields } = route;
  let path = literals[0] as string;
  let missing: ValidationIssue[] | undefined;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as CompiledRoute['fields'][number];
    const value = getPath(request, field.parts);
    if (value === undefined || value === null || value === '') {
      missing ??= [];
      missing.push({
        field: field.name,
        message: field.name.endsWith('accountId')
          ? 'is required (pass it in the request or as the client option accountId)'
          : 'is required',
      });
    } else {
      const text = String(value);
      // fetch resolves `.` and `..` segments, which would send the call to another endpoint.
      if (text === '.' || text === '..') {
        missing ??= [];
        missing.push({ field: field.name, message: 'must not be "." or ".."' });
      }
      path += encodeURIComponent(text);
    }
    path += literals[i + 1] as string;
  }
  return missing ? { missing } : { path };
}

/** Non-path fields as protobuf-JSON query parameters: nested fields dotted, repeated ones repeated. */
export function buildQuery(route: CompiledRoute, request: Json): string {
  const { pathFields } = route;
  let query = '';
  const add = (name: string, input: unknown) => {
    const value = input instanceof Date ? input.toISOString() : input;
    if (value === undefined || value === null) return;
    if (pathFields.has(name)) return;
    if (Array.isArray(value)) {
      for (const item of value) add(name, item);
    } else if (typeof value === 'object') {
      for (const key in value) {
        if (Object.hasOwn(value, key)) add(`${name}.${key}`, (value as Json)[key]);
      }
    } else {
      query += `${query ? '&' : '?'}${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`;
    }
  };
  for (const key in request) {
    if (Object.hasOwn(request, key)) add(key, request[key]);
  }
  return query;
}

function getPath(value: unknown, parts: readonly string[]): unknown {
  let current = value;
  for (const part of parts) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Json)[part];
  }
  return current;
}

function setPath(object: Json, parts: readonly string[], value: unknown, index = 0): Json {
  const head = parts[index] as string;
  const copy = { ...object };
  if (index === parts.length - 1) {
    copy[head] = value;
  } else {
    const child = object[head];
    const childObject = typeof child === 'object' && child !== null ? (child as Json) : {};
    copy[head] = setPath(childObject, parts, value, index + 1);
  }
  return copy;
}
