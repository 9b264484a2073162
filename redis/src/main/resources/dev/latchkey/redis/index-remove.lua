-- Removes a key from a scope.
-- KEYS[1] scope base; ARGV[1] id, ARGV[2] its creation time (us), ARGV[3] '' to remove whatever is filed, or a
-- version: remove only if the filed version is not newer (so a reader's repair never undoes a newer writer's entry)
local base, id = KEYS[1], ARGV[1]
local cls, m, filed = idx_find(base, id, ARGV[2])
if not cls then
  -- An entry of the all-keys set that no class set holds (left by a writer older than that set): drop it too.
  local prefix = id .. ' '
  for _, m in ipairs(redis.call('ZRANGE', base .. ':k', ARGV[2], ARGV[2], 'BYSCORE')) do
    if m == id or string.sub(m, 1, #prefix) == prefix then
      redis.call('ZREM', base .. ':k', m)
    end
  end
  idx_forget_old(base, id)
  return 0
end
if ARGV[3] ~= '' and filed > tonumber(ARGV[3]) then
  return 0
end
idx_unfile(base, cls, m)
idx_forget_old(base, id)
return 1
