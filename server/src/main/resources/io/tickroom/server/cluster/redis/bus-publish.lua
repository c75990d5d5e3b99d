-- KEYS[1]: the stream's base ({stream}); its :seq, :log, :ver and :ch sit on its slot.
-- ARGV: version (-1 for none), body, replay depth, replay ttl ms, mode (classic|sharded).
-- Returns {seq, listeners}; seq 0 when dropped. A numbered push is also appended to the
-- stream's replay log (entry id = seq), so resume finds exactly what was delivered. On Redis
-- Cluster the channel is a shard channel (SPUBLISH): it costs the stream's shard only.
local K = KEYS[1]
local channel = K .. ':ch'
local sharded = ARGV[5] == 'sharded'
local listeners = redis.call('PUBSUB', sharded and 'SHARDNUMSUB' or 'NUMSUB', channel)[2]
if listeners == 0 then return {0, 0} end
local v = tonumber(ARGV[1])
if v >= 0 then
  local key = K .. ':ver'
  local last = redis.call('GET', key)
  if last and tonumber(last) >= v then return {0, listeners} end
  redis.call('SET', key, ARGV[1], 'EX', 86400)
end
local seq = redis.call('INCR', K .. ':seq')
local log = K .. ':log'
local added = redis.pcall('XADD', log, 'MAXLEN', '~', ARGV[3], seq .. '-1', 'b', ARGV[2])
if type(added) == 'table' and added.err then
  -- an older log of this stream with higher ids (its counter was reset): start the log again
  redis.call('DEL', log)
  redis.call('XADD', log, 'MAXLEN', '~', ARGV[3], seq .. '-1', 'b', ARGV[2])
end
redis.call('PEXPIRE', log, ARGV[4])
redis.call(sharded and 'SPUBLISH' or 'PUBLISH', channel, seq .. '\n' .. ARGV[2])
return {seq, listeners}
