// The cluster's access table, run through the real gateway twice: in-process (`app.request`,
// fetch forwarder) and over HTTP (Node server, pooled forwarder), both in front of a real
// recording upstream. Allowed requests must arrive with the path the gateway authorized;
// refused ones must never arrive.
import { matchRoute } from '@qdrant-kit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeGatewayServer } from '../src/node.js';
import {
  ADMIN_KEY,
  type ConformanceCase,
  conformanceCases,
  READ_ONLY_KEY,
  sampleBody,
} from './support/access-table.js';
import { inProcessGateway, nodeGateway, testConfig } from './support/gateways.js';
import { type RecordingUpstream, startRecordingUpstream } from '@qdrant-kit/test-support/upstream';

const cases = await conformanceCases();
let upstream: RecordingUpstream;
let node: NodeGatewayServer;
let app: ReturnType<typeof inProcessGateway>['app'];
let counter = 0;

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  const config = testConfig(upstream.url, { apiKey: ADMIN_KEY, readOnlyApiKey: READ_ONLY_KEY });
  app = inProcessGateway(config).app;
  node = await nodeGateway(config);
});
afterAll(async () => {
  await node?.close();
  await upstream?.close();
});

async function check(
  c: ConformanceCase,
  send: (url: string, init: RequestInit) => Promise<Response>,
) {
  const mark = `case${++counter}x${Date.now()}`;
  const target = `${c.path}?marker=${mark}`;
  const body = sampleBody(c.method);
  const response = await send(target, {
    method: c.method,
    headers: { 'api-key': c.key, ...(body ? { 'content-type': 'application/json' } : {}) },
    body,
  });
  const text = await response.text();
  const arrived = upstream.find(mark);
  if (c.allowed) {
    expect(response.status, text).toBe(200);
    expect(arrived.map((r) => [r.method, r.url])).toEqual([[c.method, target]]);
  } else {
    expect(arrived).toEqual([]);
    if (c.column === 'everything') {
      expect(response.status).toBe(401);
      expect(text).toBe('Invalid API key or JWT');
    } else {
      expect(response.status).toBe(403);
      if (matchRoute(c.method, c.path)?.route.plainTextDenial) {
        // Snapshot uploads: refused before the multipart body is read, in plain text.
        expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
        expect(text).toMatch(/^Forbidden: /);
      } else {
        const parsed = JSON.parse(text) as { status: { error: string }; time: number };
        expect(parsed.status.error).toMatch(/^Forbidden: /);
        expect(typeof parsed.time).toBe('number');
      }
    }
  }
}

const title = (c: ConformanceCase) =>
  `${c.action} ${c.method} ${c.path} with ${c.keyName}: ${c.allowed ? 'allowed' : 'refused'}`;

describe('access table through app.request', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(300));
  for (const c of cases) {
    it(title(c), () =>
      check(c, async (target, init) => app.request(`http://gateway.test${target}`, init)),
    );
  }
});

describe('access table through a Node server', () => {
  for (const c of cases) {
    it(title(c), () => check(c, (target, init) => fetch(`${node.url}${target}`, init)));
  }
});
