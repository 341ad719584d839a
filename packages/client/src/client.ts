import type { CallOptions } from './call-options.js';
import { allServices } from './generated/index.js';
import type { ServiceDefinition } from './service.js';
import { type CloudClientOptions, createTransport, type Transport } from './transport.js';

/** The namespaces produced by a set of service definitions. */
export type CloudClient<Definitions extends Readonly<Record<string, ServiceDefinition<unknown>>>> =
  {
    readonly [Name in keyof Definitions]: Definitions[Name] extends ServiceDefinition<infer Service>
      ? Service
      : never;
  };

/** A client with every namespace of the Cloud API (what {@link createCloudClient} returns). */
export type QdrantCloudClient = CloudClient<typeof allServices>;

function bindService(transport: Transport, definition: ServiceDefinition<unknown>): unknown {
  const namespace: Record<string, (request?: unknown, options?: CallOptions) => Promise<unknown>> =
    {};
  for (const [method, descriptor] of Object.entries(definition.rpcs)) {
    const rpc = `${definition.name}.${method}`;
    namespace[method] = (request, options) => transport.call(rpc, descriptor, request, options);
  }
  return Object.freeze(namespace);
}

/**
 * Builds a client from the service definitions you pass, so bundlers keep only those:
 *
 * ```ts
 * import { composeCloudClient, clusterService, databaseApiKeyService } from '@qdrant-kit/client';
 * const cloud = composeCloudClient({ managementKey }, { cluster: clusterService, databaseApiKey: databaseApiKeyService });
 * ```
 */
export function composeCloudClient<
  Definitions extends Readonly<Record<string, ServiceDefinition<unknown>>>,
>(options: CloudClientOptions, services: Definitions): CloudClient<Definitions> {
  const transport = createTransport(options);
  const client: Record<string, unknown> = {};
  for (const [name, definition] of Object.entries(services)) {
    client[name] = bindService(transport, definition);
  }
  return Object.freeze(client) as CloudClient<Definitions>;
}

/**
 * A client for the whole Qdrant Cloud API, one namespace per service:
 *
 * ```ts
 * const cloud = createCloudClient({ managementKey: process.env.QDRANT_CLOUD_MANAGEMENT_KEY ?? '', accountId });
 * const { items } = await cloud.cluster.listClusters({});
 * ```
 *
 * Use {@link composeCloudClient} to bundle only some services.
 */
export function createCloudClient(options: CloudClientOptions): QdrantCloudClient {
  return composeCloudClient(options, allServices);
}
