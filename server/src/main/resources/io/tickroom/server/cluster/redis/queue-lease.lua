-- KEYS[1]: the mode's base. ARGV: nodeId, ttlMs. Returns the fencing token if this node holds the lease, else -1.
local M, node = KEYS[1], ARGV[1]
local key = M .. ':lease'
local cur = redis.call('GET', key)
if cur then
  local sep = string.find(cur, ':', 1, true)
  if string.sub(cur, 1, sep - 1) == node then
    redis.call('PEXPIRE', key, tonumber(ARGV[2]))
    return tonumber(string.sub(cur, sep + 1))
  end
  return -1
end
local fence = redis.call('INCR', M .. ':fence')
redis.call('SET', key, node .. ':' .. fence, 'PX', tonumber(ARGV[2]))
return fence
