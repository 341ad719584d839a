/**
 * How an identity provider's claims become a Qdrant `Access` (`QDRANT_GATEWAY_OIDC_ACCESS`).
 *
 * @module
 */
import type {
  Access,
  CollectionAccessMode,
  CollectionGrant,
  GlobalAccessMode,
} from '@qdrant-kit/core';
import { hasForbiddenNameChars, isValidCollectionName } from './collection-name.js';
import { OidcConfigError } from './errors.js';

/** One grant as written in the mapping: a collection name template and the mode it grants. */
export interface GrantTemplate {
  /** A collection name; `{claim}` or `{claim.path}` (or `{["claim.with.dots"].path}`) take a claim's value. */
  readonly collection: string;
  readonly access: CollectionAccessMode;
}

/** The mapping as written: `"r"` / `"m"` for global access, or a list of grants. */
export type AccessMappingSpec = GlobalAccessMode | readonly GrantTemplate[];

/** A parsed, validated mapping. */
export interface AccessMapping {
  /** The mapping as it was given (normalised), for logs and the docs workbench. */
  readonly spec: AccessMappingSpec;
  /** The access a verified token's claims grant. Never throws: what cannot be resolved grants nothing. */
  accessFor(claims: Readonly<Record<string, unknown>>): Access;
}

/** Most grants one mapping may list. */
export const MAX_GRANTS = 100;
const MAX_PLACEHOLDERS = 8;
const MAX_PATH_SEGMENTS = 8;

type Part = { readonly literal: string } | { readonly path: readonly string[] };

interface CompiledGrant {
  readonly parts: readonly Part[];
  readonly access: CollectionAccessMode;
}

// Modes from least to most: a name two grants resolve to gets the lesser one.
const RANK: Readonly<Record<CollectionAccessMode, number>> = { r: 0, prw: 1, rw: 2 };
const MODES = new Set<string>(['r', 'rw', 'prw']);
const PLAIN_SEGMENT = /^[^.[\]{}"]+$/;

function fail(message: string): never {
  throw new OidcConfigError(`QDRANT_GATEWAY_OIDC_ACCESS ${message}`);
}

/** Reads `a.b`, `["a.b"].c`, ... into segments. */
function parsePath(source: string, where: string): string[] {
  const segments: string[] = [];
  let i = 0;
  while (i < source.length) {
    if (segments.length > 0) {
      if (source[i] === '.') i++;
      else if (source[i] !== '[') fail(`${where}: expected "." or "[" in {${source}}`);
    }
    if (source[i] === '[') {
      const close = source.indexOf('"]', i + 2);
      if (source[i + 1] !== '"' || close === -1)
        fail(`${where}: a bracketed claim name must be written ["name"] in {${source}}`);
      let name: unknown;
      try {
        name = JSON.parse(source.slice(i + 1, close + 1));
      } catch {
        fail(`${where}: the bracketed claim name in {${source}} is not a JSON string`);
      }
      if (typeof name !== 'string' || name === '')
        fail(`${where}: empty claim name in {${source}}`);
      segments.push(name);
      i = close + 2;
    } else {
      let end = i;
      while (end < source.length && source[end] !== '.' && source[end] !== '[') end++;
      const name = source.slice(i, end);
      if (!PLAIN_SEGMENT.test(name)) fail(`${where}: empty or invalid claim name in {${source}}`);
      segments.push(name);
      i = end;
    }
    if (segments.length > MAX_PATH_SEGMENTS)
      fail(`${where}: claim paths have at most ${MAX_PATH_SEGMENTS} segments`);
  }
  if (segments.length === 0) fail(`${where}: empty placeholder {}`);
  return segments;
}

function compileTemplate(template: string, where: string): Part[] {
  const parts: Part[] = [];
  let literal = '';
  let i = 0;
  let placeholders = 0;
  while (i < template.length) {
    const c = template[i] as string;
    if (c === '}') fail(`${where}: unmatched "}" in "${template}"`);
    if (c !== '{') {
      literal += c;
      i++;
      continue;
    }
    // A placeholder ends at the first "}" outside a bracketed JSON name.
    let end = i + 1;
    let inString = false;
    for (; end < template.length; end++) {
      const d = template[end];
      if (inString) {
        if (d === '\\') end++;
        else if (d === '"') inString = false;
      } else if (d === '"') inString = true;
      else if (d === '{') fail(`${where}: nested "{" in "${template}"`);
      else if (d === '}') break;
    }
    if (end >= template.length) fail(`${where}: unclosed "{" in "${template}"`);
    if (++placeholders > MAX_PLACEHOLDERS)
      fail(`${where}: at most ${MAX_PLACEHOLDERS} placeholders per collection`);
    if (literal !== '') parts.push({ literal });
    literal = '';
    parts.push({ path: parsePath(template.slice(i + 1, end), where) });
    i = end + 1;
  }
  if (literal !== '') parts.push({ literal });
  if (parts.length === 0) fail(`${where}: the collection is empty`);
  for (const part of parts) {
    // A literal is part of a name: it may not hold what no collection name holds.
    if ('literal' in part && hasForbiddenNameChars(part.literal))
      fail(
        `${where}: "${template}" contains characters a collection name cannot (< > : " / \\ | ? * or control)`,
      );
  }
  const only = parts[0];
  if (
    parts.length === 1 &&
    only !== undefined &&
    'literal' in only &&
    !isValidCollectionName(only.literal)
  )
    fail(`${where}: "${template}" is not a valid collection name`);
  return parts;
}

/**
 * A claim's value as a name fragment: a non-empty string as it is, a non-negative safe integer
 * in decimal; anything else (missing, empty, other numbers, booleans, objects, arrays, null)
 * is `undefined` and its grant grants nothing.
 */
function fragment(
  claims: Readonly<Record<string, unknown>>,
  path: readonly string[],
): string | undefined {
  let value: unknown = claims;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    if (!Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  return undefined;
}

function resolve(
  grant: CompiledGrant,
  claims: Readonly<Record<string, unknown>>,
): string | undefined {
  let name = '';
  for (const part of grant.parts) {
    if ('literal' in part) name += part.literal;
    else {
      const value = fragment(claims, part.path);
      if (value === undefined) return undefined;
      // Substituted as it is: a "{" in a value is text, never another placeholder.
      name += value;
    }
  }
  return isValidCollectionName(name) ? name : undefined;
}

/**
 * Parses and validates a mapping (the JSON text of `QDRANT_GATEWAY_OIDC_ACCESS`, or the value).
 *
 * - `"r"` / `"m"`: every verified token gets global read / manage.
 * - `[{"collection": "tenant-{org_id}", "access": "rw"}, ...]`: per-collection grants
 *   (`access` one of `r`, `rw`, `prw`, as in a database key). `{claim}` and `{a.b}` take a claim's
 *   value; `{["https://example.com/org"]}` names a claim with dots. A value must be a
 *   non-empty string or a non-negative integer; the resulting name must be one the cluster
 *   accepts for a new collection. Otherwise the grant grants nothing. When two grants resolve
 *   to one name, the lesser mode wins.
 *
 * @throws {@link OidcConfigError} with a message naming the problem (never a claim value).
 */
export function parseAccessMapping(input: string | AccessMappingSpec): AccessMapping {
  let value: unknown = input;
  if (typeof input === 'string' && input !== 'r' && input !== 'm') {
    try {
      value = JSON.parse(input);
    } catch {
      fail(
        'is not JSON: write "r", "m" or a list like [{"collection":"tenant-{org_id}","access":"rw"}]',
      );
    }
  }
  if (value === 'r' || value === 'm') {
    const access: Access = Object.freeze({ kind: 'global', mode: value });
    return Object.freeze({ spec: value, accessFor: () => access });
  }
  if (!Array.isArray(value)) fail('must be "r", "m" or a list of grants');
  if (value.length === 0) fail('lists no grant (an empty list would refuse every token)');
  if (value.length > MAX_GRANTS) fail(`lists more than ${MAX_GRANTS} grants`);
  const compiled: CompiledGrant[] = [];
  const spec: GrantTemplate[] = [];
  value.forEach((item: unknown, index: number) => {
    const where = `grant ${index + 1}`;
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      fail(`${where}: must be an object {"collection": ..., "access": ...}`);
    const record = item as Record<string, unknown>;
    for (const key of Object.keys(record))
      if (key !== 'collection' && key !== 'access') fail(`${where}: unknown field "${key}"`);
    const { collection, access } = record;
    if (typeof collection !== 'string') fail(`${where}: "collection" must be a string`);
    if (typeof access !== 'string' || !MODES.has(access))
      fail(`${where}: "access" must be "r", "rw" or "prw"`);
    const mode = access as CollectionAccessMode;
    compiled.push({ parts: compileTemplate(collection, where), access: mode });
    spec.push(Object.freeze({ collection, access: mode }));
  });
  const frozenSpec = Object.freeze(spec);
  return Object.freeze({
    spec: frozenSpec,
    accessFor(claims: Readonly<Record<string, unknown>>): Access {
      const granted = new Map<string, CollectionAccessMode>();
      if (typeof claims === 'object' && claims !== null) {
        for (const grant of compiled) {
          let name: string | undefined;
          try {
            name = resolve(grant, claims);
          } catch {
            name = undefined;
          }
          if (name === undefined) continue;
          const held = granted.get(name);
          if (held === undefined || RANK[grant.access] < RANK[held])
            granted.set(name, grant.access);
        }
      }
      const collections: CollectionGrant[] = [];
      for (const [collection, access] of granted)
        collections.push(Object.freeze({ collection, access }));
      return Object.freeze({ kind: 'collections', collections: Object.freeze(collections) });
    },
  });
}
