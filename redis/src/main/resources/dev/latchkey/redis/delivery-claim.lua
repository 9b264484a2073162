-- Leases due webhook deliveries to one node: each id due at or before now is pushed to now + lease, so no other node
-- takes it until the lease ends (a node that died mid-attempt lets it run out) or the delivery is saved.
-- KEYS[1] the due set (score: Unix ms)
-- ARGV[1] now ms, ARGV[2] lease ms, ARGV[3] how many at most
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local until_ms = tonumber(ARGV[1]) + tonumber(ARGV[2])
for _, id in ipairs(ids) do
  redis.call('ZADD', KEYS[1], until_ms, id)
end
return ids
