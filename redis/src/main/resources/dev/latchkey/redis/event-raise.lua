-- Raises an event no key change writes (key.expired, key.quota_exhausted) at most once per event id.
-- KEYS[1] the key's raised-event marker set, KEYS[2] the key's event outbox hash
-- ARGV[1] event id, ARGV[2] encoded event, ARGV[3] how long markers are kept, in seconds
-- Returns 1 when raised now, 0 when raised before.
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then
  return 0
end
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return 1
