-- ARGV: prefix, uid
local P, uid = ARGV[1], ARGV[2]
local mode = redis.call('GET', P .. 'qm:user:' .. uid)
if not mode then return 0 end
redis.call('ZREM', P .. 'qm:' .. mode .. ':z', uid)
redis.call('HDEL', P .. 'qm:' .. mode .. ':e', uid)
redis.call('DEL', P .. 'qm:user:' .. uid)
return 1
