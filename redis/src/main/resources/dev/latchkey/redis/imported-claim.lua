-- Points an imported-token hash at a key id: when the entry is free, already ours, or held by ARGV[2] (a holder the
-- caller found stale: its record no longer carries the hash).
-- KEYS[1] imported-hash entry; ARGV[1] key id; ARGV[2] stale holder or ''
-- Returns '' on success, else the id of the current holder.
local cur = redis.call('GET', KEYS[1])
if (not cur) or cur == ARGV[1] or (ARGV[2] ~= '' and cur == ARGV[2]) then
  redis.call('SET', KEYS[1], ARGV[1])
  return ''
end
return cur
