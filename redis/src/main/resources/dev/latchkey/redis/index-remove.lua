-- Removes a key from a scope.
-- KEYS[1] scope base; ARGV[1] id, ARGV[2] its creation time (us), ARGV[3] '' to remove whatever is filed, or a
-- version: remove only if the filed version is not newer (so a reader's repair never undoes a newer writer's entry)
local base, id = KEYS[1], ARGV[1]
local cls, m, filed = idx_find(base, id, ARGV[2])
if not cls then
  idx_forget_old(base, id)
  return 0
end
if ARGV[3] ~= '' and filed > tonumber(ARGV[3]) then
  return 0
end
idx_unfile(base, cls, m)
idx_forget_old(base, id)
return 1
