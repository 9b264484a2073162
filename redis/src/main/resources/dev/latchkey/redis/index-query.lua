-- One page of a scope, newest first, with the exact total.
-- KEYS[1] scope base; ARGV[1] now (us), ARGV[2] offset, ARGV[3] limit, ARGV[4] '1' to file keys under their
-- status at now first (needed when the query filters on active, inactive or expired), ARGV[5] most keys moved per
-- call, ARGV[6..] the set suffixes whose union is the answer ('all' or 'c:<cls>' ...).
-- Returns {'again'} when the status filing is not finished (the caller calls again), else
-- {total, id1, meta1, id2, meta2, ...}.
local base = KEYS[1]
local now = ARGV[1]
local offset, limit = tonumber(ARGV[2]), tonumber(ARGV[3])

local function fmt(x)
  return string.format('%.0f', x)
end

if ARGV[4] == '1' then
  local budget = tonumber(ARGV[5])
  local more = false
  -- Moves up to budget keys whose expiry score is in [min, max] from one class (and its expiry set) to the
  -- other; returns how many it read, so the caller knows whether more may be left.
  local function move(exp_from, exp_to, from, to, min, max)
    local hits = redis.call('ZRANGE', exp_from, min, max, 'BYSCORE', 'LIMIT', 0, budget, 'WITHSCORES')
    for i = 1, #hits, 2 do
      local id, ex = hits[i], hits[i + 1]
      local created = redis.call('ZSCORE', from, id)
      redis.call('ZREM', from, id)
      if created then
        redis.call('ZADD', to, created, id)
      end
      redis.call('ZREM', exp_from, id)
      redis.call('ZADD', exp_to, ex, id)
    end
    return #hits
  end
  for _, st in ipairs({'a', 'i'}) do
    for _, ty in ipairs({'s', 't'}) do
      for _, en in ipairs({'l', 't'}) do
        local cls = st .. ty .. en
        local live, dead = base .. ':c:' .. cls, base .. ':c:x' .. cls
        local due = move(base .. ':e:' .. cls, base .. ':x:' .. cls, live, dead, '-inf', now)
        local back = move(base .. ':x:' .. cls, base .. ':e:' .. cls, dead, live, '(' .. now, '+inf')
        if due >= 2 * budget or back >= 2 * budget then
          more = true
        end
      end
    end
  end
  if more then
    return {'again'}
  end
end

local sets = {}
for i = 6, #ARGV do
  sets[#sets + 1] = base .. ':' .. ARGV[i]
end

local total = 0
for _, s in ipairs(sets) do
  total = total + redis.call('ZCARD', s)
end
local out = {total}
if offset >= total then
  return out
end

local ids = {}
if #sets == 1 then
  ids = redis.call('ZRANGE', sets[1], offset, offset + limit - 1, 'REV')
else
  -- Find s, the score of the element at rank 'offset' in the union (newest first): the smallest score x such
  -- that at most 'offset' elements score above x. Scores are whole microseconds, so a binary search over
  -- integers finds it in about 50 steps of one ZCOUNT per set.
  local function above(x)
    local n = 0
    local bound = '(' .. fmt(x)
    for _, s in ipairs(sets) do
      n = n + redis.call('ZCOUNT', s, bound, '+inf')
    end
    return n
  end
  local lo, hi = nil, nil
  for _, s in ipairs(sets) do
    local first = redis.call('ZRANGE', s, 0, 0, 'WITHSCORES')
    local last = redis.call('ZRANGE', s, -1, -1, 'WITHSCORES')
    if first[2] then
      local f, l = tonumber(first[2]), tonumber(last[2])
      if (not lo) or f < lo then lo = f end
      if (not hi) or l > hi then hi = l end
    end
  end
  local a, b = lo, hi
  while a < b do
    local mid = math.floor((a + b) / 2)
    if above(mid) <= offset then
      b = mid
    else
      a = mid + 1
    end
  end
  local skip = offset - above(a)
  -- Every element of the page is among each set's first skip + limit elements scoring at most s.
  local cand = {}
  for _, s in ipairs(sets) do
    local r = redis.call('ZRANGE', s, fmt(a), '-inf', 'BYSCORE', 'REV', 'LIMIT', 0, skip + limit, 'WITHSCORES')
    for i = 1, #r, 2 do
      cand[#cand + 1] = {tonumber(r[i + 1]), r[i]}
    end
  end
  table.sort(cand, function(x, y)
    if x[1] ~= y[1] then
      return x[1] > y[1]
    end
    return x[2] > y[2]
  end)
  for i = skip + 1, math.min(skip + limit, #cand) do
    ids[#ids + 1] = cand[i][2]
  end
end

local meta = base .. ':meta'
for _, id in ipairs(ids) do
  out[#out + 1] = id
  out[#out + 1] = redis.call('HGET', meta, id) or ''
end
return out
