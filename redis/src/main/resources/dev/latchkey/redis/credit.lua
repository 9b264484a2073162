-- An admin change of a key's balance (API.md §8 credits), after any refill due, on Redis TIME; announces it.
-- Prelude: limits-time.lua.
-- KEYS[1] record hash, KEYS[2] balance hash, KEYS[3] operation-id marker
-- ARGV[1] op (increment|decrement|set), ARGV[2] amount, ARGV[3] quota limit, ARGV[4] quota period,
-- ARGV[5] expected sequence ('' = any), ARGV[6] marker time to live in ms, ARGV[7] channel, ARGV[8] event message
-- Returns {1, first outcome} for an operation id seen before, {0, ''} when the key does not exist, else
-- {0, outcome}: "code|remaining|refills at|seq|delta|refilled", code A (applied), B (below zero), M (above the
-- maximum balance, 10^15, which keeps every balance exact in Lua's doubles) or S (stale).
-- Stale outcomes are not remembered.
local seen = redis.call('GET', KEYS[3])
if seen then
  return {1, seen}
end
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {0, ''}
end
local t = tonumber(redis.call('TIME')[1])
local period = ARGV[4]
local rem, ps, seq, refilled, changed = load_balance(KEYS[2], tonumber(ARGV[3]), period, t)
local refills_at = next_period_start(t, period)
local code = 'A'
local delta = 0
if ARGV[5] ~= '' and tonumber(ARGV[5]) ~= seq then
  code = 'S'
else
  local amount = tonumber(ARGV[2])
  local after = amount
  if ARGV[1] == 'increment' then
    after = rem + amount
  elseif ARGV[1] == 'decrement' then
    after = rem - amount
  end
  if after < 0 then
    code = 'B'
  elseif after > 1000000000000000 then
    code = 'M'
  else
    delta = after - rem
    rem = after
    ps = period_start(t, period)
    seq = seq + 1
    changed = true
  end
end
if changed then
  save_balance(KEYS[2], rem, ps, seq)
end
local outcome = table.concat({code, n(rem), n(refills_at), n(seq), n(delta), n(refilled)}, '|')
if code ~= 'S' then
  redis.call('SET', KEYS[3], outcome, 'PX', ARGV[6])
end
if code == 'A' then
  redis.call('PUBLISH', ARGV[7], ARGV[8])
end
return {0, outcome}
