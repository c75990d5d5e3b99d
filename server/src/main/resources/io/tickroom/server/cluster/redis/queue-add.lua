-- ARGV: prefix, mode, uid, name, rating, sinceMs, nodeId, maxQueued
local P, mode, uid = ARGV[1], ARGV[2], ARGV[3]
if redis.call('EXISTS', P .. 'qm:user:' .. uid) == 1 then return 'ALREADY_QUEUED' end
if redis.call('ZCARD', P .. 'qm:' .. mode .. ':z') >= tonumber(ARGV[8]) then return 'FULL' end
redis.call('ZADD', P .. 'qm:' .. mode .. ':z', tonumber(ARGV[6]), uid)
redis.call('HSET', P .. 'qm:' .. mode .. ':e', uid, ARGV[4] .. '\t' .. ARGV[5] .. '\t' .. ARGV[6] .. '\t' .. ARGV[7])
redis.call('SET', P .. 'qm:user:' .. uid, mode)
return 'ADDED'
