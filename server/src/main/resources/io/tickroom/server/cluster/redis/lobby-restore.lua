-- After Redis lost its data: a node writes back a lobby it has local members of.
-- ARGV: prefix, id, name, mode, max, priv, code, host, created, version, n, then n x (uid, name),
-- then m and m uids: the member order the node last saw (restored members are kept in it),
-- then a and a x (key, value): the lobby's attributes (written by the node that recreates it).
-- The first node to restore a lobby recreates it; each node adds its own members (not ready), as
-- long as they are in no other lobby and there is a seat. The host must be a member: when the
-- remembered host is not (yet) back, the longest-standing restored member hosts until it is.
local id = ARGV[2]
local k = lk(id)
if redis.call('EXISTS', k) == 0 then
  redis.call('HSET', k, 'name', ARGV[3], 'mode', ARGV[4], 'max', ARGV[5], 'priv', ARGV[6], 'code', ARGV[7],
    'host', ARGV[8], 'created', ARGV[9], 'version', ARGV[10])
  redis.call('SET', P .. 'code:' .. ARGV[7], id)
  redis.call('SADD', P .. 'lobbies', id)
  local n, m = tonumber(ARGV[11]), tonumber(ARGV[12 + tonumber(ARGV[11]) * 2] or '0')
  local at = 13 + n * 2 + m
  for i = 0, tonumber(ARGV[at] or '0') - 1 do
    redis.call('HSET', k .. ':attrs', ARGV[at + 1 + i * 2], ARGV[at + 2 + i * 2])
  end
  index_attrs(id, true)
end
local max = tonumber(redis.call('HGET', k, 'max'))
local n = tonumber(ARGV[11])
for i = 0, n - 1 do
  local uid, name = ARGV[12 + i * 2], ARGV[13 + i * 2]
  if not redis.call('GET', P .. 'user:' .. uid .. ':lobby') and redis.call('LLEN', k .. ':members') < max then
    redis.call('RPUSH', k .. ':members', uid)
    redis.call('HSET', k .. ':names', uid, name)
    redis.call('SET', P .. 'user:' .. uid .. ':lobby', id)
  end
end
local at = 12 + n * 2
local rank = {}
for i = 1, tonumber(ARGV[at] or '0') do rank[ARGV[at + i]] = i end
local members = redis.call('LRANGE', k .. ':members', 0, -1)
local pos = {}
for i, uid in ipairs(members) do pos[uid] = (rank[uid] or (1000000 + i)) end
table.sort(members, function(a, b) return pos[a] < pos[b] end)
redis.call('DEL', k .. ':members')
if #members > 0 then redis.call('RPUSH', k .. ':members', unpack(members)) end
-- the remembered host hosts again once restored; until then the longest-standing member does
local host = redis.call('HGET', k, 'host')
if pos[ARGV[8]] then host = ARGV[8] elseif not pos[host] then host = members[1] end
if host then redis.call('HSET', k, 'host', host) end
if #members == 0 then
  remove_lobby(id)
  return err('NOT_FOUND', 'nobody to restore')
end
bump(id)
reindex(id)
return ok(state(id))
