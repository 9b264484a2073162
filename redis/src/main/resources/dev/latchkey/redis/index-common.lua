-- Shared by the index scripts. One scope (all keys, or one tenant's) keeps, under one hash tag (KEYS[1] is the
-- scope's base name; every key below is base .. suffix, so they share a slot):
--   :all        sorted set, every key, score = creation time in microseconds
--   :c:<cls>    sorted set per class, same score; cls = stored status (a|i|b) .. type (s|t) .. environment (l|t),
--               or 'x' .. cls for keys with a live class whose expires_at had passed at the last status query
--   :e:<cls>    sorted set of live-class keys with an expiry, score = expires_at in microseconds
--   :x:<cls>    the same for keys currently filed under 'x' .. cls
--   :meta       hash id -> "version|status|type|env": the record version and class it is filed at
local function idx_parse(v)
  local ver, st, ty, en = string.match(v, '^(%d+)|(%a)|(%a)|(%a)')
  return tonumber(ver), st, ty, en
end

local function idx_unfile(base, id, st, ty, en)
  local cls = st .. ty .. en
  redis.call('ZREM', base .. ':all', id)
  redis.call('ZREM', base .. ':c:' .. cls, id)
  if st ~= 'b' then
    redis.call('ZREM', base .. ':c:x' .. cls, id)
    redis.call('ZREM', base .. ':e:' .. cls, id)
    redis.call('ZREM', base .. ':x:' .. cls, id)
  end
end
