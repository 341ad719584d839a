// Lua run atomically by Redis for the Redis store. Each script touches only the keys it is
// given, so it also runs on a Redis Cluster when the keys share a hash tag (the default prefix
// has one).

/**
 * Adds or replaces one revocation entry, bumps the version and publishes the change.
 * KEYS: entries hash, version, expiry sorted set. ARGV: id, entry JSON, until (ms, or '' for
 * none), channel, now (ms). Entries whose `until` has passed are dropped on the way.
 */
export const PUT_REVOCATION = `
local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[5])
for _, id in ipairs(expired) do
  redis.call('HDEL', KEYS[1], id)
  redis.call('ZREM', KEYS[3], id)
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if ARGV[3] == '' then
  redis.call('ZREM', KEYS[3], ARGV[1])
else
  redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
end
local version = redis.call('INCR', KEYS[2])
redis.call('PUBLISH', ARGV[4], '{"version":' .. version .. ',"op":"put","entry":' .. ARGV[2] .. '}')
return version
`;

/**
 * Removes one revocation entry; when it existed, bumps the version and publishes the change.
 * KEYS: entries hash, version, expiry sorted set. ARGV: id, channel. Returns the new version,
 * or 0 when there was no such entry.
 */
export const DELETE_REVOCATION = `
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZREM', KEYS[3], ARGV[1])
local version = redis.call('INCR', KEYS[2])
redis.call('PUBLISH', ARGV[2], '{"version":' .. version .. ',"op":"delete","id":' .. cjson.encode(ARGV[1]) .. '}')
return version
`;

/**
 * Token bucket, same arithmetic as `takeFromBucket` in token-bucket.ts, on Redis's own clock
 * so that every instance agrees on time. KEYS: the bucket. ARGV: quota, window (ms), tokens
 * wanted. Returns {granted, remaining, retryAfterMs, resetMs}. The bucket expires once it
 * would be full again (a missing bucket is full).
 */
export const TAKE_TOKENS = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local quota = tonumber(ARGV[1])
local windowMs = tonumber(ARGV[2])
local want = tonumber(ARGV[3])
local perMs = quota / windowMs
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = quota
if state[1] and state[2] then
  local elapsed = math.max(0, now - tonumber(state[2]))
  tokens = math.min(quota, tonumber(state[1]) + elapsed * perMs)
end
local granted = math.max(0, math.min(math.floor(want), math.floor(tokens)))
tokens = tokens - granted
local retryAfterMs = 0
if tokens < 1 then retryAfterMs = math.ceil((1 - tokens) / perMs) end
local resetMs = math.ceil((quota - tokens) / perMs)
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.max(1, resetMs))
return {granted, math.floor(tokens), retryAfterMs, resetMs}
`;
