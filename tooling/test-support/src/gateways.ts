// The in-process test gateway, for the library's tests (built from its sources) and the app's
// (built from the app's exports): the caller passes the two functions it builds gateways with.

/** What {@link gatewayFixtures} needs of `@qdrant-kit/hono` (or a module re-exporting it). */
export interface GatewayLibrary<Config, Entry, App> {
  gatewayConfig(config: { upstreamUrl: string } & Partial<Config>): Config;
  createGateway(config: Config, options: { logger: (entry: Entry) => void }): App;
}

/** Test gateways built with `library`. */
export interface GatewayFixtures<Config, Entry, App> {
  /** A configuration for tests: loopback, a free port, quiet, short timeouts, JWT RBAC on. */
  testConfig(upstreamUrl: string, extra?: Partial<Config>): Config;
  /** The in-process app (fetch forwarder), collecting its log lines. */
  inProcessGateway(config: Config): { app: App; logs: Entry[] };
}

/** The test-gateway helpers over one copy of the library. */
export function gatewayFixtures<Config, Entry, App>(
  library: GatewayLibrary<Config, Entry, App>,
): GatewayFixtures<Config, Entry, App> {
  return {
    testConfig: (upstreamUrl, extra = {}) =>
      library.gatewayConfig({
        upstreamUrl,
        jwtRbac: true,
        hostname: '127.0.0.1',
        port: 0,
        logRequests: false,
        upstreamTimeoutMs: 5_000,
        ...extra,
      } as { upstreamUrl: string } & Partial<Config>),
    inProcessGateway(config) {
      const logs: Entry[] = [];
      return { app: library.createGateway(config, { logger: (e) => logs.push(e) }), logs };
    },
  };
}
