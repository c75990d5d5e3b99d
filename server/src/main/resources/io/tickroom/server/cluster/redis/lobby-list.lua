-- ARGV: prefix, mode, order (newest|fill), offset, limit, f, f x (key, value): the filter.
-- Returns OK, nextOffset (-1 at the end), states...
local key = P .. 'idx:' .. ARGV[2] .. ':' .. ARGV[3]
local offset, limit = tonumber(ARGV[4]), tonumber(ARGV[5])
local f = tonumber(ARGV[6] or '0')
local ids
if f > 0 then
  -- the mode's sorted set intersected with one attribute set per filter pair (weight 0: the
  -- score stays the sorted set's). ZINTER costs O(N*K) + O(M*log(M)) for N the smallest input,
  -- K <= 5 inputs and M matches: it grows with the matches of the most selective pair, not with
  -- the directory. The page is cut from the M matches.
  local args = {'ZINTER', f + 1, key}
  for i = 0, f - 1 do table.insert(args, ak(ARGV[2], ARGV[7 + i * 2], ARGV[8 + i * 2])) end
  table.insert(args, 'WEIGHTS')
  table.insert(args, 1)
  for _ = 1, f do table.insert(args, 0) end
  local all = redis.call(unpack(args))
  local n = #all
  ids = {}
  for i = offset + 1, math.min(n, offset + limit + 1) do
    table.insert(ids, ARGV[3] == 'newest' and all[n - i + 1] or all[i])
  end
elseif ARGV[3] == 'newest' then
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
