-- ARGV: id, uid. Returns OK, removed (0/1), state, {uid, token, ...} of the claims to release.
local uid = ARGV[2]
local e = member_of(uid)
if e then return e end
if redis.call('LLEN', K .. ':members') == 1 then
  local last = state()
  return ok('1', last, remove_lobby())
end
local token = unseat(uid)
if redis.call('HGET', K, 'host') == uid then
  redis.call('HSET', K, 'host', redis.call('LINDEX', K .. ':members', 0))
end
bump()
return ok('0', state(), {uid, token})
