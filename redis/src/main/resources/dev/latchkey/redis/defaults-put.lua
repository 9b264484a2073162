-- Compare-and-set of a tenant's defaults on their version (0 = never set), then announces the change.
-- KEYS[1] defaults hash; ARGV[1] expected version, ARGV[2] channel, ARGV[3] event message, ARGV[4..] field, value...
-- Returns 1 when written, 0 when the version moved on.
local v = redis.call('HGET', KEYS[1], 'version') or '0'
if v ~= ARGV[1] then
  return 0
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1
