-- Deletes a key record with its usage markers and its limit state, then announces it.
-- KEYS[1] record hash, KEYS[2] usage batch markers, KEYS[3..] the key's rate window and balance
-- ARGV[1] channel, ARGV[2] event message
-- Returns {} when there was no record, else {version, tenant, current hash, current imported flag, previous hash,
-- previous imported flag} so the caller can clean the indexes.
local old = redis.call('HMGET', KEYS[1], 'version', 'tenant_id', 'current_hash', 'current_imported',
  'previous_hash', 'previous_imported')
if not old[1] then
  return {}
end
redis.call('DEL', unpack(KEYS))
redis.call('PUBLISH', ARGV[1], ARGV[2])
return {old[1], old[2] or '', old[3] or '', old[4] or '', old[5] or '', old[6] or ''}
