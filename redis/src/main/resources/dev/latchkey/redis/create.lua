-- Creates a key record unless one with this id exists, then announces it; writes the key event to the key's outbox
-- in the same step (API.md §10: no committed change without its event).
-- KEYS[1] record hash, KEYS[2] the key's event outbox hash
-- ARGV[1] channel, ARGV[2] event message, ARGV[3] outbox event id ('' = none), ARGV[4] encoded event,
-- ARGV[5..] field, value, field, value, ...
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], unpack(ARGV, 5))
if ARGV[3] ~= '' then
  redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
end
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1
