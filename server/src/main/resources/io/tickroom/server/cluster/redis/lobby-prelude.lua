-- Shared by every lobby script. Keys live under the prefix in ARGV[1]; the scripts build them
-- (a single Redis, not Redis Cluster: see RedisLobbyDirectory).
local P = ARGV[1]
local function lk(id) return P .. 'lobby:' .. id end
local function state(id)
  local k = lk(id)
  local h = redis.call('HMGET', k, 'name', 'mode', 'max', 'priv', 'code', 'host', 'created', 'version')
  if not h[1] then return nil end
  local out = {id, h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8]}
  local members = redis.call('LRANGE', k .. ':members', 0, -1)
  table.insert(out, tostring(#members))
  for _, uid in ipairs(members) do
    table.insert(out, uid)
    table.insert(out, redis.call('HGET', k .. ':names', uid) or uid)
    table.insert(out, tostring(redis.call('SISMEMBER', k .. ':ready', uid)))
  end
  local attrs = redis.call('HGETALL', k .. ':attrs')
  table.insert(out, tostring(#attrs / 2))
  for _, v in ipairs(attrs) do table.insert(out, v) end
  return out
end
-- Attribute index: one set of lobby ids per (mode, key, value) of the public lobbies, under
-- 'attr:'. Keys are [A-Za-z0-9_.-] and modes [a-z0-9_-], so ':' and '=' delimit unambiguously.
local function ak(mode, key, value) return P .. 'attr:' .. mode .. ':' .. key .. '=' .. value end
local function index_attrs(id, add)
  local k = lk(id)
  local h = redis.call('HMGET', k, 'mode', 'priv')
  if h[2] == '1' then return end
  local attrs = redis.call('HGETALL', k .. ':attrs')
  for i = 1, #attrs, 2 do
    redis.call(add and 'SADD' or 'SREM', ak(h[1], attrs[i], attrs[i + 1]), id)
  end
end
local function reindex(id)
  local k = lk(id)
  local h = redis.call('HMGET', k, 'mode', 'max', 'priv', 'created')
  if h[3] == '1' then return end
  local free = tonumber(h[2]) - redis.call('LLEN', k .. ':members')
  redis.call('ZADD', P .. 'idx:' .. h[1] .. ':newest', tonumber(h[4]), id)
  redis.call('ZADD', P .. 'idx:' .. h[1] .. ':fill', free * 1e13 + (1e13 - tonumber(h[4])), id)
end
local function remove_lobby(id)
  local k = lk(id)
  index_attrs(id, false)
  redis.call('DEL', k .. ':attrs')
  local h = redis.call('HMGET', k, 'mode', 'code')
  for _, uid in ipairs(redis.call('LRANGE', k .. ':members', 0, -1)) do
    redis.call('DEL', P .. 'user:' .. uid .. ':lobby')
  end
  redis.call('DEL', k, k .. ':members', k .. ':names', k .. ':ready', P .. 'code:' .. h[2])
  redis.call('ZREM', P .. 'idx:' .. h[1] .. ':newest', id)
  redis.call('ZREM', P .. 'idx:' .. h[1] .. ':fill', id)
  redis.call('SREM', P .. 'lobbies', id)
end
local function bump(id) redis.call('HINCRBY', lk(id), 'version', 1) end
local function err(reason, message) return {'ERR', reason, message} end
local function ok(...) local t = {'OK'}; for _, v in ipairs({...}) do table.insert(t, v) end; return t end
local function member_of(id, uid)
  if redis.call('EXISTS', lk(id)) == 0 then return err('NOT_FOUND', 'no lobby ' .. id) end
  if redis.call('GET', P .. 'user:' .. uid .. ':lobby') ~= id then
    return err('NOT_MEMBER', 'not a member of lobby ' .. id)
  end
  return nil
end
