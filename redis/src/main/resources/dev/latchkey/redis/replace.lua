-- Compare-and-set of a key record on its version. Usage fields (usage_count, last_used_at, last_used_ip) are never
-- named here, so a replace never changes usage. The key event goes to the key's outbox in the same step.
-- KEYS[1] record hash, KEYS[2] the key's event outbox hash
-- ARGV[1] expected version, ARGV[2] channel, ARGV[3] event message, ARGV[4] outbox event id ('' = none),
-- ARGV[5] encoded event, ARGV[6] n = how many optional fields to delete, ARGV[7 .. 6+n] those fields, then field,
-- value pairs.
-- Returns {0} when the key is gone or its version moved on, else {1, old tenant, old current hash, old current
-- imported flag, old previous hash, old previous imported flag} so the caller can fix the indexes.
local old = redis.call('HMGET', KEYS[1], 'version', 'tenant_id', 'current_hash', 'current_imported',
  'previous_hash', 'previous_imported')
if (not old[1]) or old[1] ~= ARGV[1] then
  return {0}
end
local n = tonumber(ARGV[6])
if n > 0 then
  redis.call('HDEL', KEYS[1], unpack(ARGV, 7, 6 + n))
end
redis.call('HSET', KEYS[1], unpack(ARGV, 7 + n))
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[2], ARGV[4], ARGV[5])
end
redis.call('PUBLISH', ARGV[2], ARGV[3])
return {1, old[2] or '', old[3] or '', old[4] or '', old[5] or '', old[6] or ''}
