-- Deletes a key record with its usage markers and its limit state, then announces it; the key event goes to the
-- key's outbox (which the delete keeps) in the same step. Reads a record in either encoding.
-- KEYS[1] record hash, KEYS[2] usage batch markers, KEYS[3] rate window, KEYS[4] balance, KEYS[5] event outbox
-- ARGV[1] channel, ARGV[2] event message, ARGV[3] outbox event id ('' = none), ARGV[4] encoded event
-- Returns {} when there was no record, else {version, tenant, current hash, current imported flag, previous hash,
-- previous imported flag, created} (flags 'true'/'false'; created as stored: epoch ns or UTC text) so the caller can
-- clean the indexes.
local old
if redis.call('HEXISTS', KEYS[1], 'v') == 1 then
  old = redis.call('HMGET', KEYS[1], 'v', 't', 'h', 'hi', 'p', 'pi', 'c')
  old[4] = old[4] == '1' and 'true' or 'false'
  old[6] = old[6] == '1' and 'true' or 'false'
else
  old = redis.call('HMGET', KEYS[1], 'version', 'tenant_id', 'current_hash', 'current_imported',
    'previous_hash', 'previous_imported', 'created_at')
end
if not old[1] then
  return {}
end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
if ARGV[3] ~= '' then
  redis.call('HSET', KEYS[5], ARGV[3], ARGV[4])
end
redis.call('PUBLISH', ARGV[1], ARGV[2])
return {old[1], old[2] or '', old[3] or '', old[4] or '', old[5] or '', old[6] or '', old[7] or ''}
