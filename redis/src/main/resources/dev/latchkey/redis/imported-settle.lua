-- Settles a claim once the key's record carries the hash: the entry stays for good (until released). An entry gone
-- meanwhile (a pending claim that ran out of time, or one a failed change of the same key released) is written
-- again: nobody else held it, and the record carries the hash now.
-- KEYS[1] imported-hash entry; ARGV[1] key id
-- Returns 1 when the entry is (now) ours, 0 when another key holds it.
local cur = redis.call('GET', KEYS[1])
if cur == ARGV[1] then
  redis.call('PERSIST', KEYS[1])
  return 1
end
if not cur then
  redis.call('SET', KEYS[1], ARGV[1])
  return 1
end
return 0
