-- Claims an imported-token hash entry for a key id before the key's record carries the hash. A new claim is
-- pending: it has a time to live until the caller settles it (imported-settle) after writing the record, so a claim
-- whose writer crashed frees itself, and a pending claim is never taken over (its record may be on its way).
-- KEYS[1] imported-hash entry
-- ARGV[1] key id, ARGV[2] a settled holder the caller found stale (its record does not carry the hash) or '',
-- ARGV[3] time to live of a pending claim in ms
-- Returns {'', 1} when this call made a new pending claim, {'', 0} when the entry was ours already (it is left as it
-- is), else {holder, 1 if pending else 0}.
local cur = redis.call('GET', KEYS[1])
if cur == ARGV[1] then
  return {'', 0}
end
local ttl = cur and redis.call('PTTL', KEYS[1]) or -2
if (not cur) or (ARGV[2] ~= '' and cur == ARGV[2] and ttl == -1) then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
  return {'', 1}
end
if ttl == -1 then
  return {cur, 0}
end
return {cur, 1}
