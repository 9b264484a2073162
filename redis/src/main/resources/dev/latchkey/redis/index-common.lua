-- Shared by the index scripts. One scope (all keys, or one tenant's) keeps, under one hash tag (KEYS[1] is the
-- scope's base name; every key below is base .. suffix, so they share a slot):
--   :c:<cls>    sorted set per class, score = creation time in microseconds; cls = stored status (a|i|b) ..
--               type (s|t) .. environment (l|t), or 'x' .. cls for keys with a live class whose expires_at had passed
--               when they were filed or at the last status query
--   :e:<cls>    sorted set of live-class keys with an expiry, score = expires_at in microseconds
--   :x:<cls>    the same for keys currently filed under 'x' .. cls
--   :k          every key of the scope once, with the member of its class set, score = creation time: an unfiltered
--               page is one ZRANGE of it. Put and remove keep it; keys filed before it existed are copied in by the
--               unfiltered query (index-query.lua), which reads it only while it holds as many keys as the class sets
--   :kc         where that copying stands ("<class number> <rank>"), while it runs
-- A key's member in every set is "<id> <version>": the version it is filed at travels with it, so the scope needs no
-- id -> version hash. A space sorts before every id character, so ties in score still sort by id. The layout before
-- #20 had members "<id>" (read as version 0, so the next read re-files them), a ':all' set and a ':meta' hash; both
-- lose a key's entry whenever it is filed or unfiled here.
local IDX_CLASSES = {}
for _, st in ipairs({'a', 'i', 'b', 'xa', 'xi'}) do
  for _, ty in ipairs({'s', 't'}) do
    for _, en in ipairs({'l', 't'}) do
      IDX_CLASSES[#IDX_CLASSES + 1] = st .. ty .. en
    end
  end
end

-- Finds a key's entry among the members scored at its creation time (which never changes): returns its class,
-- member and filed version, or nil.
local function idx_find(base, id, created)
  local prefix = id .. ' '
  for _, cls in ipairs(IDX_CLASSES) do
    local hits = redis.call('ZRANGE', base .. ':c:' .. cls, created, created, 'BYSCORE')
    for _, m in ipairs(hits) do
      if m == id then
        return cls, m, 0
      end
      if string.sub(m, 1, #prefix) == prefix then
        return cls, m, tonumber(string.sub(m, #prefix + 1)) or 0
      end
    end
  end
  return nil
end

local function idx_unfile(base, cls, m)
  redis.call('ZREM', base .. ':c:' .. cls, m)
  redis.call('ZREM', base .. ':k', m)
  local live = cls
  if string.sub(cls, 1, 1) == 'x' then
    live = string.sub(cls, 2)
  end
  if string.sub(live, 1, 1) ~= 'b' then
    redis.call('ZREM', base .. ':e:' .. live, m)
    redis.call('ZREM', base .. ':x:' .. live, m)
  end
end

-- Drops what the layout before #20 kept for the id outside the class sets.
local function idx_forget_old(base, id)
  redis.call('ZREM', base .. ':all', id)
  redis.call('HDEL', base .. ':meta', id)
end
