// A loopback HTTP server whose behaviour is chosen by the path, so runtime-neutral cases can
// exercise retries, errors, timeouts and paging against a real socket:
//   /s/<scenario>/<runId>/<the API path>
// Scenarios: ok (echo), flaky-<n> (503 with Retry-After: 0 until the n-th hit), status-<http>-<grpc>
// (google.rpc.Status that echoes the Authorization header back, to prove it is scrubbed),
// retry-after-<s> (429 with Retry-After), slow-<ms>, stall-<ms> (half a body, then a pause), pages (3 pages of clusters),
// key-<n> (401 until the n-th hit, for the database key waiter; `/` open like a cluster's), html-502 (a proxy's page).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface ScenarioServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

const hits = new Map<string, number>();

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/html' : 'application/json',
    ...headers,
  });
  res.end(text);
}

export async function startScenarioServer(): Promise<ScenarioServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = req.url ?? '/';
      requests.push({ method: req.method ?? 'GET', url, headers: req.headers, body });
      const [, prefix, scenario = '', runId = '', ...rest] = url.split('?')[0]!.split('/');
      if (prefix !== 's') return send(res, 404, { code: 5, message: 'no scenario' });
      const key = `${scenario}/${runId}`;
      const hit = (hits.get(key) ?? 0) + 1;
      hits.set(key, hit);
      const echo = {
        echoMethod: req.method,
        echoPath: `/${rest.join('/')}`,
        echoUrl: url,
        echoBody: body,
        hit,
      };
      const [kind, a, b] = scenario.split('-');
      switch (kind) {
        case 'ok':
          return send(res, 200, { ...echo, items: [], futureField: { nested: true } });
        case 'flaky':
          if (hit < Number(a))
            return send(res, 503, { code: 14, message: 'try again' }, { 'retry-after': '0' });
          return send(res, 200, echo);
        case 'status':
          return send(res, Number(a), {
            code: Number(b),
            message: `denied for ${req.headers.authorization ?? ''}`,
            details: [
              {
                '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
                reason: 'DENIED',
                metadata: { auth: req.headers.authorization ?? '' },
              },
            ],
          });
        case 'retry':
          return send(res, 429, { code: 8, message: 'slow down' }, { 'retry-after': String(b) });
        case 'slow':
          setTimeout(() => send(res, 200, echo), Number(a));
          return;
        case 'pages': {
          const token = new URL(url, 'http://x').searchParams.get('pageToken') ?? '';
          const page = token === '' ? 1 : Number(token.replace('p', ''));
          const items = [{ id: `c${page}a`, name: `cluster-${page}a` }, { id: `c${page}b` }];
          return send(res, 200, {
            items,
            totalSize: 6,
            ...(page < 3 ? { nextPageToken: `p${page + 1}` } : {}),
          });
        }
        case 'key':
          // Like a cluster: `/` is answered without looking at the key.
          if (echo.echoPath === '/')
            return send(res, 200, {
              title: 'qdrant - vector search engine',
              version: '1.16.2',
              commit: 'abc',
            });
          if (req.headers['api-key'] !== 'db-key-0123456789')
            return send(res, 401, 'Invalid API key');
          if (hit < Number(a)) return send(res, 401, 'Invalid API key');
          return send(res, 200, {
            title: 'qdrant - vector search engine',
            version: '1.16.2',
            commit: 'abc',
          });
        case 'stall':
          // Headers and half a body, then nothing for <a> ms (the client's time limit cuts it off).
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"cluster":');
          setTimeout(() => res.end('{}}'), Number(a));
          return;
        case 'hang':
          // The first <a> polls never get an answer (the client's time limit cuts them off).
          if (hit <= Number(a)) return;
          return send(res, 200, {
            cluster: { id: 'x', state: { phase: 'CLUSTER_PHASE_HEALTHY' } },
          });
        case 'burst':
          // <a> answers of 503 without Retry-After, then a healthy cluster.
          if (hit <= Number(a)) return send(res, 503, { code: 14, message: 'unavailable' });
          return send(res, 200, {
            cluster: { id: 'x', state: { phase: 'CLUSTER_PHASE_HEALTHY' } },
          });
        case 'trace':
          return send(
            res,
            500,
            { code: 13, message: 'internal' },
            { 'grpc-metadata-qc-trace-id': 'trace-abc123' },
          );
        case 'redirect':
          // A redirect to another origin (another port of this loopback address).
          res.writeHead(302, {
            location: `http://localhost:${(server.address() as AddressInfo).port}/s/ok/x/`,
          });
          return res.end();
        case 'html':
          return send(res, 502, '<html><body>Bad gateway</body></html>');
        case 'cluster': {
          // getCluster for the waiter: CREATING, then a phase given in the scenario.
          const phase =
            hit < 3
              ? 'CLUSTER_PHASE_CREATING'
              : `CLUSTER_PHASE_${(a ?? 'HEALTHY').toUpperCase().replaceAll('_', '_')}`;
          return send(res, 200, {
            cluster: { id: 'x', state: { phase, reason: 'quota', nodesUp: 3 } },
          });
        }
        default:
          return send(res, 404, { code: 5, message: 'unknown scenario' });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
