-- Creates a key record unless one with this id exists, then announces it.
-- KEYS[1] record hash
-- ARGV[1] channel, ARGV[2] event message, ARGV[3..] field, value, field, value, ...
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1
