-- ARGV: prefix, stream, version (-1 for none), body. Returns {seq, listeners}; seq 0 when dropped.
local P, stream = ARGV[1], ARGV[2]
local channel = P .. 'ch:' .. stream
local listeners = redis.call('PUBSUB', 'NUMSUB', channel)[2]
if listeners == 0 then return {0, 0} end
local v = tonumber(ARGV[3])
if v >= 0 then
  local key = P .. 'ver:' .. stream
  local last = redis.call('GET', key)
  if last and tonumber(last) >= v then return {0, listeners} end
  redis.call('SET', key, ARGV[3], 'EX', 86400)
end
local seq = redis.call('INCR', P .. 'seq:' .. stream)
redis.call('PUBLISH', channel, seq .. '\n' .. ARGV[4])
return {seq, listeners}
