-- ARGV: id, uid, ready (0/1)
local uid = ARGV[2]
local e = member_of(uid)
if e then return e end
if ARGV[3] == '1' then redis.call('SADD', K .. ':ready', uid) else redis.call('SREM', K .. ':ready', uid) end
bump()
return ok(state())
