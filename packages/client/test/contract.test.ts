// Contract: every generated method, called with a valid request against Stoplight Prism serving
// the Cloud API swagger with --errors, gets a 2xx (no 4xx: 422 would be a contract violation)
// and its response parses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allServices,
  createCloudClient,
  QdrantCloudError,
  type QdrantCloudClient,
} from '../src/index.ts';
import methods from '../src/generated/methods.json' with { type: 'json' };
import { type PrismMock, startPrism } from './support/prism.ts';

const ACCOUNT = '11111111-1111-4111-8111-111111111111';
const ID = '22222222-2222-4222-8222-222222222222';
const KEY = 'contract-test-management-key-0123456789';

// Requests that carry more than ids: the smallest message that passes the protos' rules.
const REQUESTS: Record<string, Record<string, unknown>> = {
  'cluster.createCluster': {
    cluster: {
      name: 'my-cluster',
      cloudProviderId: 'aws',
      cloudProviderRegionId: 'eu-central-1',
      configuration: { numberOfNodes: 1, packageId: ID },
    },
  },
  'cluster.updateCluster': {
    cluster: {
      id: ID,
      name: 'my-cluster',
      cloudProviderId: 'aws',
      cloudProviderRegionId: 'eu-central-1',
      configuration: { numberOfNodes: 2, packageId: ID },
    },
  },
  'cluster.createClusterFromBackup': { backupId: ID, clusterName: 'restored' },
  'cluster.getClusterDownscaleRisk': { clusterId: ID, packageId: ID },
  'cluster.getQdrantRelease': { version: 'v1.16.0' },
  'databaseApiKey.createDatabaseApiKey': {
    databaseApiKey: {
      clusterId: ID,
      name: 'reader key',
      accessRules: [{ globalAccess: { accessType: 'GLOBAL_ACCESS_RULE_ACCESS_TYPE_READ_ONLY' } }],
    },
  },
  'databaseApiKey.deleteDatabaseApiKey': { databaseApiKeyId: ID, clusterId: ID },
  'backup.createBackup': {
    backup: { clusterId: ID, displayName: 'before-upgrade', retentionPeriod: '604800s' },
  },
  'backup.updateBackup': { backup: { id: ID, clusterId: ID, displayName: 'kept-backup' } },
  'backup.createBackupSchedule': {
    backupSchedule: {
      clusterId: ID,
      schedule: '0 3 * * *',
      retentionPeriod: '604800s',
      displayName: 'nightly',
    },
  },
  'backup.updateBackupSchedule': {
    backupSchedule: { id: ID, clusterId: ID, schedule: '@daily' },
    updateMask: 'schedule',
  },
  'hybridCloud.createHybridCloudEnvironment': { hybridCloudEnvironment: { name: 'on-prem' } },
  'hybridCloud.updateHybridCloudEnvironment': {
    hybridCloudEnvironment: { id: ID, name: 'on-prem' },
  },
  'hybridCloud.generateBootstrapCommands': { hybridCloudEnvironmentId: ID },
  'booking.listPackages': {
    cloudProviderId: 'aws',
    cloudProviderRegionId: 'eu-central-1',
    statuses: ['PACKAGE_STATUS_ACTIVE'],
  },
  'booking.getPackage': { id: ID, cloudProviderId: 'aws', cloudProviderRegionId: 'eu-central-1' },
  'booking.listGlobalPackages': { cloudProviderId: 'aws', cloudProviderRegionId: 'eu-central-1' },
  'booking.getQuote': {
    cloudProviderId: 'aws',
    cloudProviderRegionId: 'eu-central-1',
    packageId: ID,
    numberOfNodes: 1,
  },
  'booking.getBackupQuote': {
    cloudProviderId: 'aws',
    cloudProviderRegionId: 'eu-central-1',
    clusterId: ID,
  },
  'platform.listGlobalCloudProviderRegions': { cloudProviderId: 'aws' },
  'platform.getGlobalCloudProviderRegion': { cloudProviderId: 'aws', regionId: 'eu-central-1' },
  'platform.listCloudProviderRegions': { cloudProviderId: 'aws' },
  'platform.getCloudProviderRegion': { cloudProviderId: 'aws', regionId: 'eu-central-1' },
  'metering.listMeterings': { year: 2025, month: 6 },
  'metering.getUsageBreakdown': {
    startTime: '2025-06-01T00:00:00Z',
    endTime: '2025-07-01T00:00:00Z',
  },
  'monitoring.getClusterUsageMetrics': {
    clusterId: ID,
    since: '2025-06-01T00:00:00Z',
    aggregator: 'AGGREGATOR_AVG',
  },
  // Fields the protos require (scripts/proto-rules.json) are given, as the client now insists.
  'account.createAccount': { account: { name: 'my company', externalOwnerId: 'owner-1' } },
  'account.updateAccount': {
    account: { id: ACCOUNT, name: 'my company', externalOwnerId: 'owner-1' },
  },
  'backup.getBackupSchedule': { backupScheduleId: ID, clusterId: ID },
  'booking.listInferenceModels': { cloudProviderId: 'aws', cloudProviderRegionId: 'eu-central-1' },
  'booking.listStorageTierTypes': { cloudProviderId: 'aws', cloudProviderRegionId: 'eu-central-1' },
  'ephemeralDashboardToken.createEphemeralDashboardToken': { clusterId: ID },
  'account.createAccountInvite': {
    accountInvite: { userEmail: 'someone@example.com', userRoleIds: [ID] },
  },
  'account.suggestCompanies': { name: 'qdrant' },
  'iam.updateUser': { user: { id: ID, email: 'someone@example.com', defaultAccountId: ID } },
  'iam.createRole': {
    role: {
      name: 'readers',
      roleType: 'ROLE_TYPE_CUSTOM',
      permissions: [{ value: 'read:clusters' }],
    },
  },
  'iam.updateRole': {
    role: {
      id: ID,
      name: 'readers',
      roleType: 'ROLE_TYPE_CUSTOM',
      permissions: [{ value: 'read:clusters' }],
    },
  },
  'iam.assignUserRoles': { userId: ID, roleIdsToAdd: [ID] },
  'iam.getUserConsent': { documentType: 'LEGAL_DOCUMENT_TYPE_TERMS_OF_SERVICE' },
  'iam.recordUserConsent': {
    documentType: 'LEGAL_DOCUMENT_TYPE_TERMS_OF_SERVICE',
    statusUpdate: 'USER_CONSENT_STATUS_ACCEPTED',
  },
  'iam.updateUserProfile': { userProfile: { givenName: 'Ada' } },
  'iam.updateUserMfaMethod': { mfaMethod: { externalId: 'mfa-1', name: 'laptop' } },
  'iam.deleteUserMfaMethod': { mfaMethod: { externalId: 'mfa-1' } },
  'payment.createPaymentMethod': { paymentMethod: { type: 'PAYMENT_PROVIDER_TYPE_STRIPE' } },
  'payment.updatePaymentMethod': {
    paymentMethod: { id: ID, type: 'PAYMENT_PROVIDER_TYPE_STRIPE' },
  },
  'payment.getStripeCheckoutSession': { sessionId: 'cs_test_1' },
  'payment.createStripeCheckoutSession': { redirectUrl: 'https://example.com/done' },
  'payment.recordCloudMarketplaceEntitlement': { entitlementId: 'ent-1' },
  'auth.createManagementKey': { managementKey: {} },
};

// Any other request: fill every `{field}` of the path with a UUID (accountId comes from the client).
function requestFor(namespace: string, method: string, path: string): Record<string, unknown> {
  const given = REQUESTS[`${namespace}.${method}`];
  if (given) return given;
  const request: Record<string, unknown> = {};
  for (const [, field] of path.matchAll(/\{([^}.]+)\}/g)) {
    if (field !== 'accountId') request[field as string] = ID;
  }
  return request;
}

let prism: PrismMock;
let cloud: QdrantCloudClient;
// The body of the last answer, to compare the client's result with zod's parse of it.
let lastBody = '';
const recordingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  lastBody = await response.clone().text();
  return response;
};
beforeAll(async () => {
  prism = await startPrism();
  cloud = createCloudClient({
    managementKey: KEY,
    accountId: ACCOUNT,
    baseUrl: prism.url,
    retry: 0,
    checkResponses: true,
    fetch: recordingFetch,
  });
}, 90_000);
afterAll(() => prism?.stop());

describe('every method against the Prism mock', () => {
  it('covers the 116 RPCs', () => {
    expect(methods).toHaveLength(116);
  });
  for (const m of methods) {
    it(`${m.namespace}.${m.method} (${m.http} ${m.path})`, async () => {
      const namespace = (
        cloud as unknown as Record<string, Record<string, (r: unknown) => Promise<unknown>>>
      )[m.namespace];
      const call = namespace?.[m.method];
      expect(call, 'method exists').toBeTypeOf('function');
      try {
        const response = await call!(requestFor(m.namespace, m.method, m.path));
        expect(response).toBeTypeOf('object');
        // The answer is zod's lenient parse of what Prism sent.
        const services = allServices as unknown as Record<
          string,
          { rpcs: Record<string, readonly unknown[]> }
        >;
        const schema = services[m.namespace]?.rpcs[m.method]?.[5] as {
          safeParse(value: unknown): { success: boolean; data?: unknown };
        };
        const json = lastBody.trim() === '' ? {} : JSON.parse(lastBody);
        const slow = schema.safeParse(structuredClone(json));
        expect(slow.success).toBe(true);
        expect(response).toStrictEqual(slow.data);
      } catch (error) {
        if (error instanceof QdrantCloudError)
          throw new Error(`${error.message} ${JSON.stringify(error.issues)}`);
        throw error;
      }
    });
  }
});

describe('the mock enforces the contract', () => {
  it('a request without the management key gets 401 from the mock', async () => {
    const response = await fetch(`${prism.url}/api/cluster/v1/accounts/${ACCOUNT}/clusters`);
    expect(response.status).toBe(401);
  });
});
