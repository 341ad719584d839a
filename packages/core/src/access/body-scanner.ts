// Reads the collections a REST request body names, from its bytes, in chunks, keeping O(depth)
// state: the JSON syntax is checked by JsonLexer (serde_json's rules) and every position where a
// collection can be named is read by the serde model of body-serde-model.ts. Fail closed: at such
// a position, anything serde would not accept that could hide a collection (wrong type,
// duplicate field, too many elements, bad JSON) is an error with serde's message; the caller
// answers 400. A missing field or a short sequence names nothing more and is left to the cluster.
import type { Access } from './model.js';
import { type BodyScan, brandBodyScan } from './body-scan.js';
import { findGrant } from './checks.js';
import { JsonKind, JsonLexer, type JsonListener } from './body-json-lexer.js';
import {
  type BodyShape,
  type FieldShape,
  Role,
  type SerdeModel,
  type StructShape,
  serdeModel,
  UNEXPECTED,
} from './body-serde-model.js';
import type { BodyLookups } from './requirements.js';

/** Options of {@link BodyScanner}. */
export interface BodyScannerOptions {
  /**
   * The caller's access. With it, collections the access grants are kept (at most one entry per
   * grant) and only the first one it lacks in check order, so memory stays bounded whatever the
   * body names. Without it every distinct collection is kept.
   */
  readonly access?: Access;
}

// Container frames.
const F_SKIP = 0;
const F_MAP = 1;
const F_SEQ = 2;
const F_LIST = 3;
const MAX_FRAMES = 128;

/** Compares check-order paths lexicographically (`a` limited to its first `aLength` entries). */
function comparePaths(a: readonly number[], b: readonly number[], aLength = a.length): number {
  const n = Math.min(aLength, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return aLength - b.length;
}

function shapeOf(role: Role, body: BodyShape, model: SerdeModel): StructShape | undefined {
  switch (role) {
    case Role.Request:
      return body.request;
    case Role.Batch:
      return body.top;
    case Role.Prefetch:
      return model.prefetch;
    case Role.Lookup:
      return model.lookupLocation;
    case Role.WithLookup:
      return model.withLookup;
    default:
      return undefined;
  }
}

/**
 * Incremental reader of one request body: {@link write} decoded (decompressed) bytes in chunks of
 * any size, then {@link end}. Cost is linear in the body size; state is O(nesting depth) plus the
 * collections kept (see {@link BodyScannerOptions.access}).
 */
export class BodyScanner implements JsonListener {
  private readonly lexer = new JsonLexer(this);
  private readonly model: SerdeModel;
  private readonly shape: BodyShape;
  private readonly grants: Access | undefined;
  private bytes = 0;
  // Frames, one per open container.
  private depth = 0;
  private readonly frame = new Uint8Array(MAX_FRAMES);
  private readonly frameShape: (StructShape | undefined)[] = new Array(MAX_FRAMES);
  private readonly frameListRole = new Uint8Array(MAX_FRAMES);
  private readonly frameIndex = new Float64Array(MAX_FRAMES);
  private readonly frameSeen = new Uint32Array(MAX_FRAMES);
  private readonly framePath = new Uint16Array(MAX_FRAMES);
  // The value after the current key of the innermost map.
  private pendingField: FieldShape | undefined;
  // Check-order path of the current position.
  private readonly path: number[] = [];
  private pathLength = 0;
  // A string value expected to name a collection, with the path component to record it under.
  private collectionOrder = -2;
  // Collections found: distinct names with their smallest path.
  private readonly found = new Map<string, number[]>();
  private denied: { name: string; path: number[] } | undefined;

  constructor(
    readonly kind: BodyLookups,
    options: BodyScannerOptions = {},
  ) {
    const model = serdeModel();
    const shape = Object.hasOwn(model.shapes, kind) ? model.shapes[kind] : undefined;
    if (shape === undefined) throw new TypeError(`unknown body kind: ${String(kind)}`);
    this.model = model;
    this.shape = shape;
    this.grants = options.access;
  }

  /** Reads the next chunk of decoded body bytes. */
  write(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    if (!this.lexer.failed) this.lexer.write(chunk);
  }

  /** Ends the body and returns what was found. */
  end(): BodyScan {
    const empty = this.bytes === 0;
    const error = empty ? undefined : this.lexer.end();
    const entries = [...this.found];
    if (this.denied) entries.push([this.denied.name, this.denied.path]);
    entries.sort((a, b) => comparePaths(a[1], b[1]));
    const limit = this.denied ? this.denied.path : undefined;
    const collections: string[] = [];
    for (const [name, path] of entries) {
      if (limit && comparePaths(path, limit) > 0) break;
      collections.push(name);
    }
    const scan: BodyScan = Object.freeze({
      kind: this.kind,
      error: error === undefined ? undefined : `Format error in JSON body: ${error}`,
      collections: Object.freeze(error === undefined ? collections : []),
      empty,
      access: this.grants,
    });
    return brandBodyScan(scan);
  }

  // --- JsonListener ------------------------------------------------------------------------

  value(kind: JsonKind): boolean {
    const depth = this.depth;
    let role: Role;
    let order = -1;
    if (depth === 0) {
      role = this.shape.batch ? Role.Batch : Role.Request;
    } else {
      const parent = depth - 1;
      const frame = this.frame[parent];
      if (frame === F_SKIP) {
        if (kind === JsonKind.Object || kind === JsonKind.Array) this.push(F_SKIP, undefined, 0);
        return false;
      }
      if (frame === F_MAP) {
        const pending = this.pendingField;
        this.pendingField = undefined;
        if (pending === undefined) role = Role.Skip;
        else {
          role = pending.role;
          order = pending.order;
        }
      } else if (frame === F_SEQ) {
        const shape = this.frameShape[parent] as StructShape;
        const seq = shape.seq as NonNullable<StructShape['seq']>;
        const index = this.frameIndex[parent] as number;
        this.frameIndex[parent] = index + 1;
        if (index >= seq.max) {
          this.lexer.fail(
            `invalid length ${index + 1}, expected ${shape.expecting} with ${seq.max} elements`,
          );
          return false;
        }
        const position = seq.positions[index];
        if (position === undefined) role = Role.Skip;
        else {
          role = position.role;
          order = position.order;
        }
      } else {
        // F_LIST
        const index = this.frameIndex[parent] as number;
        this.frameIndex[parent] = index + 1;
        role = this.frameListRole[parent] as Role;
        order = index;
      }
    }
    return this.enter(role, order, kind);
  }

  close(): void {
    // A missing required field or a short sequence names nothing more than what was read; serde
    // refuses such a body (400) and the cluster answers that itself, so they are not errors here.
    const top = --this.depth;
    this.pathLength = this.framePath[top] as number;
    this.pendingField = undefined;
  }

  wantKey(): boolean {
    return this.frame[this.depth - 1] === F_MAP;
  }

  key(text: string | undefined): void {
    const top = this.depth - 1;
    if (this.frame[top] !== F_MAP) return;
    const field =
      text === undefined ? undefined : (this.frameShape[top] as StructShape).fields.get(text);
    if (field !== undefined) {
      const seen = this.frameSeen[top] as number;
      if ((seen & field.bit) !== 0) {
        this.lexer.fail(`duplicate field \`${field.name}\``);
        return;
      }
      this.frameSeen[top] = seen | field.bit;
    }
    this.pendingField = field;
  }

  string(text: string | undefined): void {
    const order = this.collectionOrder;
    this.collectionOrder = -2;
    if (order === -2) return;
    this.record(text, order);
  }

  // --- internals ---------------------------------------------------------------------------

  private invalid(kind: JsonKind, expecting: string): false {
    this.lexer.fail(
      expecting.startsWith('data did not match')
        ? expecting
        : `invalid type: ${UNEXPECTED[kind]}, expected ${expecting}`,
    );
    return false;
  }

  /** A value of `kind` starts where `role` is expected; `order` is its check-order component. */
  private enter(role: Role, order: number, kind: JsonKind): boolean {
    const container = kind === JsonKind.Object || kind === JsonKind.Array;
    switch (role) {
      case Role.Skip:
        if (container) this.push(F_SKIP, undefined, 0);
        return false;
      case Role.Request:
      case Role.Batch: {
        const shape = shapeOf(role, this.shape, this.model) as StructShape;
        if (kind === JsonKind.Object) this.pushWithOrder(F_MAP, shape, order);
        else if (kind === JsonKind.Array && shape.seq) this.pushWithOrder(F_SEQ, shape, order);
        else return this.invalid(kind, shape.expecting);
        return false;
      }
      case Role.Searches:
        if (kind !== JsonKind.Array) return this.invalid(kind, 'a sequence');
        this.pushWithOrder(F_LIST, undefined, order, Role.Request);
        return false;
      case Role.PrefetchField:
        if (kind === JsonKind.Null) return false;
        if (kind === JsonKind.Array) {
          this.pushWithOrder(F_LIST, undefined, order, Role.Prefetch);
          return false;
        }
        if (kind === JsonKind.Object) {
          // One prefetch: the first (and only) entry of the list.
          this.pushWithOrder(F_MAP, this.model.prefetch, order, Role.Skip, 0);
          return false;
        }
        return this.invalid(kind, 'a map, a sequence or null (prefetch)');
      case Role.Prefetch:
      case Role.Lookup:
      case Role.WithLookup: {
        const shape = shapeOf(role, this.shape, this.model) as StructShape;
        if (kind === JsonKind.Object) this.pushWithOrder(F_MAP, shape, order);
        else if (kind === JsonKind.Array) this.pushWithOrder(F_SEQ, shape, order);
        else if (kind === JsonKind.Null && role !== Role.Prefetch) return false;
        else if (kind === JsonKind.String && role === Role.WithLookup) {
          this.collectionOrder = order;
          return true;
        } else return this.invalid(kind, shape.expecting);
        return false;
      }
      case Role.Collection:
        if (kind !== JsonKind.String) {
          const parent = this.frameShape[this.depth - 1];
          return this.invalid(
            kind,
            parent === this.model.withLookup ? this.model.withLookup.expecting : 'a string',
          );
        }
        this.collectionOrder = -1;
        return true;
      default:
        return false;
    }
  }

  private push(frame: number, shape: StructShape | undefined, listRole: number): void {
    const d = this.depth++;
    this.frame[d] = frame;
    this.frameShape[d] = shape;
    this.frameListRole[d] = listRole;
    this.frameIndex[d] = 0;
    this.frameSeen[d] = 0;
    this.framePath[d] = this.pathLength;
  }

  private pushWithOrder(
    frame: number,
    shape: StructShape | undefined,
    order: number,
    listRole: number = Role.Skip,
    extra = -1,
  ): void {
    const before = this.pathLength;
    if (order >= 0) this.path[this.pathLength++] = order;
    if (extra >= 0) this.path[this.pathLength++] = extra;
    this.push(frame, shape, listRole);
    this.framePath[this.depth - 1] = before;
  }

  private record(name: string | undefined, order: number): void {
    const length = this.pathLength;
    const path = this.path;
    if (order >= 0) path[length] = order;
    const pathLength = order >= 0 ? length + 1 : length;
    const granted =
      name !== undefined &&
      (this.grants === undefined ||
        this.grants.kind !== 'collections' ||
        findGrant(this.grants.collections, name) !== undefined);
    if (granted) {
      const known = this.found.get(name);
      if (known === undefined || comparePaths(path, known, pathLength) < 0) {
        this.found.set(name, path.slice(0, pathLength));
      }
      return;
    }
    const denied = this.denied;
    if (denied === undefined || comparePaths(path, denied.path, pathLength) < 0) {
      const label = name ?? '<a collection name longer than 64 KiB>';
      this.denied = { name: label, path: path.slice(0, pathLength) };
    }
  }
}

/** Reads a whole body held in memory (synchronously; for bodies read in pieces use {@link BodyScanner}). */
export function scanBody(
  kind: BodyLookups,
  bytes: Uint8Array | string,
  options?: BodyScannerOptions,
): BodyScan {
  const scanner = new BodyScanner(kind, options);
  scanner.write(typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes);
  return scanner.end();
}
