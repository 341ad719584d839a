/**
 * zod schemas of a Qdrant database key's claims (`@qdrant-kit/core/schemas`). The only module
 * that imports zod: install `zod` (an optional peer dependency) to use this entry.
 *
 * @module
 */
import * as z from 'zod/mini';

/** zod schema of a global access mode: `r` or `m`. */
export const globalAccessModeSchema = z.enum(['r', 'm']);
/** zod schema of a collection access mode: `r`, `rw` or `prw`. */
export const collectionAccessModeSchema = z.enum(['r', 'rw', 'prw']);
/**
 * zod schema of one collection grant. The deprecated `payload` constraint is only accepted when
 * absent or null (the cluster refuses any other value).
 */
export const collectionGrantSchema = z.object({
  collection: z.string(),
  access: collectionAccessModeSchema,
  payload: z.optional(z.null()),
});
/** zod schema of the `access` claim (collection names must be unique). */
export const accessClaimSchema = z.union([
  globalAccessModeSchema,
  z
    .array(collectionGrantSchema)
    .check(
      z.refine(
        (grants) => new Set(grants.map((g) => g.collection)).size === grants.length,
        'Collection name should be unique',
      ),
    ),
]);
/** zod schema of the `value_exists` claim. */
export const valueExistsClaimSchema = z.object({
  collection: z.string(),
  matches: z.array(
    z.object({
      key: z.string().check(z.minLength(1)),
      value: z.union([z.string(), z.int(), z.boolean()]),
    }),
  ),
});
/**
 * zod schema of the claims of a Qdrant database JWT, describing what the cluster accepts.
 * (The verifier uses an equivalent hand-written parser on its hot path; tests keep them in step.
 * The schema limits `exp` to safe integers, the cluster accepts any u64.)
 */
export const databaseKeyClaimsSchema = z.object({
  sub: z.optional(z.nullable(z.string())),
  exp: z.optional(z.int().check(z.minimum(0))),
  access: z.optional(accessClaimSchema),
  value_exists: z.optional(z.nullable(valueExistsClaimSchema)),
  subject: z.optional(z.nullable(z.string())),
});
