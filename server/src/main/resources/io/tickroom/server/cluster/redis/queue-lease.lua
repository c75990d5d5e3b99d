-- ARGV: prefix, mode, nodeId, ttlMs. Returns the fencing token if this node holds the lease, else -1.
local P, mode, node = ARGV[1], ARGV[2], ARGV[3]
local key = P .. 'qm:' .. mode .. ':lease'
local cur = redis.call('GET', key)
if cur then
  local sep = string.find(cur, ':', 1, true)
  if string.sub(cur, 1, sep - 1) == node then
    redis.call('PEXPIRE', key, tonumber(ARGV[4]))
    return tonumber(string.sub(cur, sep + 1))
  end
  return -1
end
local fence = redis.call('INCR', P .. 'qm:' .. mode .. ':fence')
redis.call('SET', key, node .. ':' .. fence, 'PX', tonumber(ARGV[4]))
return fence
