-- ARGV: prefix, mode, order (newest|fill), offset, limit. Returns OK, nextOffset (-1 at the end), states...
local key = P .. 'idx:' .. ARGV[2] .. ':' .. ARGV[3]
local offset, limit = tonumber(ARGV[4]), tonumber(ARGV[5])
local ids
if ARGV[3] == 'newest' then
  ids = redis.call('ZREVRANGE', key, offset, offset + limit)
else
  ids = redis.call('ZRANGE', key, offset, offset + limit)
end
local out = {'OK'}
local more = #ids > limit
table.insert(out, more and tostring(offset + limit) or '-1')
for i = 1, math.min(#ids, limit) do
  local s = state(ids[i])
  if s then table.insert(out, s) end
end
return out
