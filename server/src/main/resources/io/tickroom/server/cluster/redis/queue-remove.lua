-- KEYS[1]: the mode's base. ARGV: uid. 1 when it was queued here (and is not now), else 0.
local M, uid = KEYS[1], ARGV[1]
redis.call('HDEL', M .. ':qtok', uid)
if redis.call('ZREM', M .. ':qz', uid) == 0 then return 0 end
redis.call('HDEL', M .. ':qe', uid)
return 1
