// Request-side validation rules, as facts taken from the buf.validate annotations in
// qdrant/qdrant-cloud-public-api (v0.173.0, ff1c923e). Only the rules users actually hit are
// listed; the server still checks everything else. Each value is a TypeScript expression over
// the helpers in src/validation/checks.ts (imported as `v`), applied to a field of a message
// when the message is sent in a request.

/** Fields, by protobuf-JSON name, that the protos annotate with `string.uuid = true` wherever they occur. */
export const UUID_FIELDS = new Set([
  'accountId',
  'backupId',
  'backupScheduleId',
  'billableEntityId',
  'clusterId',
  'createdByUserId',
  'databaseApiKeyId',
  'defaultAccountId',
  'hybridCloudEnvironmentId',
  'inviteId',
  'managementKeyId',
  'packageId',
  'parentAccountId',
  'paymentMethodId',
  'restorePackageId',
  'roleId',
  'userId',
]);

/** Repeated string fields whose items are UUIDs. */
export const UUID_LIST_FIELDS = new Set(['userRoleIds', 'roleIdsToAdd', 'roleIdsToDelete']);

const CLUSTER_NAME = '/^[a-zA-Z0-9-_]+$/';
const NO_CONTROL = String.raw`/^[^\x00-\x1F\x7F]*$/`;

/**
 * `Message.field` (message name without its v1/v2 prefix; for requests the RPC request name) ->
 * check expression. Top-level request fields with the same name in several requests use the
 * request name, e.g. `CreateClusterFromBackupRequest.clusterName`.
 */
export const FIELD_RULES = {
  'Cluster.name': `v.text(${CLUSTER_NAME}, 2, 64, 'letters, numbers, underscores and dashes')`,
  'Cluster.labels': 'v.maxItems(10)',
  'ClusterConfiguration.numberOfNodes': 'v.intRange(1)',
  'ClusterConfiguration.version': String.raw`v.text(/^(v\d+\.\d+\.\d+|latest)$/, 0, Infinity, 'a version like v1.16.0 or latest')`,
  'CreateClusterFromBackupRequest.clusterName': `v.text(${CLUSTER_NAME}, 4, 64, 'letters, numbers, underscores and dashes')`,
  // Database key names and access rules are checked by @qdrant-kit/core (one set of rules and
  // messages for the client, the gateway and the docs).
  'DatabaseApiKey.name': 'v.cloudKeyName()',
  'DatabaseApiKey.accessRules': 'v.accessRules()',
  'Backup.retentionPeriod': 'v.retentionPeriod()',
  'Backup.displayName': `v.text(${CLUSTER_NAME}, 4, 64, 'letters, numbers, underscores and dashes')`,
  'BackupSchedule.schedule': 'v.cronSchedule()',
  'BackupSchedule.retentionPeriod': 'v.retentionPeriod()',
  'BackupSchedule.displayName': `v.text(${CLUSTER_NAME}, 4, 64, 'letters, numbers, underscores and dashes')`,
  'HybridCloudEnvironment.name': `v.text(${CLUSTER_NAME}, 1, 64, 'letters, numbers, underscores and dashes')`,
  'Role.name': `v.text(${NO_CONTROL}, 4, 64, 'printable characters')`,
  'Account.name': `v.text(${NO_CONTROL}, 4, 256, 'printable characters')`,
};

/**
 * Fields whose whole value another check reads (so the element schema adds no second set of
 * messages): `Message.field` -> base schema expression.
 */
export const BASE_OVERRIDES = {
  'DatabaseApiKey.accessRules': 'v.unknownList',
};

/** Every request field named like this gets the rule (the four paged list RPCs). */
export const REQUEST_FIELD_RULES = {
  pageSize: 'v.pageSize()',
  pageToken: 'v.text(/./, 1, Infinity, "a token from a previous page")',
};

/**
 * Request-level rules the protos state as CEL on the request message: a required resource
 * field, and required display names on backup creation.
 */
export const REQUEST_RULES = {
  CreateBackupRequest: ['v.requiredField("backup.displayName")'],
  CreateBackupScheduleRequest: ['v.requiredField("backupSchedule.displayName")'],
};

/**
 * Fields the protos require although the Swagger marks them optional (non-optional proto3
 * strings with a uuid rule, so an empty value fails on the server).
 */
export const REQUIRED_FIELDS = {
  DeleteDatabaseApiKeyRequest: ['clusterId'],
  GetClusterDownscaleRiskRequest: ['packageId'],
  CreateClusterFromBackupRequest: ['clusterName'],
};
