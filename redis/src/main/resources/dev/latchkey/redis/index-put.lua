-- Files a key under a scope, unless the scope already holds the same or a newer version of it.
-- KEYS[1] scope base; ARGV[1] id, ARGV[2] version, ARGV[3] class (status a|i|b .. type s|t .. env l|t),
-- ARGV[4] created (us), ARGV[5] expires (us) or ''
-- A key with a live status whose expiry has passed by Redis TIME is filed as expired at once, so that a bulk load
-- leaves no filing to the first status query; a query with an earlier now moves it back.
local base, id = KEYS[1], ARGV[1]
local cls, m, filed = idx_find(base, id, ARGV[4])
if cls then
  if filed >= tonumber(ARGV[2]) then
    return 0
  end
  idx_unfile(base, cls, m)
end
idx_forget_old(base, id)
local member = id .. ' ' .. ARGV[2]
local live = ARGV[3]
redis.call('ZADD', base .. ':k', ARGV[4], member)
if string.sub(live, 1, 1) ~= 'b' and ARGV[5] ~= '' then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
  if tonumber(ARGV[5]) <= now then
    redis.call('ZADD', base .. ':c:x' .. live, ARGV[4], member)
    redis.call('ZADD', base .. ':x:' .. live, ARGV[5], member)
  else
    redis.call('ZADD', base .. ':c:' .. live, ARGV[4], member)
    redis.call('ZADD', base .. ':e:' .. live, ARGV[5], member)
  end
else
  redis.call('ZADD', base .. ':c:' .. live, ARGV[4], member)
end
return 1
