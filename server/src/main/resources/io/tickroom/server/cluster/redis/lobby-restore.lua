-- After Redis lost its data: a node writes back a lobby it has local members of.
-- ARGV: prefix, id, name, mode, max, priv, code, host, created, version, n, then n x (uid, name):
-- the members whose sessions are on this node; then m, then m x (uid, name): the members the node
-- last saw, in join order; then a, then a x (key, value): the lobby's attributes (written by the
-- node that recreates it). Restored members are not ready.
--
-- Why the node that recreates the lobby writes back every member it remembers, not only its own:
-- the lobby is listed, joinable and checked for membership from the first write on, while the
-- other nodes write theirs back only once their own bus has reconnected, which may be much later.
-- Recreated with the first writer's members alone, the lobby left everyone else out meanwhile:
-- their chat was answered NOT_FOUND, the host role moved, and a joiner could take a missing
-- member's seat so that the late write-back found none. Remembered members whose node never
-- confirms them are released by the caller (LobbyService.reconcile holds their seats).
-- A node that finds the lobby already back adds only those of its own members still missing, each
-- at its remembered place, and undoes nothing that changed since (a leave, a join, a new host); a
-- lobby removed since it came back (started, closed, left by all) is not recreated: the marker
-- restored:{id} outlives any node's write-back.
local id = ARGV[2]
local k = lk(id)
local n = tonumber(ARGV[11])
local at = 12 + n * 2
local m = tonumber(ARGV[at] or '0')
local remembered, rank, localName = {}, {}, {}
for i = 1, m do
  local uid = ARGV[at + i * 2 - 1]
  remembered[i] = uid
  rank[uid] = i
end
for i = 0, n - 1 do localName[ARGV[12 + i * 2]] = ARGV[13 + i * 2] end
local function can_add(uid)
  return not redis.call('GET', P .. 'user:' .. uid .. ':lobby')
    and redis.call('LLEN', k .. ':members') < tonumber(redis.call('HGET', k, 'max'))
end
local function seat(uid, name)
  redis.call('HSET', k .. ':names', uid, name)
  redis.call('SET', P .. 'user:' .. uid .. ':lobby', id)
end
local added = {}
local marker = P .. 'restored:' .. id
if redis.call('EXISTS', k) == 0 then
  if redis.call('EXISTS', marker) == 1 then return err('NOT_FOUND', 'lobby ' .. id .. ' was removed since it was restored') end
  redis.call('HSET', k, 'name', ARGV[3], 'mode', ARGV[4], 'max', ARGV[5], 'priv', ARGV[6], 'code', ARGV[7],
    'host', ARGV[8], 'created', ARGV[9], 'version', ARGV[10])
  redis.call('SET', P .. 'code:' .. ARGV[7], id)
  redis.call('SADD', P .. 'lobbies', id)
  for i = 1, m do
    local uid = remembered[i]
    if can_add(uid) then
      redis.call('RPUSH', k .. ':members', uid)
      seat(uid, localName[uid] or ARGV[at + i * 2])
      added[uid] = true
    end
  end
  for i = 0, n - 1 do
    local uid = ARGV[12 + i * 2]
    if not rank[uid] and can_add(uid) then
      redis.call('RPUSH', k .. ':members', uid)
      seat(uid, localName[uid])
      added[uid] = true
    end
  end
  local attrsAt = at + 1 + m * 2
  for i = 0, tonumber(ARGV[attrsAt] or '0') - 1 do
    redis.call('HSET', k .. ':attrs', ARGV[attrsAt + 1 + i * 2], ARGV[attrsAt + 2 + i * 2])
  end
  index_attrs(id, true)
else
  -- versions go on increasing past every snapshot a node pushed to its clients
  if tonumber(ARGV[10]) > tonumber(redis.call('HGET', k, 'version')) then
    redis.call('HSET', k, 'version', ARGV[10])
  end
  for i = 0, n - 1 do
    local uid = ARGV[12 + i * 2]
    if can_add(uid) then
      -- before the first member that joined after it (as this node remembers them), else last
      local before = nil
      if rank[uid] then
        for _, other in ipairs(redis.call('LRANGE', k .. ':members', 0, -1)) do
          if rank[other] and rank[other] > rank[uid] then
            before = other
            break
          end
        end
      end
      if before then
        redis.call('LINSERT', k .. ':members', 'BEFORE', before, uid)
      else
        redis.call('RPUSH', k .. ':members', uid)
      end
      seat(uid, localName[uid])
      added[uid] = true
    end
  end
end
local members = redis.call('LRANGE', k .. ':members', 0, -1)
if #members == 0 then
  remove_lobby(id)
  return err('NOT_FOUND', 'nobody to restore')
end
-- the remembered host hosts again when it is written back; otherwise the host stays while a member
local host = redis.call('HGET', k, 'host')
local isMember = false
for _, uid in ipairs(members) do isMember = isMember or uid == host end
if added[ARGV[8]] then host = ARGV[8] elseif not isMember then host = members[1] end
redis.call('HSET', k, 'host', host)
redis.call('SET', marker, '1', 'PX', 600000)
bump(id)
reindex(id)
return ok(state(id))
