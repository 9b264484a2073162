-- Adds one key's part of a usage batch, at most once per batch id. Never touches version or updated_at.
-- KEYS[1] record hash, KEYS[2] sorted set of recently applied batch ids (score: Redis time in ms)
-- ARGV[1] batch id, ARGV[2] count, ARGV[3] last used at (fixed-width UTC text, so text order is time order),
-- ARGV[4] last used ip ('' for none), ARGV[5] marker retention in ms, ARGV[6] most markers kept
-- Returns 1 when applied, 0 when the key is unknown or the batch was applied before.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
if redis.call('ZSCORE', KEYS[2], ARGV[1]) then
  return 0
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[2], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[5]))
local extra = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[6])
if extra > 0 then
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, extra - 1)
end
redis.call('PEXPIRE', KEYS[2], ARGV[5])
redis.call('HINCRBY', KEYS[1], 'usage_count', ARGV[2])
local last = redis.call('HGET', KEYS[1], 'last_used_at')
if (not last) or ARGV[3] > last then
  if ARGV[4] == '' then
    redis.call('HSET', KEYS[1], 'last_used_at', ARGV[3])
    redis.call('HDEL', KEYS[1], 'last_used_ip')
  else
    redis.call('HSET', KEYS[1], 'last_used_at', ARGV[3], 'last_used_ip', ARGV[4])
  end
end
return 1
