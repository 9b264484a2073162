-- Acknowledges a shipment: deletes the in-flight hash if it is still that shipment. KEYS[1] in-flight hash; ARGV[1] id.
if redis.call('HGET', KEYS[1], '_id') == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
