// Compiled with `exactOptionalPropertyTypes` (tsconfig.exact.json, part of `pnpm typecheck`):
// the option types accept values that may be undefined, as users pass them.
import { cloudAccessRulesToAccess } from '@qdrant-kit/core';
import {
  type CallOptions,
  type CloudClientOptions,
  createCloudClient,
  type DatabaseApiKey,
  waitForClusterHealthy,
} from '@qdrant-kit/client';

declare const env: Record<string, string | undefined>;
declare const signal: AbortSignal | undefined;
declare const key: DatabaseApiKey;

const options: CloudClientOptions = {
  managementKey: env.QDRANT_CLOUD_MANAGEMENT_KEY ?? '',
  accountId: env.QDRANT_CLOUD_ACCOUNT_ID,
  baseUrl: env.QDRANT_CLOUD_BASE_URL,
  timeoutMs: undefined,
};
const call: CallOptions = { signal, timeoutMs: undefined, retry: undefined };
const cloud = createCloudClient(options);
export const pending = [
  cloud.cluster.listClusters({ accountId: env.QDRANT_CLOUD_ACCOUNT_ID }, call),
  waitForClusterHealthy(cloud.cluster, { clusterId: 'x', accountId: undefined }, { signal }),
];
// A key as the client returns it goes straight into core's converter.
export const access = cloudAccessRulesToAccess(key.accessRules);
