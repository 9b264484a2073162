-- One page of a scope, newest first, with the exact total.
-- KEYS[1] scope base; ARGV[1] now (us), ARGV[2] offset, ARGV[3] limit, ARGV[4] '1' to file keys under their
-- status at now first (needed when the query filters on active, inactive or expired), 'k' for a query with no
-- filter (ARGV[6..] is then every class set), else '0'; ARGV[5] most keys moved per call, ARGV[6..] the class sets
-- ('c:<cls>' ...) whose union is the answer.
-- Returns {'again'} when the status filing is not finished (the caller calls again), else
-- {total, member1, score1, member2, score2, ...} with members "<id> <version>" (see index-common.lua), followed by
-- 'copying' while an unfiltered query's all-keys set is still being filled (see below).
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
      local m, ex = hits[i], hits[i + 1]
      local created = redis.call('ZSCORE', from, m)
      redis.call('ZREM', from, m)
      if created then
        redis.call('ZADD', to, created, m)
      end
      redis.call('ZREM', exp_from, m)
      redis.call('ZADD', exp_to, ex, m)
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
local total = 0
for i = 6, #ARGV do
  local s = base .. ':' .. ARGV[i]
  local n = redis.call('ZCARD', s)
  if n > 0 then
    sets[#sets + 1] = s
    total = total + n
  end
end
-- No filter: the all-keys set (see index-common.lua) is the answer, read as one set, once it holds as many keys as
-- the class sets. Every entry it holds is in a class set (put and remove keep both), so then it holds them all.
-- Until then each such query copies up to 2 budgets of class-set entries into it, answers from the class sets and
-- ends its answer with 'copying'; mode 'c' only copies, answering {'copying'} or {'done'}.
local copying = false
if ARGV[4] == 'k' or ARGV[4] == 'c' then
  local all = base .. ':k'
  if redis.call('ZCARD', all) == total then
    if ARGV[4] == 'c' then
      return {'done'}
    end
    sets = total > 0 and {all} or {}
  else
    local cursor = base .. ':kc'
    local si, rank = 6, 0
    local at = redis.call('GET', cursor)
    if at then
      local sp = string.find(at, ' ', 1, true)
      si, rank = tonumber(string.sub(at, 1, sp - 1)), tonumber(string.sub(at, sp + 1))
    end
    local left = 2 * tonumber(ARGV[5])
    while left > 0 and si <= #ARGV do
      local want = math.min(left, 1000)
      local r = redis.call('ZRANGE', base .. ':' .. ARGV[si], rank, rank + want - 1, 'WITHSCORES')
      if #r > 0 then
        local add = {}
        for i = 1, #r, 2 do
          add[i], add[i + 1] = r[i + 1], r[i]
        end
        redis.call('ZADD', all, unpack(add))
      end
      left = left - #r / 2
      if #r / 2 < want then
        si, rank = si + 1, 0
      else
        rank = rank + want
      end
    end
    local n = redis.call('ZCARD', all)
    if n == total then
      redis.call('DEL', cursor)
    elseif si <= #ARGV then
      redis.call('SET', cursor, si .. ' ' .. rank)
    else
      -- A pass is over, short or long. Removals during it shift ranks, so an entry may have been stepped over: the
      -- next call starts another pass. More entries than the class sets means writers older than the set removed
      -- keys: the set is built anew.
      redis.call('DEL', cursor)
      if n > total then
        redis.call('DEL', all)
      end
    end
    copying = n ~= total
    if ARGV[4] == 'c' then
      return {copying and 'copying' or 'done'}
    end
  end
end

local out = {total}
if offset >= total or #sets == 1 then
  if offset < total then
    local r = redis.call('ZRANGE', sets[1], offset, offset + limit - 1, 'REV', 'WITHSCORES')
    for i = 1, #r do
      out[#out + 1] = r[i]
    end
  end
  if copying then
    out[#out + 1] = 'copying'
  end
  return out
end

-- The union, newest first (ties by member, descending). Up to a few hundred elements are skipped by merging; for a
-- deeper offset, first find s, the score of the element at rank 'offset': the smallest score x such that at most
-- 'offset' elements score above x. Scores are whole microseconds, so a binary search over integers finds it in
-- about 40 steps of one ZCOUNT per set; then only 'offset - (elements above s)' ties remain to skip.
local start = '+inf'
local skip = offset
if offset > 256 then
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
    local first = tonumber(redis.call('ZRANGE', s, 0, 0, 'WITHSCORES')[2])
    local last = tonumber(redis.call('ZRANGE', s, -1, -1, 'WITHSCORES')[2])
    if (not lo) or first < lo then lo = first end
    if (not hi) or last > hi then hi = last end
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
  skip = offset - above(a)
  start = fmt(a)
end

-- A k-way merge of the sets from 'start' down, each read in chunks that grow as the set proves to hold the page, but
-- never past what the page still lacks (no set can give more). Each set keeps its last reply as it came (member,
-- score, member, score, ...) and the number and member of its head, so merging allocates nothing per element.
local want = skip + limit
local taken = 0
local n = #sets
local reply, at, read, chunk, more, hs, hm = {}, {}, {}, {}, {}, {}, {}
local function refill(i)
  local count = math.min(chunk[i], want - taken)
  if count < 1 then
    reply[i], at[i], more[i] = {}, 1, false
    return
  end
  local r = redis.call('ZRANGE', sets[i], start, '-inf', 'BYSCORE', 'REV', 'LIMIT', read[i], count, 'WITHSCORES')
  reply[i], at[i] = r, 1
  read[i] = read[i] + #r / 2
  more[i] = #r / 2 == count
  chunk[i] = chunk[i] * 2
end
local function head(i)
  if at[i] > #reply[i] then
    if not more[i] then
      hs[i] = nil
      return
    end
    refill(i)
    if at[i] > #reply[i] then
      hs[i] = nil
      return
    end
  end
  hm[i] = reply[i][at[i]]
  hs[i] = tonumber(reply[i][at[i] + 1])
end
-- heads: the sets that still have elements, ordered by their head (score, then member), the greatest last.
local function less(i, j)
  return hs[i] < hs[j] or (hs[i] == hs[j] and hm[i] < hm[j])
end
local heads = {}
local function insert(i)
  local lo, hi = 1, #heads + 1
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if less(heads[mid], i) then
      lo = mid + 1
    else
      hi = mid
    end
  end
  table.insert(heads, lo, i)
end
local first = math.ceil(want / n) + 8
for i = 1, n do
  read[i], chunk[i] = 0, first
  refill(i)
  head(i)
  if hs[i] then
    insert(i)
  end
end
while taken < want and #heads > 0 do
  local best = heads[#heads]
  heads[#heads] = nil
  taken = taken + 1
  if taken > skip then
    out[#out + 1] = hm[best]
    out[#out + 1] = reply[best][at[best] + 1]
  end
  at[best] = at[best] + 2
  head(best)
  if hs[best] then
    insert(best)
  end
end
if copying then
  out[#out + 1] = 'copying'
end
return out
