-- Removes an imported-token hash entry if it still points at this key id.
-- KEYS[1] imported-hash entry; ARGV[1] key id
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
