// The result of scanning a request body's bytes, and the brand that tells a scan from a parsed
// body. Apart from the scanner itself so that deciding on a scan (`authorize`) does not bundle
// the byte lexer: only an app that scans bytes (`scanBody`, `BodyScanner`, `scanBodyStream`)
// pays for it.
import type { Access } from './model.js';
import type { BodyLookups } from './requirements.js';

/** What a `BodyScanner` found; pass it to `authorize`/`authorizeRequest` as `body`. */
export interface BodyScan {
  /** The kind of body it was read as (the route's `bodyLookups`). */
  readonly kind: BodyLookups;
  /** `Format error in JSON body: ...` when the body is refused (the cluster answers 400). */
  readonly error: string | undefined;
  /**
   * Collections named, distinct, in the cluster's check order. When the scan was given an
   * `access`, the list stops at the first collection that access lacks (the one the cluster
   * reports); later ones cannot change the decision.
   */
  readonly collections: readonly string[];
  /** Whether the body had no bytes at all (the cluster answers 400 itself). */
  readonly empty: boolean;
  /** The access the scan stopped for, if any; `authorizeRequest` refuses a scan made for another. */
  readonly access: Access | undefined;
}

let scans: WeakSet<object> | undefined;

/** Marks `scan` as made by the scanner (a parsed body can never pass for one). */
export function brandBodyScan(scan: BodyScan): BodyScan {
  scans ??= new WeakSet();
  scans.add(scan);
  return scan;
}

/** Whether `value` is a {@link BodyScan} made by `BodyScanner` (never true for parsed JSON). */
export function isBodyScan(value: unknown): value is BodyScan {
  return typeof value === 'object' && value !== null && scans?.has(value) === true;
}
