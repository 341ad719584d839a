// A real HTTP server on 127.0.0.1 standing in for a Qdrant cluster: it records every request
// that reaches it (method, raw target, headers, body size) without buffering bodies, and can
// misbehave on demand through the `x-upstream-behaviour` request header.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, gzipSync, zstdCompressSync } from 'node:zlib';

/**
 * The content coding a cluster would pick for `accept-encoding` (actix `Compress::default()`,
 * src/actix/mod.rs: it compresses whenever the caller accepts a coding it knows).
 */
export function pickEncoding(
  acceptEncoding: string | undefined,
): 'br' | 'zstd' | 'gzip' | undefined {
  const offered = (acceptEncoding ?? '')
    .split(',')
    .map((part) => part.trim().split(';'))
    .filter(([, q]) => q === undefined || !/^\s*q=0(\.0*)?\s*$/.test(q))
    .map(([name]) => name!.toLowerCase());
  return (['br', 'zstd', 'gzip'] as const).find((coding) => offered.includes(coding));
}

function encode(coding: 'br' | 'zstd' | 'gzip', text: string): Buffer {
  if (coding === 'br') return brotliCompressSync(text);
  if (coding === 'zstd') return zstdCompressSync(text);
  return gzipSync(text);
}

/** Peer id above 2^53: survives only if the gateway never turns it into a JS number. */
export const BIG_PEER_ID = '12345678901234567891';

/** Every tenant's data, as a cluster answers the gateway's (global) key. */
export const TENANT_DATA = {
  collections: ['docs', 'secret', 'docs-alias', 'other'],
  aliases: [
    { alias_name: 'docs-alias', collection_name: 'docs' },
    { alias_name: 'secret-alias', collection_name: 'docs' },
    { alias_name: 'docs-2', collection_name: 'secret' },
  ],
  issues: [
    { id: 'UNINDEXED_FIELD/secret:f', related_collection: 'secret' },
    { id: 'TOO_MANY_COLLECTIONS/', related_collection: null },
    { id: 'UNINDEXED_FIELD/docs:a', related_collection: 'docs' },
    { id: 'UNINDEXED_FIELD/other:a', related_collection: 'other' },
    { id: 'UNINDEXED_FIELD/docs:b', related_collection: 'docs' },
  ],
} as const;

/** JSON text the way serde writes it (compact), with a raw u64 and a float `time`. */
function tenantAnswer(path: string): string | undefined {
  const ok = (result: string) => `{"result":${result},"status":"ok","time":1.2e-5}`;
  const issue = (i: { id: string; related_collection: string | null }) =>
    `{"id":${JSON.stringify(i.id)},"description":"d","solution":{"refactor":"s"},"timestamp":"2026-01-01T00:00:00Z","related_collection":${JSON.stringify(i.related_collection)}}`;
  switch (path) {
    case '/collections':
      return ok(
        `{"collections":[${TENANT_DATA.collections.map((n) => `{"name":${JSON.stringify(n)}}`).join(',')}]}`,
      );
    case '/aliases':
      return ok(`{"aliases":${JSON.stringify(TENANT_DATA.aliases)}}`);
    case '/collections/docs/aliases':
      return ok(
        `{"aliases":${JSON.stringify(TENANT_DATA.aliases.filter((a) => a.collection_name === 'docs'))}}`,
      );
    case '/issues':
      return ok(`{"issues":[${TENANT_DATA.issues.map(issue).join(',')}]}`);
    case '/cluster/telemetry': {
      const collection = (name: string) =>
        `${JSON.stringify(name)}:{"id":${JSON.stringify(name)},"shards":[{"id":0,"replicas":[{"peer_id":${BIG_PEER_ID},"state":"Active"}]}]}`;
      return ok(
        `{"collections":{${TENANT_DATA.collections.map(collection).join(',')}},"cluster":{"enabled":true,"number_of_peers":1,"peers":{"${BIG_PEER_ID}":{"uri":"http://10.0.0.1:6335/","responsive":true,"details":null}}}}`,
      );
    }
    case '/telemetry':
      return ok(
        `{"id":"t","collections":{"number_of_collections":${TENANT_DATA.collections.length}},"cluster":{"enabled":true}}`,
      );
    default:
      return undefined;
  }
}

export interface RecordedRequest {
  readonly method: string;
  /** Raw request target as it arrived (path + query). */
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly bodyBytes: number;
  /** First 64 KiB of the body as text. */
  readonly bodyText: string;
  /** Whether the body arrived with `transfer-encoding: chunked`. */
  readonly chunked: boolean;
}

export interface RecordingUpstream {
  readonly url: string;
  readonly server: Server;
  readonly requests: RecordedRequest[];
  /** Targets whose response the gateway closed before the upstream finished it. */
  readonly closedEarly: string[];
  /** Requests whose target contains `marker`. */
  find(marker: string): RecordedRequest[];
  clear(): void;
  /** Points returned by a scroll (`value_exists` checks), per collection. */
  readonly points: Map<string, Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

const KEEP_TEXT = 64 * 1024;

export async function startRecordingUpstream(): Promise<RecordingUpstream> {
  const requests: RecordedRequest[] = [];
  const closedEarly: string[] = [];
  const points = new Map<string, Array<Record<string, unknown>>>();
  const server = createServer((req, res) => {
    // Test control endpoints (not Qdrant routes, so never reachable through the gateway).
    if (req.url?.startsWith('/__recorded')) {
      const marker = new URL(req.url, 'http://x').searchParams.get('marker') ?? '';
      const found = requests.filter((r) => r.url.includes(marker));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(found));
      return;
    }
    let bodyBytes = 0;
    const kept: Buffer[] = [];
    let keptBytes = 0;
    req.on('data', (chunk: Buffer) => {
      bodyBytes += chunk.length;
      if (keptBytes < KEEP_TEXT) {
        kept.push(chunk.subarray(0, KEEP_TEXT - keptBytes));
        keptBytes += Math.min(chunk.length, KEEP_TEXT - keptBytes);
      }
    });
    req.on('error', () => undefined);
    res.on('close', () => {
      if (!res.writableFinished) closedEarly.push(req.url ?? '');
    });
    req.on('end', () => {
      const record: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        bodyBytes,
        bodyText: Buffer.concat(kept).toString('utf8'),
        chunked: req.headers['transfer-encoding'] === 'chunked',
      };
      requests.push(record);
      respond(record, req, res);
    });
  });

  function respond(
    record: RecordedRequest,
    req: IncomingMessage,
    res: import('node:http').ServerResponse,
  ): void {
    const behaviour = String(req.headers['x-upstream-behaviour'] ?? '');
    const jsonText = (status: number, text: string) => {
      const coding = pickEncoding(req.headers['accept-encoding'] as string | undefined);
      const bytes = coding === undefined ? Buffer.from(text) : encode(coding, text);
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': bytes.byteLength,
        vary: 'accept-encoding',
        ...(coding === undefined ? {} : { 'content-encoding': coding }),
      });
      res.end(bytes);
    };
    const json = (status: number, body: unknown) => jsonText(status, JSON.stringify(body));
    if (behaviour === 'hang') return;
    if (behaviour.startsWith('redirect:')) {
      res.writeHead(302, { location: behaviour.slice('redirect:'.length), 'content-length': 0 });
      res.end();
      return;
    }
    if (behaviour.startsWith('many-collections:')) {
      const count = Number(behaviour.slice('many-collections:'.length));
      const names = Array.from({ length: count }, (_, i) => `{"name":"c${i}"}`).join(',');
      jsonText(200, `{"result":{"collections":[${names}]},"status":"ok","time":0}`);
      return;
    }
    if (behaviour === 'not-json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"result":{"collections":[{"name":"secret"}');
      return;
    }
    if (behaviour === 'ignore-identity') {
      // Compresses even when asked for identity: a gateway that must filter must not pass it.
      const bytes = gzipSync(tenantAnswer(record.url.split('?')[0]!) ?? '{}');
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': bytes.byteLength,
      });
      res.end(bytes);
      return;
    }
    if (behaviour.startsWith('slow:')) {
      setTimeout(
        () => json(200, { result: 'slow', status: 'ok', time: 0 }),
        Number(behaviour.slice(5)),
      );
      return;
    }
    if (behaviour === 'reset-mid-response') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
      res.write('{"result":[', () => setTimeout(() => req.socket.destroy(), 20));
      return;
    }
    if (behaviour.startsWith('large-response:')) {
      // A streamed (chunked) body written in pieces over time, to catch early cancellation.
      let left = Number(behaviour.slice('large-response:'.length));
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const timer = setInterval(() => {
        const size = Math.min(left, 64 * 1024);
        left -= size;
        res.write(Buffer.alloc(size, 97));
        if (left === 0) {
          clearInterval(timer);
          res.end();
        }
      }, 5);
      res.on('close', () => clearInterval(timer));
      return;
    }
    if (behaviour === 'stream-slowly') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const timer = setInterval(() => res.write('x'.repeat(1024)), 10);
      res.on('close', () => clearInterval(timer));
      return;
    }
    const tenant =
      record.method === 'GET' || record.method === 'HEAD'
        ? tenantAnswer(record.url.split('?')[0]!)
        : undefined;
    if (tenant !== undefined) {
      jsonText(200, tenant);
      return;
    }
    const scroll = /^\/collections\/([^/?]+)\/points\/scroll/.exec(record.url);
    // Scrolls sent by the gateway itself (value_exists checks) carry no test marker.
    if (scroll && record.method === 'POST' && !record.url.includes('marker=')) {
      const collection = decodeURIComponent(scroll[1]!);
      const stored = points.get(collection);
      if (!stored) {
        json(404, {
          status: { error: `Not found: Collection \`${collection}\` doesn't exist!` },
          time: 0,
        });
        return;
      }
      let filter: Array<{ key: string; match: { value: unknown } }> = [];
      try {
        filter = JSON.parse(record.bodyText).filter.must;
      } catch {}
      const hits = stored.filter((p) => filter.every((f) => p[f.key] === f.match.value));
      json(200, {
        result: { points: hits.slice(0, 1).map((_, i) => ({ id: i })), next_page_offset: null },
        status: 'ok',
        time: 0,
      });
      return;
    }
    if (record.url === '/' && record.method === 'GET') {
      json(200, { title: 'qdrant - vector search engine', version: '1.19.0' });
      return;
    }
    json(200, { result: { upstream: true, bodyBytes: record.bodyBytes }, status: 'ok', time: 0 });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    requests,
    closedEarly,
    points,
    find: (marker) => requests.filter((r) => r.url.includes(marker)),
    clear: () => {
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port with nothing listening (connection refused). */
export async function deadPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
