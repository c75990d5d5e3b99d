-- KEYS[1]: the mode's base. ARGV: nodeId, fence, uid... Removes the group iff the lease is still
-- ours and all are queued. Returns {} when not, else {uid, token, ...} (the claims to release).
local M = KEYS[1]
if redis.call('GET', M .. ':lease') ~= ARGV[1] .. ':' .. ARGV[2] then return {} end
for i = 3, #ARGV do
  if not redis.call('ZSCORE', M .. ':qz', ARGV[i]) then return {} end
end
local out = {}
for i = 3, #ARGV do
  table.insert(out, ARGV[i])
  table.insert(out, redis.call('HGET', M .. ':qtok', ARGV[i]) or '')
  redis.call('ZREM', M .. ':qz', ARGV[i])
  redis.call('HDEL', M .. ':qe', ARGV[i])
  redis.call('HDEL', M .. ':qtok', ARGV[i])
end
return out
