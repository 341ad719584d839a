// The cluster's access checks (`lib/storage/src/rbac/mod.rs`), returning the denial text
// (without the `Forbidden: ` prefix) or `undefined` when access is granted.
import type { Access, CollectionGrant } from './model.js';
import type { AccessRequirements } from './requirements.js';

/** `Access::check_global_access`. */
export function checkGlobalAccess(access: Access, needs: AccessRequirements): string | undefined {
  if (access.kind !== 'global') return 'Global access is required';
  if ((needs.write || needs.manage) && access.mode !== 'm')
    return 'Global manage access is required';
  return undefined;
}

/** `CollectionAccessList::find_view`: the first grant for exactly this name (no alias resolution). */
export function findGrant(
  grants: readonly CollectionGrant[],
  collection: string,
): CollectionGrant | undefined {
  for (const grant of grants) {
    if (grant.collection === collection) return grant;
  }
  return undefined;
}

/**
 * The collection names a collection-scoped access grants, read once and as the decision reads
 * them (`sane` in authorize.ts: a grant without a string name grants nothing); `undefined` for
 * any other access, of which a body scan keeps every collection.
 */
export function grantedNames(access: Access): ReadonlySet<string> | undefined {
  if (typeof access !== 'object' || access === null || access.kind !== 'collections') {
    return undefined;
  }
  const grants: unknown = access.collections;
  if (!Array.isArray(grants)) return undefined;
  const names = new Set<string>();
  for (const grant of grants as unknown[]) {
    const name =
      typeof grant === 'object' && grant !== null
        ? (grant as CollectionGrant).collection
        : undefined;
    if (typeof name === 'string') names.add(name);
  }
  return names;
}

/** Message when a collection-scoped key lacks a collection. */
export function missingCollectionMessage(collection: string): string {
  return `Access to collection ${collection} is required`;
}

/** `CollectionAccessView::meets_requirements`: extras, then write, then manage. */
function grantMeets(grant: CollectionGrant, needs: AccessRequirements): string | undefined {
  if (needs.extras && grant.access === 'prw') {
    return `Only points access is allowed for collection ${grant.collection}`;
  }
  if (needs.write && grant.access === 'r') {
    return `Write access to collection ${grant.collection} is required`;
  }
  if (needs.manage) return 'Manage access for this operation is required';
  return undefined;
}

/** `Access::check_collection_access` (and the first half of `check_point_op`). */
export function checkCollectionAccess(
  access: Access,
  collection: string,
  needs: AccessRequirements,
): string | undefined {
  if (access.kind === 'global') {
    return (needs.write || needs.manage) && access.mode !== 'm'
      ? 'Global manage access is required'
      : undefined;
  }
  const grant = findGrant(access.collections, collection);
  if (!grant) return missingCollectionMessage(collection);
  return grantMeets(grant, needs);
}
