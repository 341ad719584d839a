import { gatewayFixtures } from '@qdrant-kit/test-support/gateways';
import type { Hono } from 'hono';
import * as library from '../../src/index.js';

/** Test gateways built from this package's sources: `testConfig`, `inProcessGateway`. */
export const { testConfig, inProcessGateway } = gatewayFixtures<
  library.GatewayConfig,
  library.RequestLogEntry,
  Hono
>(library);
