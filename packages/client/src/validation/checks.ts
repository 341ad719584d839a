// Building blocks for the generated schemas: lenient wire types for responses, and the
// request-side rules from the protos' buf.validate annotations (see scripts/validation-rules.mjs).
// Messages say what is allowed, so an error names the field and the fix.
import { cloudKeyNameProblem, validateCloudAccessRules } from '@qdrant-kit/core';
import * as z from 'zod/mini';

/** A string field. */
export const string = /* @__PURE__ */ z.string();
/** An int32, uint32 or double field. */
export const number = /* @__PURE__ */ z.number();
/** A bool field. */
export const boolean = /* @__PURE__ */ z.boolean();
/** An enum field: any string, so values added by newer API versions still parse. */
export const enumValue = /* @__PURE__ */ z.string();
/** A message without declared fields (google.protobuf.Struct, Any): kept as it is. */
export const anyObject = /* @__PURE__ */ z.record(z.string(), z.unknown());

/** An int64/uint64 field in a response: protobuf JSON sends a string; a number is accepted and turned into one. */
export const int64 = /* @__PURE__ */ z.pipe(
  /* @__PURE__ */ z.union([z.string(), z.number()]),
  /* @__PURE__ */ z.transform((value: string | number) => String(value)),
) as unknown as z.ZodMiniType<string>;

/** An int64/uint64 field in a request: a decimal string (or a safe integer, sent as is). */
export const int64Input = /* @__PURE__ */ z.union([
  /* @__PURE__ */ z.string().check(/* @__PURE__ */ z.regex(/^-?\d+$/, 'must be an integer')),
  /* @__PURE__ */ z
    .number()
    .check(
      /* @__PURE__ */ z.refine((n: number) => Number.isSafeInteger(n), 'must be a safe integer'),
    ),
]) as unknown as z.ZodMiniType<string>;

/**
 * A `google.protobuf.Timestamp` in a request: an RFC 3339 string, or a `Date` (sent as its ISO
 * string, e.g. `expiresAt: new Date(Date.now() + 30 * 86_400_000)`).
 */
export const timestampInput = /* @__PURE__ */ z.pipe(
  /* @__PURE__ */ z.union([z.string(), z.date()]),
  /* @__PURE__ */ z.transform((value: string | Date) =>
    typeof value === 'string' ? value : value.toISOString(),
  ),
) as unknown as z.ZodMiniType<string | Date>;

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** `string.uuid = true`: an 8-4-4-4-12 hexadecimal UUID (any version). */
export function uuid(): z.core.$ZodCheck<string> {
  return z.refine(
    (value: string) => UUID.test(value),
    'must be a UUID like 00000000-0000-0000-0000-000000000000',
  );
}

/** Items of a repeated UUID field. */
export function uuidItems(): z.core.$ZodCheck<string[]> {
  return z.superRefine((values: string[], ctx) => {
    values.forEach((value, index) => {
      if (typeof value === 'string' && !UUID.test(value)) {
        ctx.addIssue({ code: 'custom', message: 'must be a UUID', path: [index], input: value });
      }
    });
  });
}

/** A string with a length range and a pattern; `what` describes the allowed characters. */
export function text(
  pattern: RegExp,
  min: number,
  max: number,
  what: string,
): z.core.$ZodCheck<string> {
  const range = max === Number.POSITIVE_INFINITY ? `at least ${min}` : `${min}-${max}`;
  return z.superRefine((value: string, ctx) => {
    const length = [...value].length;
    if (length < min || length > max) {
      ctx.addIssue({
        code: 'custom',
        message: `must be ${range} characters long (got ${length})`,
        input: value,
      });
    } else if (!pattern.test(value)) {
      ctx.addIssue({ code: 'custom', message: `may only contain ${what}`, input: value });
    }
  });
}

/** At most `max` items. */
export function maxItems(max: number): z.core.$ZodCheck<unknown[]> {
  return z.refine((values: unknown[]) => values.length <= max, `must have at most ${max} items`);
}

/** An integer at least `min` (and at most `max`). */
export function intRange(min: number, max = Number.MAX_SAFE_INTEGER): z.core.$ZodCheck<number> {
  return z.refine(
    (n: number) => Number.isInteger(n) && n >= min && n <= max,
    max === Number.MAX_SAFE_INTEGER
      ? `must be an integer >= ${min}`
      : `must be an integer from ${min} to ${max}`,
  );
}

/** `page_size`: `int32 { gt: 0, lte: 250 }`. */
export function pageSize(): z.core.$ZodCheck<number> {
  return intRange(1, 250);
}

// The schedule pattern of BackupSchedule.schedule in backup.proto (standard crontab with 5 to 7
// fields, @hourly-style macros, or @every <duration>).
const CRON =
  /^(@(annually|yearly|monthly|weekly|daily|hourly|reboot))|(@every (\d+(ns|us|µs|ms|s|m|h))+)|((((\d+,)+\d+|([\d*]+(\/|-)\d+)|\d+|\*) ?){5,7})$/;

/** `BackupSchedule.schedule`: a crontab expression like `0 3 * * *` or `@daily`. */
export function cronSchedule(): z.core.$ZodCheck<string> {
  return z.refine(
    (value: string) => CRON.test(value),
    'must be a crontab schedule like "0 3 * * *", "@daily" or "@every 12h"',
  );
}

const DURATION = /^(-?\d+)(\.\d{1,9})?s$/;
const DAY = 86_400;
const YEAR = 31_536_000;

/** Seconds of a google.protobuf.Duration in JSON form (`"86400s"`, `"1.5s"`), or undefined if malformed. */
export function durationSeconds(value: string): number | undefined {
  const match = DURATION.exec(value);
  return match ? Number(match[1]) + Number(match[2] ?? 0) : undefined;
}

/** `retention_period`: a Duration from 1 day (`"86400s"`) to 365 days (`"31536000s"`). */
export function retentionPeriod(): z.core.$ZodCheck<string> {
  return z.superRefine((value: string, ctx) => {
    const seconds = durationSeconds(value);
    if (seconds === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a duration in seconds like "604800s"',
        input: value,
      });
    } else if (seconds < DAY || seconds > YEAR) {
      ctx.addIssue({
        code: 'custom',
        message: `must be from 1 day ("86400s") to 365 days ("31536000s"), got ${value}`,
        input: value,
      });
    }
  });
}

/** A list whose items another check reads whole (see {@link accessRules}). */
// Typed as a list of nothing so it fits any list type; the check reads the items as unknown.
export const unknownList: z.ZodMiniType<never[]> = /* @__PURE__ */ z.array(z.unknown()) as never;

/** A closed enum: only the values the server accepts (`defined_only`, `*_UNSPECIFIED` left out when it is refused). */
export function oneOf<const Values extends readonly [string, ...string[]]>(values: Values) {
  return z.enum(values);
}

/** `DatabaseApiKey.name`, checked by @qdrant-kit/core's {@link cloudKeyNameProblem} (RE2 classes, 4-128). */
export function cloudKeyName(): z.core.$ZodCheck<string> {
  return z.superRefine((value: string, ctx) => {
    const problem = cloudKeyNameProblem(value);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem, input: value });
  });
}

/**
 * `DatabaseApiKey.access_rules`, checked by @qdrant-kit/core's {@link validateCloudAccessRules}:
 * the same rules and messages as everywhere else in qdrant-kit, and as the Cloud's own checks.
 */
export function accessRules(): z.core.$ZodCheck<never[]> {
  return z.superRefine((rules: readonly unknown[], ctx) => {
    for (const issue of validateCloudAccessRules(rules)) {
      ctx.addIssue({
        code: 'custom',
        message: issue.message,
        path: [...issue.segments],
        input: rules,
      });
    }
  });
}

/** A request-level rule: the dotted field must be present and non-empty. */
export function requiredField(path: string): z.core.$ZodCheck<Record<string, unknown>> {
  const parts = path.split('.');
  return z.superRefine((request: Record<string, unknown>, ctx) => {
    let value: unknown = request;
    for (const part of parts) value = (value as Record<string, unknown> | undefined)?.[part];
    if (value === undefined || value === null || value === '') {
      ctx.addIssue({ code: 'custom', message: 'is required', path: parts, input: value });
    }
  });
}
