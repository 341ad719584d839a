import type { Hono } from 'hono';
import {
  createGateway,
  type GatewayConfig,
  gatewayConfig,
  type RequestLogEntry,
} from '../../src/index.js';

/** A gateway configuration for tests: loopback, quiet, short timeouts, JWT RBAC on. */
export function testConfig(upstreamUrl: string, extra: Partial<GatewayConfig> = {}): GatewayConfig {
  return gatewayConfig({
    upstreamUrl,
    jwtRbac: true,
    hostname: '127.0.0.1',
    port: 0,
    logRequests: false,
    upstreamTimeoutMs: 5_000,
    ...extra,
  });
}

/** The in-process app (fetch forwarder), collecting its log lines. */
export function inProcessGateway(config: GatewayConfig): { app: Hono; logs: RequestLogEntry[] } {
  const logs: RequestLogEntry[] = [];
  return { app: createGateway(config, { logger: (e) => logs.push(e) }), logs };
}
