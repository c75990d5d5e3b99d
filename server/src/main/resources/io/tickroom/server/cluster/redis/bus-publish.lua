-- ARGV: prefix, stream, version (-1 for none), body, replay depth, replay ttl ms.
-- Returns {seq, listeners}; seq 0 when dropped. A numbered push is also appended to the
-- stream's replay log (entry id = seq), so resume finds exactly what was delivered.
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
local log = P .. 'log:' .. stream
local added = redis.pcall('XADD', log, 'MAXLEN', '~', ARGV[5], seq .. '-1', 'b', ARGV[4])
if type(added) == 'table' and added.err then
  -- an older log of this stream with higher ids (its counter was reset): start the log again
  redis.call('DEL', log)
  redis.call('XADD', log, 'MAXLEN', '~', ARGV[5], seq .. '-1', 'b', ARGV[4])
end
redis.call('PEXPIRE', log, ARGV[6])
redis.call('PUBLISH', channel, seq .. '\n' .. ARGV[4])
return {seq, listeners}
