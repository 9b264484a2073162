-- Writes a job hash as a whole, with a time to live.
-- KEYS[1] job hash; ARGV[1] ttl in ms; ARGV[2..] field, value pairs
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
