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

// Every scan also carries this registered symbol, which JSON.parse can never produce. Another
// copy of core (its CJS build next to this ESM one, or a second version installed) brands its
// scans in its own set: without the mark such a scan would be read here as a parsed body that
// names nothing, its error and the collection it stopped at ignored. The mark is enumerable so
// that a copy (`{ ...scan }`, `Object.assign`), which is in no brand set either, carries it too.
const MARK = 'qdrant-kit.core.BodyScan';

/** Freezes `scan` and marks it as made by the scanner (a parsed body can never pass for one). */
export function brandBodyScan(scan: BodyScan): BodyScan {
  Object.defineProperty(scan, Symbol.for(MARK), { value: true, enumerable: true });
  Object.freeze(scan);
  scans ??= new WeakSet();
  scans.add(scan);
  return scan;
}

/** Whether `value` is a {@link BodyScan} made by `BodyScanner` (never true for parsed JSON). */
export function isBodyScan(value: unknown): value is BodyScan {
  return typeof value === 'object' && value !== null && scans?.has(value) === true;
}

/** Whether `value` is marked as a scan but is no scan this copy of core made (refuse it). */
export function isForeignBodyScan(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    scans?.has(value) !== true &&
    Object.getOwnPropertyDescriptor(value, Symbol.for(MARK)) !== undefined
  );
}
