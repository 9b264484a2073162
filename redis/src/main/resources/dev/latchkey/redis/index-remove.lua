-- Removes a key from a scope.
-- KEYS[1] scope base; ARGV[1] id, ARGV[2] '' to remove whatever is filed, or a version: remove only if the filed
-- version is not newer (so a reader's repair never undoes a newer writer's entry)
local base, id = KEYS[1], ARGV[1]
local meta = base .. ':meta'
local cur = redis.call('HGET', meta, id)
if not cur then
  redis.call('ZREM', base .. ':all', id)
  return 0
end
local ver, st, ty, en = idx_parse(cur)
if ARGV[2] ~= '' and ver and ver > tonumber(ARGV[2]) then
  return 0
end
if ver then
  idx_unfile(base, id, st, ty, en)
end
redis.call('HDEL', meta, id)
return 1
