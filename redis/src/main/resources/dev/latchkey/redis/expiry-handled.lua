-- Drops a key from the expiry index once its key.expired was raised, unless its expires_at moved meanwhile.
-- KEYS[1] the expiry index, ARGV[1] key id, ARGV[2] the expires_at handled (Unix ms)
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) == tonumber(ARGV[2]) then
  return redis.call('ZREM', KEYS[1], ARGV[1])
end
return 0
