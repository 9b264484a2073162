-- Adds one key's part of a usage batch, at most once per batch id: its use count and last use, and its per-minute
-- history counts (minute, hour and day buckets). Never touches version or updated_at. Works on a record in either
-- encoding (RecordCodec, LegacyRecordCodec).
-- KEYS[1] record hash, KEYS[2] sorted set of recently applied batch ids (score: Redis time in ms),
-- KEYS[3] hash of history deltas waiting to be shipped to PostgreSQL, then per minute: minute hash, hour hash, day hash
-- ARGV[1] batch id, ARGV[2] count ('0' for none), ARGV[3] last used at (fixed-width UTC text, so text order is time
-- order), ARGV[4] last used ip ('' for none), ARGV[5] marker retention in ms, ARGV[6] most markers kept,
-- ARGV[7] '1' to also queue the minutes for shipping, then per minute 8 values: minute field, hour field, day field,
-- minute hash expiry, hour hash expiry, day hash expiry (Unix ms), epoch minute, counts 'valid:denied:rate_limited'
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
if ARGV[2] ~= '0' then
  -- the compact encoding (field 'v') names usage uc/ua/ui, the first encoding usage_count/last_used_at/last_used_ip
  local count, at, ip = 'uc', 'ua', 'ui'
  if redis.call('HEXISTS', KEYS[1], 'v') == 0 then
    count, at, ip = 'usage_count', 'last_used_at', 'last_used_ip'
  end
  redis.call('HINCRBY', KEYS[1], count, ARGV[2])
  local last = redis.call('HGET', KEYS[1], at)
  if (not last) or ARGV[3] > last then
    if ARGV[4] == '' then
      redis.call('HSET', KEYS[1], at, ARGV[3])
      redis.call('HDEL', KEYS[1], ip)
    else
      redis.call('HSET', KEYS[1], at, ARGV[3], ip, ARGV[4])
    end
  end
end
local function add(key, field, v, d, r)
  local cur = redis.call('HGET', key, field)
  if cur then
    local a, b, c = string.match(cur, '^(%d+):(%d+):(%d+)$')
    v = v + tonumber(a)
    d = d + tonumber(b)
    r = r + tonumber(c)
  end
  redis.call('HSET', key, field, string.format('%.0f:%.0f:%.0f', v, d, r))
end
local i = 8
local k = 4
while i + 7 <= #ARGV do
  local v, d, r = string.match(ARGV[i + 7], '^(%d+):(%d+):(%d+)$')
  v = tonumber(v)
  d = tonumber(d)
  r = tonumber(r)
  for level = 0, 2 do
    add(KEYS[k + level], ARGV[i + level], v, d, r)
    redis.call('PEXPIREAT', KEYS[k + level], ARGV[i + 3 + level])
  end
  if ARGV[7] == '1' then
    add(KEYS[3], ARGV[i + 6], v, d, r)
  end
  i = i + 8
  k = k + 3
end
return 1
