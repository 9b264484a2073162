-- Charges one request against a key's rate limit and quota, both or neither (API.md §8), on Redis TIME.
-- Prelude: limits-time.lua.
-- KEYS[1] record hash (must exist), KEYS[2] rate window hash, KEYS[3] balance hash, KEYS[4] request-id marker
-- ARGV[1] cost, ARGV[2] rate limit (0 = none), ARGV[3] rate period seconds, ARGV[4] quota limit (0 = none),
-- ARGV[5] quota period (day|month|none), ARGV[6] marker time to live in ms
-- Returns {1, first verdict} when the request id was charged before (nothing is charged now), {0, ''} when the key
-- does not exist, else {0, verdict} where a verdict is
-- "code|retry|rate left|rate reset s|window end|quota left|refills at|spent last|refilled|time s|time us|seq"
-- with code A (admitted), R (rate limited), Q (quota exceeded) or X (credits exhausted).
local seen = redis.call('GET', KEYS[4])
if seen then
  return {1, seen}
end
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {0, ''}
end
local tm = redis.call('TIME')
local t = tonumber(tm[1])
local us = tonumber(tm[2])
local now_ms = t * 1000 + math.floor(us / 1000)
local cost = tonumber(ARGV[1])
local code = 'A'
local retry = 0

local rl = tonumber(ARGV[2])
local rp = tonumber(ARGV[3])
local left, ws, wend, count = 0, 0, 0, 0
if rl > 0 then
  ws = t - t % rp
  wend = ws + rp
  local w = redis.call('HMGET', KEYS[2], 'start', 'period', 'count')
  if w[1] and tonumber(w[1]) == ws and tonumber(w[2]) == rp then
    count = tonumber(w[3])
  end
  left = math.max(0, rl - count)
  if cost > left then
    code = 'R'
    retry = secs_until(now_ms, wend)
  end
end

local ql = tonumber(ARGV[4])
local qp = ARGV[5]
local rem, ps, seq, refilled, changed = 0, 0, 0, 0, false
local refills_at = -1
if ql > 0 then
  rem, ps, seq, refilled, changed = load_balance(KEYS[3], ql, qp, t)
  refills_at = next_period_start(t, qp)
  if code == 'A' and cost > rem then
    if qp == 'none' then
      code = 'X'
    else
      code = 'Q'
      retry = secs_until(now_ms, refills_at)
    end
  end
end

local spent_last = 0
if code == 'A' then
  if rl > 0 then
    redis.call('HSET', KEYS[2], 'start', n(ws), 'period', n(rp), 'count', n(count + cost))
    redis.call('PEXPIREAT', KEYS[2], n(wend * 1000 + 1000))
    left = left - cost
  end
  if ql > 0 and cost > 0 then
    if rem > 0 and rem == cost then
      spent_last = 1
    end
    rem = rem - cost
    changed = true
  end
end
if changed then
  save_balance(KEYS[3], rem, ps, seq)
end
local reset = 0
if rl > 0 then
  reset = secs_until(now_ms, wend)
end
local verdict = table.concat({code, n(retry), n(left), n(reset), n(wend), n(rem), n(refills_at), n(spent_last),
  n(refilled), n(t), n(us), n(seq)}, '|')
redis.call('SET', KEYS[4], verdict, 'PX', ARGV[6])
return {0, verdict}
