import {
  type Access,
  type BodyLookups,
  type BodyScan,
  nextTask,
  scanBodyStream,
} from '@qdrant-kit/core';

/** Why a body could not be used for an authorization decision. */
export type BodyReadFailure = 'too-large' | 'unreadable' | 'unsupported-encoding';

/**
 * How the cluster decodes a request body, from its `Content-Encoding` (actix-http
 * `encoding/decoder.rs` `Decoder::from_headers` and `header/shared/content_encoding.rs`
 * `FromStr`): the first header value, if it is visible ASCII, trimmed and compared ASCII
 * case-insensitively with `gzip`, `deflate`, `br`, `zstd`, `identity`; any other value (`x-gzip`,
 * `gzip, identity`, non-ASCII) reads the body as it is. Several headers reach us joined with `, `,
 * so a value with a comma may be a first `br` header: such values, `br` and `zstd` (which
 * DecompressionStream does not read everywhere) are refused instead of guessed.
 */
function bodyCoding(header: string | null): CompressionFormat | 'identity' | 'unsupported' {
  if (header === null) return 'identity';
  if (header.includes(',')) return 'unsupported';
  for (let i = 0; i < header.length; i++) {
    const code = header.charCodeAt(i);
    // HeaderValue::to_str fails on anything but visible ASCII and tab: actix then reads as is.
    if (code !== 9 && (code < 32 || code > 126)) return 'identity';
  }
  // Only tab and visible ASCII are left, so trim() strips exactly the blanks actix trims and
  // toLowerCase() folds ASCII only; a `[ \t]+$` regex was quadratic on a long inner run of blanks.
  const token = header.trim().toLowerCase();
  switch (token) {
    case 'gzip':
      return 'gzip';
    case 'deflate':
      return 'deflate';
    case 'br':
    case 'zstd':
      return 'unsupported';
    default:
      return 'identity';
  }
}

/** A body as received (`bytes`, forwarded unchanged) and what the scan of its content found. */
export type ScannedBody =
  | { readonly ok: true; readonly bytes: Uint8Array; readonly scan: BodyScan }
  | { readonly ok: false; readonly reason: BodyReadFailure };

/**
 * Reads a request body while scanning the collections it names (`scanBodyStream`: serde's model
 * of the body, O(depth) state, yielding to the event loop between slices). The raw bytes are kept
 * for forwarding, still compressed; the scan reads them decoded as the cluster will
 * (`Content-Encoding` gzip or deflate, see `bodyCoding`). Both the raw and the decoded size are limited to `limit`.
 */
export async function readScannedBody(
  request: Request,
  kind: BodyLookups,
  access: Access,
  limit: number,
): Promise<ScannedBody> {
  const coding = bodyCoding(request.headers.get('content-encoding'));
  if (coding === 'unsupported') return { ok: false, reason: 'unsupported-encoding' };
  const format = coding === 'identity' ? undefined : coding;
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) return { ok: false, reason: 'too-large' };
  const recorder = new BodyRecorder();
  let total = 0;
  let tooLarge = false;
  const source: ReadableStream<Uint8Array> =
    request.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
  const recorded = source.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        total += chunk.byteLength;
        if (total > limit) {
          tooLarge = true;
          controller.error(new RangeError('too large'));
          return;
        }
        recorder.add(chunk);
        controller.enqueue(chunk);
      },
    }),
  );
  const decoded =
    format === undefined
      ? recorded
      : recorded.pipeThrough(
          new DecompressionStream(format) as unknown as TransformStream<Uint8Array, Uint8Array>,
        );
  const scanned = await scanBodyStream(kind, decoded, { access, maxBytes: limit });
  if (tooLarge) return { ok: false, reason: 'too-large' };
  if (!scanned.ok) return { ok: false, reason: scanned.reason };
  // A refused body is never joined; a large allowed one is joined a few MiB at a time.
  if (scanned.scan.error !== undefined)
    return { ok: true, bytes: new Uint8Array(0), scan: scanned.scan };
  return { ok: true, bytes: await concat(recorder.finish(), total), scan: scanned.scan };
}

// Chunks smaller than this are copied into shared blocks: a slow sender's one-byte packets would
// otherwise each keep a view (a few hundred bytes) until the body ends, 250 times its size.
const SMALL_CHUNK = 16 * 1024;
const BLOCK = 64 * 1024;

/** Keeps a body's bytes in order, in about their own size whatever the chunk sizes. */
class BodyRecorder {
  private readonly parts: Uint8Array[] = [];
  private block: Uint8Array | undefined;
  private used = 0;

  add(chunk: Uint8Array): void {
    const length = chunk.byteLength;
    if (length === 0) return;
    if (length >= SMALL_CHUNK) {
      this.seal();
      this.parts.push(chunk);
      return;
    }
    if (this.block === undefined || this.used + length > this.block.byteLength) {
      this.seal();
      this.block = new Uint8Array(BLOCK);
    }
    this.block.set(chunk, this.used);
    this.used += length;
  }

  finish(): readonly Uint8Array[] {
    this.seal();
    return this.parts;
  }

  private seal(): void {
    if (this.block !== undefined && this.used > 0) {
      this.parts.push(this.block.subarray(0, this.used));
    }
    this.block = undefined;
    this.used = 0;
  }
}

const JOIN_SLICE = 4 * 1024 * 1024;

async function concat(chunks: readonly Uint8Array[], total: number): Promise<Uint8Array> {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const bytes = new Uint8Array(total);
  let offset = 0;
  let sinceYield = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
    sinceYield += chunk.byteLength;
    if (sinceYield >= JOIN_SLICE) {
      sinceYield = 0;
      await nextTask();
    }
  }
  return bytes;
}
