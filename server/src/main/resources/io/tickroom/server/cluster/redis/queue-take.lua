-- ARGV: prefix, mode, nodeId, fence, uid... Removes the group iff the lease is still ours and all are queued.
local P, mode = ARGV[1], ARGV[2]
if redis.call('GET', P .. 'qm:' .. mode .. ':lease') ~= ARGV[3] .. ':' .. ARGV[4] then return 0 end
for i = 5, #ARGV do
  if not redis.call('ZSCORE', P .. 'qm:' .. mode .. ':z', ARGV[i]) then return 0 end
end
for i = 5, #ARGV do
  redis.call('ZREM', P .. 'qm:' .. mode .. ':z', ARGV[i])
  redis.call('HDEL', P .. 'qm:' .. mode .. ':e', ARGV[i])
  redis.call('DEL', P .. 'qm:user:' .. ARGV[i])
end
return 1
