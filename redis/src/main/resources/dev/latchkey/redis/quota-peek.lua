-- Reads a key's balance as a charge would see it now (a refill due is shown, not written). Prelude: limits-time.lua.
-- KEYS[1] record hash, KEYS[2] balance hash; ARGV[1] quota limit, ARGV[2] quota period
-- Returns {} when the key does not exist, else {remaining, refills at (-1 for none), sequence} as text.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {}
end
local t = tonumber(redis.call('TIME')[1])
local rem, ps, seq = load_balance(KEYS[2], tonumber(ARGV[1]), ARGV[2], t)
return {n(rem), n(next_period_start(t, ARGV[2])), n(seq)}
