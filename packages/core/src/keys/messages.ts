// The exact plain-text bodies a Qdrant cluster (v1.19) answers from its auth layer.

/** 401: neither `api-key` nor `Authorization: Bearer` was presented. */
export const MESSAGE_NO_KEY = 'Must provide an API key or an Authorization bearer token';
/** 401: wrong static key, not a JWT, wrong algorithm, malformed claims, or `jwt_rbac` off. */
export const MESSAGE_INVALID_KEY = 'Invalid API key or JWT';
/** 403: a well-formed HS256 JWT whose HMAC does not match. */
export const MESSAGE_INVALID_SIGNATURE = 'InvalidSignature';
/** 403: a JWT whose `exp` is more than the leeway in the past. */
export const MESSAGE_EXPIRED_SIGNATURE = 'ExpiredSignature';
/** 401 (no match) or 403 (collection missing): the `value_exists` claim failed. */
export const MESSAGE_STATEFUL_VALIDATION_FAILED = 'Invalid JWT, stateful validation failed';
/** Seconds of clock skew the cluster tolerates on `exp`. */
export const EXP_LEEWAY_SECONDS = 30;
