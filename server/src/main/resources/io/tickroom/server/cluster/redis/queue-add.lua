-- KEYS[1]: the mode's base ({mode:NAME}): :qz (by arrival), :qe (entries), :qtok (claim tokens).
-- ARGV: uid, name, rating, sinceMs, nodeId, maxQueued, token. The user's claim ({user:ID}:queued,
-- see Claims) is taken before this runs.
local M, uid = KEYS[1], ARGV[1]
if redis.call('ZSCORE', M .. ':qz', uid) then return 'ALREADY_QUEUED' end
if redis.call('EXISTS', M .. ':qfence:' .. ARGV[7]) == 1 then return 'RETRY' end
if redis.call('ZCARD', M .. ':qz') >= tonumber(ARGV[6]) then return 'FULL' end
redis.call('ZADD', M .. ':qz', tonumber(ARGV[4]), uid)
redis.call('HSET', M .. ':qe', uid, ARGV[2] .. '\t' .. ARGV[3] .. '\t' .. ARGV[4] .. '\t' .. ARGV[5])
redis.call('HSET', M .. ':qtok', uid, ARGV[7])
return 'ADDED'
