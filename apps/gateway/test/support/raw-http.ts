// Raw node:http requests: the bytes as they came off the wire (no decoding), the headers as
// sent, and which socket carried the exchange (for keep-alive checks).
import { type Agent, type IncomingHttpHeaders, request } from 'node:http';
import type { Socket } from 'node:net';
import { brotliDecompressSync, gunzipSync, zstdDecompressSync } from 'node:zlib';

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly bytes: Buffer;
  readonly socket: Socket;
}

export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; agent?: Agent } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: options.agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            bytes: Buffer.concat(chunks),
            socket: req.socket as Socket,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * The body as its `content-encoding` says it is encoded; throws when the bytes are not what the
 * header claims (the corruption this guards against: a plain body labelled gzip).
 */
export function decodeAsLabelled(response: RawResponse): string {
  const coding = response.headers['content-encoding'];
  const bytes = response.bytes;
  if (coding === undefined || coding === 'identity') return bytes.toString('utf8');
  if (coding === 'gzip') return gunzipSync(bytes).toString('utf8');
  if (coding === 'br') return brotliDecompressSync(bytes).toString('utf8');
  if (coding === 'zstd') return zstdDecompressSync(bytes).toString('utf8');
  throw new Error(`unexpected content-encoding ${coding}`);
}

/** Asserts-by-throwing that `content-length`, when present, is the number of bytes received. */
export function checkLength(response: RawResponse): void {
  const length = response.headers['content-length'];
  if (length !== undefined && Number(length) !== response.bytes.byteLength) {
    throw new Error(`content-length ${length} but ${response.bytes.byteLength} bytes arrived`);
  }
}
