// A real HTTP server on 127.0.0.1 standing in for a Qdrant cluster: it records every request
// that reaches it (method, raw target, headers, body size) without buffering bodies, and can
// misbehave on demand through the `x-upstream-behaviour` request header.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

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
    const json = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
    };
    if (behaviour === 'hang') return;
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
