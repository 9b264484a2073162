-- Compare-and-set of a webhook or storage config on its version (0 = must not exist yet).
-- KEYS[1] config hash; ARGV[1] expected version, ARGV[2] tenant it must belong to, ARGV[3..] field, value...
-- Returns 1 when written, 0 when the version moved on, the config is gone, or it belongs to another tenant.
local v = redis.call('HGET', KEYS[1], 'version') or '0'
if v ~= ARGV[1] then
  return 0
end
if v ~= '0' and redis.call('HGET', KEYS[1], 'tenant_id') ~= ARGV[2] then
  return 0
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
return 1
