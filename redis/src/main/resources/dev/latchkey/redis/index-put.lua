-- Files a key under a scope, unless the scope already holds the same or a newer version of it.
-- KEYS[1] scope base; ARGV[1] id, ARGV[2] version, ARGV[3] status (a|i|b), ARGV[4] type (s|t), ARGV[5] env (l|t),
-- ARGV[6] created (us), ARGV[7] expires (us) or ''
-- New entries go to the live class; the next status query moves them to the expired class if due.
local base, id = KEYS[1], ARGV[1]
local meta = base .. ':meta'
local cur = redis.call('HGET', meta, id)
if cur then
  local ver, st, ty, en = idx_parse(cur)
  if ver and ver >= tonumber(ARGV[2]) then
    return 0
  end
  if ver then
    idx_unfile(base, id, st, ty, en)
  end
end
local cls = ARGV[3] .. ARGV[4] .. ARGV[5]
redis.call('HSET', meta, id, table.concat({ARGV[2], ARGV[3], ARGV[4], ARGV[5]}, '|'))
redis.call('ZADD', base .. ':all', ARGV[6], id)
redis.call('ZADD', base .. ':c:' .. cls, ARGV[6], id)
if ARGV[3] ~= 'b' and ARGV[7] ~= '' then
  redis.call('ZADD', base .. ':e:' .. cls, ARGV[7], id)
end
return 1
