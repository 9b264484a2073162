-- The time arithmetic of rate limits and quotas (API.md §8), the Lua twin of core's LimitWindows: UTC calendar
-- periods from Unix seconds, with Howard Hinnant's civil-date algorithms. Numbers are Lua doubles, exact for any
-- Unix time and any balance up to 2^53; n() formats them as integers, because Redis would turn 1e12 into "1e+12".
local function n(x)
  return string.format('%d', x)
end

local function civil_from_days(z)
  z = z + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local y = yoe + era * 400
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local m = mp < 10 and mp + 3 or mp - 9
  if m <= 2 then
    y = y + 1
  end
  return y, m
end

local function days_from_civil(y, m, d)
  if m <= 2 then
    y = y - 1
  end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = m > 2 and m - 3 or m + 9
  local doy = math.floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end

-- The start of the quota period holding t: 00:00 UTC of its day or of the 1st of its month; -1 for 'none'.
local function period_start(t, period)
  if period == 'day' then
    return t - t % 86400
  elseif period == 'month' then
    local y, m = civil_from_days(math.floor(t / 86400))
    return days_from_civil(y, m, 1) * 86400
  end
  return -1
end

-- When a balance of this period next refills; -1 for 'none'.
local function next_period_start(t, period)
  if period == 'day' then
    return t - t % 86400 + 86400
  elseif period == 'month' then
    local y, m = civil_from_days(math.floor(t / 86400))
    if m == 12 then
      return days_from_civil(y + 1, 1, 1) * 86400
    end
    return days_from_civil(y, m + 1, 1) * 86400
  end
  return -1
end

-- Whole seconds from now_ms until the Unix second s, rounded up, at least 1.
local function secs_until(now_ms, s)
  local secs = math.ceil((s * 1000 - now_ms) / 1000)
  if secs < 1 then
    return 1
  end
  return secs
end

-- A balance as it stands at t under (limit, period): a balance never used starts at limit; one whose period ended
-- refills to limit. Returns remaining, period start, sequence, refilled (0/1) and whether it differs from storage.
local function load_balance(key, limit, period, t)
  local b = redis.call('HMGET', key, 'remaining', 'period_start', 'seq')
  local ps = period_start(t, period)
  local seq = tonumber(b[3] or '0')
  if not b[1] then
    return limit, ps, seq, 0, true
  end
  if period ~= 'none' and tonumber(b[2]) < ps then
    return limit, ps, seq, 1, true
  end
  return tonumber(b[1]), tonumber(b[2]), seq, 0, false
end

local function save_balance(key, remaining, ps, seq)
  redis.call('HSET', key, 'remaining', n(remaining), 'period_start', n(ps), 'seq', n(seq))
end
