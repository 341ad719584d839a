// Turns zod's issues into messages a person can act on: the field, what it must be, what it got,
// and, for a missing field, the near-miss spelling that was given instead.
import type * as z from 'zod/mini';
import type { ValidationIssue } from '../errors.js';

type Issue = z.core.$ZodIssue;

const ARTICLE: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  int: 'an integer',
};

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value === 'object' ? 'an object' : typeof value;
}

function at(request: unknown, path: readonly PropertyKey[]): { parent: unknown; value: unknown } {
  let parent: unknown;
  let value: unknown = request;
  for (const key of path) {
    parent = value;
    value =
      typeof value === 'object' && value !== null
        ? (value as Record<PropertyKey, unknown>)[key]
        : undefined;
  }
  return { parent, value };
}

const squash = (name: string) => name.toLowerCase().replace(/[_-]/g, '');

/** A key of `parent` spelled like `name` but not exactly (`clusterID`, `cluster_id`). */
function nearMiss(parent: unknown, name: PropertyKey): string | undefined {
  if (typeof name !== 'string' || typeof parent !== 'object' || parent === null) return undefined;
  const wanted = squash(name);
  return Object.keys(parent).find((key) => key !== name && squash(key) === wanted);
}

function requiredMessage(field: string, parent: unknown, name: PropertyKey): string {
  const miss = nearMiss(parent, name);
  if (miss !== undefined) {
    return `is required (the request has ${miss}: field names are case-sensitive, use ${String(name)})`;
  }
  if (field === 'accountId' || field.endsWith('.accountId')) {
    return 'is required (pass it in the request or as the client option accountId)';
  }
  return 'is required';
}

function messageFor(issue: Issue, field: string, request: unknown): string {
  const { parent, value } = at(request, issue.path);
  const name = issue.path[issue.path.length - 1];
  if (issue.code === 'invalid_type') {
    if (value === undefined && name !== undefined) return requiredMessage(field, parent, name);
    const want = ARTICLE[issue.expected] ?? issue.expected;
    if (issue.expected === 'number' && typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) {
      return `must be a number, not a string: write ${value} without quotes`;
    }
    if (
      issue.expected === 'string' &&
      typeof value === 'number' &&
      /period|duration|ttl/i.test(field)
    ) {
      return `must be a duration string in seconds like "${value}s" (got number ${value})`;
    }
    return `must be ${want} (got ${describe(value)})`;
  }
  if (issue.code === 'invalid_union') {
    if (value === undefined && name !== undefined) return requiredMessage(field, parent, name);
    const messages = issue.errors.flat().map((inner) => inner.message);
    if (messages.some((m) => m.includes('integer'))) {
      return `must be an integer: a decimal string like "1024" or a safe integer (got ${describe(value)})`;
    }
    return `has the wrong shape (got ${describe(value)})`;
  }
  if (issue.code === 'invalid_value') {
    if (value === undefined && name !== undefined) {
      return `${requiredMessage(field, parent, name)}: use one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    const allowed = issue.values.map((v) => JSON.stringify(v)).join(', ');
    return `must be one of ${allowed} (got ${describe(value)})`;
  }
  if (issue.message === 'Invalid input' || issue.message === '') {
    return `is not valid (got ${describe(value)})`;
  }
  return issue.message;
}

/** Issues of a failed request check, each naming its field and how to fix it. */
export function issuesOf(issues: readonly Issue[], request: unknown): ValidationIssue[] {
  return issues.map((issue) => {
    const field = issue.path.map(String).join('.') || '(request)';
    return { field, message: messageFor(issue, field, request) };
  });
}
