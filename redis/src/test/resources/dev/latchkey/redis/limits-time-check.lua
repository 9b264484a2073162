-- Test only: answers limits-time.lua's functions for each Unix second in ARGV, as
-- {day start, next day, month start, next month, seconds until the next month from t * 1000 + 1 ms} per second.
local out = {}
for i = 1, #ARGV do
  local t = tonumber(ARGV[i])
  out[#out + 1] = n(period_start(t, 'day'))
  out[#out + 1] = n(next_period_start(t, 'day'))
  out[#out + 1] = n(period_start(t, 'month'))
  out[#out + 1] = n(next_period_start(t, 'month'))
  out[#out + 1] = n(secs_until(t * 1000 + 1, next_period_start(t, 'month')))
end
return out
