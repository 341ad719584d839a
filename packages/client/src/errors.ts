// The one error type of the client. It is built only from values that cannot hold the management
// key (the server's status body is scrubbed first, see redact.ts), and it never keeps a reference
// to the request, its headers or the underlying fetch error.

/** gRPC status code names by number, as `google.rpc.Code` defines them. */
export const GRPC_CODE_NAMES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const;

/** A gRPC status code name, e.g. `'NOT_FOUND'`. */
export type GrpcCodeName = (typeof GRPC_CODE_NAMES)[number];

/**
 * What went wrong:
 * - `http`: the API answered with an error status (`code`, `status`, `details` from its body);
 * - `network`: no answer (connection refused, reset, DNS...);
 * - `timeout`: no answer within `timeoutMs`;
 * - `aborted`: the caller's AbortSignal fired;
 * - `validation`: the request broke a rule before it was sent (`issues` names the fields);
 * - `response`: a 2xx answer that is not the expected JSON message, or a redirect (never followed to another origin);
 * - `wait`: a waiter gave up (failed phase or its own time limit).
 */
export type CloudErrorKind =
  | 'http'
  | 'network'
  | 'timeout'
  | 'aborted'
  | 'validation'
  | 'response'
  | 'wait';

/** One field-level problem found while checking a request. */
export interface ValidationIssue {
  /** Dotted path of the field in the request, e.g. `databaseApiKey.accessRules.0.collectionAccess.collectionName`. */
  readonly field: string;
  /** What is wrong, e.g. `must be a UUID like 00000000-0000-0000-0000-000000000000`. */
  readonly message: string;
}

/** Everything a {@link QdrantCloudError} carries. */
export interface QdrantCloudErrorInit {
  readonly kind: CloudErrorKind;
  readonly message: string;
  readonly code: number;
  readonly status?: number | undefined;
  readonly details?: readonly unknown[] | undefined;
  readonly method?: string | undefined;
  readonly path?: string | undefined;
  readonly origin?: string | undefined;
  readonly traceId?: string | undefined;
  readonly rpc?: string | undefined;
  readonly retryAfter?: number | undefined;
  readonly issues?: readonly ValidationIssue[] | undefined;
  readonly attempts?: number | undefined;
  readonly cause?: SafeCause | undefined;
}

/** A secret-free summary of a lower-level error (name and scrubbed message only). */
export interface SafeCause {
  readonly name: string;
  readonly message: string;
}

/**
 * The error every client call rejects with. `code` is the gRPC status code (`codeName` its
 * name), `status` the HTTP status when the API answered. The management key never appears in
 * any of its fields, its message, its stack or its cause.
 */
export class QdrantCloudError extends Error {
  override readonly name = 'QdrantCloudError';
  /** What went wrong; see {@link CloudErrorKind}. */
  readonly kind: CloudErrorKind;
  /** gRPC status code (from the API's `google.rpc.Status`, else derived from the HTTP status or the failure). */
  readonly code: number;
  /** HTTP status of the answer, or undefined when there was none. */
  readonly status: number | undefined;
  /** `google.rpc.Status.details` (each with an `@type`), as the API sent them. */
  readonly details: readonly unknown[];
  /** HTTP method of the call, e.g. `GET`. */
  readonly method: string | undefined;
  /** Path and query of the call, e.g. `/api/cluster/v1/accounts/…/clusters`. */
  readonly path: string | undefined;
  /** Scheme, host and port of the server called, e.g. `https://api.cloud.qdrant.io` (never a user name or password). */
  readonly origin: string | undefined;
  /**
   * The Cloud's trace id of the failed call (`qc-trace-id`, which the REST gateway forwards as
   * the `grpc-metadata-qc-trace-id` response header), when it sent one. Quote it to Qdrant support.
   */
  readonly traceId: string | undefined;
  /** The RPC, e.g. `cluster.getCluster`. */
  readonly rpc: string | undefined;
  /** Seconds the API asked us to wait (`Retry-After`), when it did. */
  readonly retryAfter: number | undefined;
  /** Field-level problems, for `kind: 'validation'`. */
  readonly issues: readonly ValidationIssue[];
  /** How many HTTP attempts were made (1 without retries). */
  readonly attempts: number;
  /** Secret-free summary of the lower-level error, if any. */
  override readonly cause: SafeCause | undefined;

  constructor(init: QdrantCloudErrorInit) {
    super(init.message);
    this.kind = init.kind;
    this.code = init.code;
    this.status = init.status;
    this.details = init.details ?? [];
    this.method = init.method;
    this.path = init.path;
    this.origin = init.origin;
    this.traceId = init.traceId;
    this.rpc = init.rpc;
    this.retryAfter = init.retryAfter;
    this.issues = init.issues ?? [];
    this.attempts = init.attempts ?? 0;
    this.cause = init.cause;
  }

  /** The gRPC code's name, e.g. `'NOT_FOUND'`. */
  get codeName(): GrpcCodeName {
    return GRPC_CODE_NAMES[this.code] ?? 'UNKNOWN';
  }

  /** A plain, secret-free object for logs. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      code: this.code,
      codeName: this.codeName,
      status: this.status,
      details: this.details,
      method: this.method,
      path: this.path,
      origin: this.origin,
      traceId: this.traceId,
      rpc: this.rpc,
      retryAfter: this.retryAfter,
      issues: this.issues,
      attempts: this.attempts,
      cause: this.cause,
    };
  }
}

/** True for a {@link QdrantCloudError}, also across bundle copies of this package. */
export function isQdrantCloudError(error: unknown): error is QdrantCloudError {
  return (
    error instanceof QdrantCloudError ||
    (typeof error === 'object' &&
      error !== null &&
      (error as { name?: unknown }).name === 'QdrantCloudError')
  );
}

const HTTP_TO_GRPC: Record<number, number> = {
  400: 3,
  401: 16,
  403: 7,
  404: 5,
  409: 6,
  412: 9,
  429: 8,
  499: 1,
  500: 13,
  501: 12,
  502: 14,
  503: 14,
  504: 4,
};

/** The usual gRPC code for an HTTP status, for answers without a `google.rpc.Status` body. */
export function grpcCodeForHttpStatus(status: number): number {
  return HTTP_TO_GRPC[status] ?? (status >= 500 ? 13 : 2);
}
