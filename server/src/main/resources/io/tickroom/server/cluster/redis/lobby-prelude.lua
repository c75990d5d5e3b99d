-- Shared by every lobby script. A script touches one lobby, all on its slot: KEYS[1] is the
-- lobby's hash ({lobby:ID}); :members (join order), :names, :ready, :attrs, :tokens (member ->
-- claim token, see Claims), :fence:<token>, :restored and :awaiting (lobby-restore.lua) sit next to it. ARGV[1] is the lobby id.
-- The user claims, join codes, listing indexes and the lobby count live on other slots and are
-- written by RedisLobbyDirectory around these scripts.
local K = KEYS[1]
local ID = ARGV[1]
local function state()
  local h = redis.call('HMGET', K, 'name', 'mode', 'max', 'priv', 'code', 'host', 'created', 'version')
  if not h[1] then return nil end
  local out = {ID, h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8]}
  local members = redis.call('LRANGE', K .. ':members', 0, -1)
  table.insert(out, tostring(#members))
  for _, uid in ipairs(members) do
    table.insert(out, uid)
    table.insert(out, redis.call('HGET', K .. ':names', uid) or uid)
    table.insert(out, tostring(redis.call('SISMEMBER', K .. ':ready', uid)))
  end
  local attrs = redis.call('HGETALL', K .. ':attrs')
  table.insert(out, tostring(#attrs / 2))
  for _, v in ipairs(attrs) do table.insert(out, v) end
  return out
end
local function is_member(uid) return redis.call('HEXISTS', K .. ':tokens', uid) == 1 end
local function fenced(token) return redis.call('EXISTS', K .. ':fence:' .. token) == 1 end
local function seat(uid, name, token)
  redis.call('HSET', K .. ':names', uid, name)
  redis.call('HSET', K .. ':tokens', uid, token)
  redis.call('SREM', K .. ':awaiting', uid)
end
-- Takes uid out; returns its claim token (for the caller to release).
local function unseat(uid)
  local token = redis.call('HGET', K .. ':tokens', uid)
  redis.call('LREM', K .. ':members', 1, uid)
  redis.call('HDEL', K .. ':names', uid)
  redis.call('HDEL', K .. ':tokens', uid)
  redis.call('SREM', K .. ':ready', uid)
  redis.call('SREM', K .. ':awaiting', uid)
  return token
end
-- Removes the lobby; returns {uid, token, ...} of every member (their claims go).
local function remove_lobby()
  local released = {}
  for _, uid in ipairs(redis.call('LRANGE', K .. ':members', 0, -1)) do
    table.insert(released, uid)
    table.insert(released, redis.call('HGET', K .. ':tokens', uid) or '')
  end
  redis.call('DEL', K, K .. ':members', K .. ':names', K .. ':ready', K .. ':attrs', K .. ':tokens', K .. ':awaiting')
  return released
end
local function bump() redis.call('HINCRBY', K, 'version', 1) end
local function err(reason, message) return {'ERR', reason, message} end
local function ok(...) local t = {'OK'}; for _, v in ipairs({...}) do table.insert(t, v) end; return t end
local function member_of(uid)
  if redis.call('EXISTS', K) == 0 then return err('NOT_FOUND', 'no lobby ' .. ID) end
  if not is_member(uid) then return err('NOT_MEMBER', 'not a member of lobby ' .. ID) end
  return nil
end
