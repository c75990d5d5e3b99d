-- After Redis lost its data: a node writes back a lobby it has local members of.
-- ARGV: id, name, mode, max, priv, code, host, created, version, n, then n x (uid, name, token):
-- the members whose sessions are on this node; then m, then m x (uid, name, token): the members
-- the node last saw, in join order; then a, then a x (key, value): the lobby's attributes
-- (written by the node that recreates it). A token is the member's claim (Claims), taken by the
-- caller before this runs, '' when the member could not be claimed (it is in another lobby), or
-- 'BUSY' when another node's write-back of this lobby holds its claim: only claimed members are
-- seated. Restored members are not ready. Returns OK, state, {uid...} seated now (the caller
-- commits their claims and releases the rest).
--
-- :awaiting. A write-back that recreates the lobby while another node's write-back holds some
-- members' claims cannot seat them; it lists them in :awaiting. The node holding such a claim
-- then seats that member even though the lobby is back (where otherwise a node adds only its own
-- members): nothing about the member can have changed since, because nobody can seat a member
-- whose claim another write-back holds, so this undoes no leave. A join or leave of the member
-- takes it off the list.
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
-- :restored outlives any node's write-back.
local n = tonumber(ARGV[10])
local at = 11 + n * 3
local m = tonumber(ARGV[at] or '0')
local remembered, rank, localName, token = {}, {}, {}, {}
for i = 1, m do
  local uid = ARGV[at + i * 3 - 2]
  remembered[i] = uid
  rank[uid] = i
  token[uid] = ARGV[at + i * 3]
end
for i = 0, n - 1 do
  localName[ARGV[11 + i * 3]] = ARGV[12 + i * 3]
  token[ARGV[11 + i * 3]] = ARGV[13 + i * 3]
end
local function can_add(uid)
  local t = token[uid]
  return t ~= nil and t ~= '' and t ~= 'BUSY' and not is_member(uid) and not fenced(t)
    and redis.call('LLEN', K .. ':members') < tonumber(redis.call('HGET', K, 'max'))
end
local added, seated = {}, {}
local function add(uid, name, before)
  if before then
    redis.call('LINSERT', K .. ':members', 'BEFORE', before, uid)
  else
    redis.call('RPUSH', K .. ':members', uid)
  end
  seat(uid, name, token[uid])
  added[uid] = true
  table.insert(seated, uid)
  redis.call('SREM', K .. ':awaiting', uid)
end
local marker = K .. ':restored'
if redis.call('EXISTS', K) == 0 then
  if redis.call('EXISTS', marker) == 1 then return err('NOT_FOUND', 'lobby ' .. ID .. ' was removed since it was restored') end
  redis.call('HSET', K, 'name', ARGV[2], 'mode', ARGV[3], 'max', ARGV[4], 'priv', ARGV[5], 'code', ARGV[6],
    'host', ARGV[7], 'created', ARGV[8], 'version', ARGV[9])
  for i = 1, m do
    local uid = remembered[i]
    if can_add(uid) then
      add(uid, localName[uid] or ARGV[at + i * 3 - 1], nil)
    elseif token[uid] == 'BUSY' then
      redis.call('SADD', K .. ':awaiting', uid)
      redis.call('PEXPIRE', K .. ':awaiting', 600000)
    end
  end
  for i = 0, n - 1 do
    local uid = ARGV[11 + i * 3]
    if not rank[uid] and can_add(uid) then add(uid, localName[uid], nil) end
  end
  local attrsAt = at + 1 + m * 3
  for i = 0, tonumber(ARGV[attrsAt] or '0') - 1 do
    redis.call('HSET', K .. ':attrs', ARGV[attrsAt + 1 + i * 2], ARGV[attrsAt + 2 + i * 2])
  end
else
  -- versions go on increasing past every snapshot a node pushed to its clients
  if tonumber(ARGV[9]) > tonumber(redis.call('HGET', K, 'version')) then
    redis.call('HSET', K, 'version', ARGV[9])
  end
  local adding = {}
  for i = 0, n - 1 do adding[#adding + 1] = ARGV[11 + i * 3] end
  -- remembered members another write-back awaited while this one held their claims
  for i = 1, m do
    local uid = remembered[i]
    if not localName[uid] and redis.call('SISMEMBER', K .. ':awaiting', uid) == 1 then
      adding[#adding + 1] = uid
      localName[uid] = ARGV[at + i * 3 - 1]
    end
  end
  for _, uid in ipairs(adding) do
    if can_add(uid) then
      -- before the first member that joined after it (as this node remembers them), else last
      local before = nil
      if rank[uid] then
        for _, other in ipairs(redis.call('LRANGE', K .. ':members', 0, -1)) do
          if rank[other] and rank[other] > rank[uid] then
            before = other
            break
          end
        end
      end
      add(uid, localName[uid], before)
    end
  end
end
local members = redis.call('LRANGE', K .. ':members', 0, -1)
if #members == 0 then
  remove_lobby()
  return err('NOT_FOUND', 'nobody to restore')
end
-- the remembered host hosts again when it is written back; otherwise the host stays while a member
local host = redis.call('HGET', K, 'host')
local isMember = false
for _, uid in ipairs(members) do isMember = isMember or uid == host end
if added[ARGV[7]] then host = ARGV[7] elseif not isMember then host = members[1] end
redis.call('HSET', K, 'host', host)
redis.call('SET', marker, '1', 'PX', 600000)
bump()
return ok(state(), seated)
