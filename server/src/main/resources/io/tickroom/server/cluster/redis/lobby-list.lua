-- One page of a mode's public lobby ids, on the mode's slot. KEYS[1]: the mode's base.
-- ARGV: order (newest|fill), offset, limit, f, f x (key, value): the filter.
-- Returns OK, nextOffset (-1 at the end), ids... (the caller reads each lobby on its own slot).
-- Attribute keys are [A-Za-z0-9_.-] and modes [a-z0-9_-], so '=' delimits unambiguously.
local M = KEYS[1]
local key = M .. ':' .. ARGV[1]
local offset, limit = tonumber(ARGV[2]), tonumber(ARGV[3])
local f = tonumber(ARGV[4] or '0')
local ids
if f > 0 then
  -- the mode's sorted set intersected with one attribute set per filter pair (weight 0: the
  -- score stays the sorted set's). ZINTER costs O(N*K) + O(M*log(M)) for N the smallest input,
  -- K <= 5 inputs and M matches: it grows with the matches of the most selective pair, not with
  -- the directory. The page is cut from the M matches.
  local args = {'ZINTER', f + 1, key}
  for i = 0, f - 1 do table.insert(args, M .. ':attr:' .. ARGV[5 + i * 2] .. '=' .. ARGV[6 + i * 2]) end
  table.insert(args, 'WEIGHTS')
  table.insert(args, 1)
  for _ = 1, f do table.insert(args, 0) end
  local all = redis.call(unpack(args))
  local n = #all
  ids = {}
  for i = offset + 1, math.min(n, offset + limit + 1) do
    table.insert(ids, ARGV[1] == 'newest' and all[n - i + 1] or all[i])
  end
elseif ARGV[1] == 'newest' then
  ids = redis.call('ZREVRANGE', key, offset, offset + limit)
else
  ids = redis.call('ZRANGE', key, offset, offset + limit)
end
local out = {'OK'}
local more = #ids > limit
table.insert(out, more and tostring(offset + limit) or '-1')
for i = 1, math.min(#ids, limit) do table.insert(out, ids[i]) end
return out
