-- ARGV: prefix, id, joinCode, uid, name
local id, code, uid = ARGV[2], ARGV[3], ARGV[4]
local k = lk(id)
if redis.call('EXISTS', k) == 0 then return err('NOT_FOUND', 'no lobby ' .. id) end
local current = redis.call('GET', P .. 'user:' .. uid .. ':lobby')
if current then
  if current == id then return err('ALREADY_IN', 'already in this lobby ' .. id) end
  return err('ALREADY_IN', 'already in lobby ' .. current)
end
local h = redis.call('HMGET', k, 'priv', 'code', 'max')
if h[1] == '1' and h[2] ~= code then return err('FORBIDDEN', 'private lobby: join with its join_code') end
if code ~= '' and h[2] ~= code then return err('FORBIDDEN', 'join_code does not match lobby ' .. id) end
if redis.call('LLEN', k .. ':members') >= tonumber(h[3]) then
  return err('FULL', 'lobby is full (' .. h[3] .. ' players)')
end
redis.call('RPUSH', k .. ':members', uid)
redis.call('HSET', k .. ':names', uid, ARGV[5])
redis.call('SET', P .. 'user:' .. uid .. ':lobby', id)
bump(id)
reindex(id)
return ok(state(id))
