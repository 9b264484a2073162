-- Takes one key's history counts queued for shipping: the shipment in flight if there is one (same id), else the
-- queued counts, moved in flight under a new id. KEYS[1] queued hash, KEYS[2] in-flight hash; ARGV[1] new id.
-- Returns the in-flight hash as field, value... ('_id' holds the id), or an empty list when nothing is queued.
if redis.call('EXISTS', KEYS[2]) == 1 then
  return redis.call('HGETALL', KEYS[2])
end
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {}
end
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('HSET', KEYS[2], '_id', ARGV[1])
return redis.call('HGETALL', KEYS[2])
