-- ARGV: prefix, id, uid. Returns OK, removed (0/1), state.
local id, uid = ARGV[2], ARGV[3]
local e = member_of(id, uid)
if e then return e end
local k = lk(id)
if redis.call('LLEN', k .. ':members') == 1 then
  local last = state(id)
  remove_lobby(id)
  return ok('1', last)
end
redis.call('LREM', k .. ':members', 1, uid)
redis.call('HDEL', k .. ':names', uid)
redis.call('SREM', k .. ':ready', uid)
redis.call('DEL', P .. 'user:' .. uid .. ':lobby')
if redis.call('HGET', k, 'host') == uid then
  redis.call('HSET', k, 'host', redis.call('LINDEX', k .. ':members', 0))
end
bump(id)
reindex(id)
return ok('0', state(id))
