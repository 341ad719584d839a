import type * as z from 'zod/mini';

/**
 * How one RPC travels over REST: HTTP method, path template (fields of the request in braces,
 * dotted for nested ones), whether the whole request is the JSON body (1) or the non-path fields
 * go to the query string (0), whether the call is idempotent (1) and may be retried, and the
 * request and response schemas.
 */
export type RpcDescriptor = readonly [
  method: string,
  template: string,
  body: 0 | 1,
  idempotent: 0 | 1,
  request: z.ZodMiniType,
  response: z.ZodMiniType,
];

/**
 * A service's RPC table plus the TypeScript shape of its namespace. Pass definitions to
 * {@link composeCloudClient}; each is a separate export so bundlers drop the ones you don't use.
 */
export interface ServiceDefinition<Service> {
  /** The namespace name, e.g. `cluster`. */
  readonly name: string;
  /** RPC descriptors by method name, e.g. `listClusters`. */
  readonly rpcs: Readonly<Record<string, RpcDescriptor>>;
  /** Type-level only: the namespace interface this definition produces. */
  readonly __service?: Service;
}

/** Creates a {@link ServiceDefinition} (used by the generated code). */
export function defineService<Service>(
  name: string,
  rpcs: Readonly<Record<string, RpcDescriptor>>,
): ServiceDefinition<Service> {
  return { name, rpcs };
}
