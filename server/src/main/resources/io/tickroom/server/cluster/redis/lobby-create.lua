-- ARGV: prefix, id, name, mode, max, priv, code, hostUid, hostName, createdMs, maxLobbies, n, n x (key, value)
local id, uid = ARGV[2], ARGV[8]
local current = redis.call('GET', P .. 'user:' .. uid .. ':lobby')
if current then return err('ALREADY_IN', 'already in lobby ' .. current) end
if redis.call('SCARD', P .. 'lobbies') >= tonumber(ARGV[11]) then
  return err('LIMIT_REACHED', 'the directory holds its maximum of ' .. ARGV[11] .. ' lobbies')
end
if redis.call('EXISTS', lk(id)) == 1 or redis.call('EXISTS', P .. 'code:' .. ARGV[7]) == 1 then
  return err('RETRY', 'id or join code taken')
end
local k = lk(id)
redis.call('HSET', k, 'name', ARGV[3], 'mode', ARGV[4], 'max', ARGV[5], 'priv', ARGV[6], 'code', ARGV[7],
  'host', uid, 'created', ARGV[10], 'version', 1)
redis.call('RPUSH', k .. ':members', uid)
redis.call('HSET', k .. ':names', uid, ARGV[9])
redis.call('SET', P .. 'user:' .. uid .. ':lobby', id)
redis.call('SET', P .. 'code:' .. ARGV[7], id)
redis.call('SADD', P .. 'lobbies', id)
for i = 0, tonumber(ARGV[12] or '0') - 1 do
  redis.call('HSET', k .. ':attrs', ARGV[13 + i * 2], ARGV[14 + i * 2])
end
index_attrs(id, true)
reindex(id)
return ok(state(id))
