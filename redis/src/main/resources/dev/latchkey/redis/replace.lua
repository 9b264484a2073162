-- Compare-and-set of a key record on its version: the record is rewritten whole in the compact encoding (which also
-- converts a record still in the first encoding), keeping its usage fields, which only usage.lua changes. The key
-- event goes to the key's outbox in the same step.
-- KEYS[1] record hash, KEYS[2] the key's event outbox hash
-- ARGV[1] expected version, ARGV[2] channel, ARGV[3] event message, ARGV[4] outbox event id ('' = none),
-- ARGV[5] encoded event, ARGV[6..] field, value pairs of the new record (compact encoding, without usage)
-- Returns {0} when the key is gone or its version moved on, else {1, old tenant, old current hash, old current
-- imported flag, old previous hash, old previous imported flag} (flags 'true'/'false') so the caller can fix the
-- indexes.
local compact = redis.call('HEXISTS', KEYS[1], 'v') == 1
local old, usage
if compact then
  old = redis.call('HMGET', KEYS[1], 'v', 't', 'h', 'hi', 'p', 'pi')
  old[4] = old[4] == '1' and 'true' or 'false'
  old[6] = old[6] == '1' and 'true' or 'false'
  usage = redis.call('HMGET', KEYS[1], 'uc', 'ua', 'ui')
else
  old = redis.call('HMGET', KEYS[1], 'version', 'tenant_id', 'current_hash', 'current_imported',
    'previous_hash', 'previous_imported')
  usage = redis.call('HMGET', KEYS[1], 'usage_count', 'last_used_at', 'last_used_ip')
end
if (not old[1]) or old[1] ~= ARGV[1] then
  return {0}
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 6))
local names = {'uc', 'ua', 'ui'}
for i = 1, 3 do
  if usage[i] then
    redis.call('HSET', KEYS[1], names[i], usage[i])
  end
end
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[2], ARGV[4], ARGV[5])
end
redis.call('PUBLISH', ARGV[2], ARGV[3])
return {1, old[2] or '', old[3] or '', old[4] or '', old[5] or '', old[6] or ''}
