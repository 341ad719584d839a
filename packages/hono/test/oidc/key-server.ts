// A tiny key server on 127.0.0.1: discovery and a JWKS whose answers each test controls, with
// a count of every request it received.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JSONWebKeySet } from 'jose';

export interface KeyServerBehaviour {
  jwks: JSONWebKeySet;
  /** Status of the JWKS answer (default 200). */
  status: number;
  /** Extra headers of the JWKS answer, e.g. Cache-Control. */
  headers: Record<string, string>;
  /** Milliseconds before the JWKS answer's headers are sent. */
  delayMs: number;
  /** Raw body sent instead of the JWKS (size-cap tests). */
  rawBody?: string;
  /** Issuer the discovery document names (default: the server's own). */
  discoveryIssuer?: string;
  /** Destroy the connection instead of answering. */
  hangUp: boolean;
}

export interface KeyServer {
  readonly issuer: string;
  readonly jwksUri: string;
  readonly behaviour: KeyServerBehaviour;
  readonly requests: { discovery: number; jwks: number };
  close(): Promise<void>;
}

export async function startKeyServer(jwks: JSONWebKeySet): Promise<KeyServer> {
  const behaviour: KeyServerBehaviour = {
    jwks,
    status: 200,
    headers: {},
    delayMs: 0,
    hangUp: false,
  };
  const requests = { discovery: 0, jwks: 0 };
  let base = '';
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/.well-known/openid-configuration') {
      requests.discovery++;
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({ issuer: behaviour.discoveryIssuer ?? base, jwks_uri: `${base}/jwks` }),
      );
      return;
    }
    if (req.url === '/jwks') {
      requests.jwks++;
      if (behaviour.hangUp) {
        req.socket.destroy();
        return;
      }
      const timer = setTimeout(() => {
        if (res.destroyed) return;
        res.statusCode = behaviour.status;
        res.setHeader('content-type', 'application/json');
        for (const [name, value] of Object.entries(behaviour.headers)) res.setHeader(name, value);
        res.end(behaviour.rawBody ?? JSON.stringify(behaviour.jwks));
      }, behaviour.delayMs);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer: base,
    jwksUri: `${base}/jwks`,
    behaviour,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
