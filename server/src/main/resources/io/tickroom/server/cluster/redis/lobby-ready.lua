-- ARGV: prefix, id, uid, ready (0/1)
local id, uid = ARGV[2], ARGV[3]
local e = member_of(id, uid)
if e then return e end
if ARGV[4] == '1' then redis.call('SADD', lk(id) .. ':ready', uid) else redis.call('SREM', lk(id) .. ':ready', uid) end
bump(id)
return ok(state(id))
