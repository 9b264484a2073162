-- Removes an imported-token hash entry if it still points at this key id.
-- KEYS[1] imported-hash entry; ARGV[1] key id; ARGV[2] '1' to remove it only while it is a pending claim (one whose
-- record write did not happen), '' to remove it either way
if redis.call('GET', KEYS[1]) == ARGV[1] and (ARGV[2] ~= '1' or redis.call('PTTL', KEYS[1]) > 0) then
  return redis.call('DEL', KEYS[1])
end
return 0
