-- Settles a claim once the key's record carries the hash: the entry stays for good (until released).
-- KEYS[1] imported-hash entry; ARGV[1] key id
-- Returns 1 when the entry is (still) ours, 0 when another key holds it.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PERSIST', KEYS[1])
  return 1
end
return 0
