import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** A running static server for the built site, on loopback only. */
export interface StaticSite {
  readonly origin: string;
  close(): Promise<void>;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Serves `root` as a host would serve a VitePress build with `cleanUrls`: `/a/b` is
 * `a/b.html`, `/a/` is `a/index.html`, anything else is `404.html` with status 404.
 */
export async function serveStaticSite(root: string): Promise<StaticSite> {
  const server: Server = createServer(async (request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const relative = normalize(pathname).replace(/^([/\\])+/, '');
    const base = join(root, relative);
    if (base !== root && !base.startsWith(root.endsWith(sep) ? root : root + sep)) {
      response.writeHead(400).end();
      return;
    }
    const candidates = pathname.endsWith('/')
      ? [join(base, 'index.html')]
      : [base, `${base}.html`, join(base, 'index.html')];
    for (const candidate of candidates) {
      if (await isFile(candidate)) {
        response.writeHead(200, {
          'content-type': contentTypes[extname(candidate)] ?? 'application/octet-stream',
        });
        createReadStream(candidate).pipe(response);
        return;
      }
    }
    const notFound = join(root, '404.html');
    response.writeHead(404, { 'content-type': contentTypes['.html'] });
    if (await isFile(notFound)) createReadStream(notFound).pipe(response);
    else response.end('not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
