/** Why a body could not be used for an authorization decision. */
export type BodyReadFailure = 'too-large' | 'unreadable' | 'unsupported-encoding';

/** Result of reading a request body under a size limit. */
export type LimitedBody =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly reason: BodyReadFailure };

/** A body as received (`bytes`, forwarded unchanged) and as the cluster will read it (`decoded`). */
export type DecodedBody =
  | { readonly ok: true; readonly bytes: Uint8Array; readonly decoded: Uint8Array }
  | { readonly ok: false; readonly reason: BodyReadFailure };

// What DecompressionStream reads on every runtime we support. The cluster (actix-web) also
// accepts br and zstd; those are refused rather than forwarded unread.
const DECOMPRESSION_FORMATS: Readonly<Record<string, CompressionFormat>> = {
  gzip: 'gzip',
  'x-gzip': 'gzip',
  deflate: 'deflate',
};

/**
 * Reads a whole stream, but stops (and cancels it) as soon as it exceeds `limit` bytes, so an
 * oversized, endless or decompression-bomb body costs at most `limit` bytes of memory.
 */
async function readStreamWithLimit(
  stream: ReadableStream<Uint8Array>,
  limit: number,
): Promise<LimitedBody> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, reason: 'too-large' };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
  if (chunks.length === 1) return { ok: true, bytes: chunks[0]! };
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}

/** Reads a whole request body under `limit` bytes (413 territory above it). */
export async function readBodyWithLimit(request: Request, limit: number): Promise<LimitedBody> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) return { ok: false, reason: 'too-large' };
  if (request.body === null) return { ok: true, bytes: new Uint8Array(0) };
  return readStreamWithLimit(request.body, limit);
}

/**
 * Reads a request body and decodes its `Content-Encoding` the way the cluster will, both under
 * `limit` bytes, so that the collections a compressed body names are checked like any other.
 */
export async function readDecodedBody(request: Request, limit: number): Promise<DecodedBody> {
  const encoding = (request.headers.get('content-encoding') ?? '').trim().toLowerCase();
  const format = DECOMPRESSION_FORMATS[encoding];
  if (encoding !== '' && encoding !== 'identity' && format === undefined) {
    return { ok: false, reason: 'unsupported-encoding' };
  }
  const read = await readBodyWithLimit(request, limit);
  if (!read.ok || format === undefined) return read.ok ? { ...read, decoded: read.bytes } : read;
  const inflated = new Blob([read.bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream(format));
  const decoded = await readStreamWithLimit(inflated, limit);
  return decoded.ok ? { ok: true, bytes: read.bytes, decoded: decoded.bytes } : decoded;
}

/**
 * Parses JSON bytes. An empty body is `undefined` (the cluster answers 400 for it itself);
 * anything else that is not JSON is reported, so the gateway can refuse rather than forward a
 * body whose named collections it could not check.
 */
export function parseJsonBody(
  bytes: Uint8Array,
): { readonly ok: true; readonly value: unknown } | { readonly ok: false } | undefined {
  if (bytes.byteLength === 0) return undefined;
  try {
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) };
  } catch {
    return { ok: false };
  }
}
