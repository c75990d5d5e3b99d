-- The listing index of one mode, on the mode's slot ({mode:NAME}): :newest and :fill (sorted
-- sets of public lobby ids), :attr:<key>=<value> (sets of public lobby ids by attribute) and
-- :lob:<id> (what is indexed for a lobby: its version and attribute entries).
-- KEYS[1]: the mode's base. ARGV: id, version, op (put|del|gone), priv, free, created, n, n x (key, value).
--
-- Why this is its own script, after the lobby's: on Redis Cluster a script touches one slot, and
-- the lobby and its mode's index are on two. The lobby script is the truth (seats, members); the
-- index only says where to look. An index entry can be stale (a node died between the two
-- steps, or two nodes' updates of one lobby arrive here out of order): the version drops an
-- update older than the one indexed, and a listing re-reads every listed lobby on its own slot
-- and drops (and clears here with 'gone') ids whose lobby is missing, so a stale entry costs a
-- browse one extra read, never a wrong answer about a lobby.
local M, id = KEYS[1], ARGV[1]
local v = tonumber(ARGV[2])
local rec = M .. ':lob:' .. id
if ARGV[3] ~= 'gone' then
  local cur = redis.call('HGET', rec, 'v')
  if cur and tonumber(cur) >= v then return 0 end
end
for _, f in ipairs(redis.call('HKEYS', rec)) do
  if string.sub(f, 1, 2) == 'a.' then redis.call('SREM', M .. ':attr:' .. string.sub(f, 3), id) end
end
redis.call('DEL', rec)
if ARGV[3] ~= 'put' or ARGV[4] == '1' then
  redis.call('ZREM', M .. ':newest', id)
  redis.call('ZREM', M .. ':fill', id)
  if ARGV[3] ~= 'gone' then
    -- a tombstone: an older put arriving late does not list the lobby again
    redis.call('HSET', rec, 'v', ARGV[2])
    redis.call('PEXPIRE', rec, 3600000)
  end
  return 1
end
local created = tonumber(ARGV[6])
redis.call('ZADD', M .. ':newest', created, id)
redis.call('ZADD', M .. ':fill', tonumber(ARGV[5]) * 1e13 + (1e13 - created), id)
redis.call('HSET', rec, 'v', ARGV[2])
for i = 0, tonumber(ARGV[7] or '0') - 1 do
  local a = ARGV[8 + i * 2] .. '=' .. ARGV[9 + i * 2]
  redis.call('SADD', M .. ':attr:' .. a, id)
  redis.call('HSET', rec, 'a.' .. a, '1')
end
return 1
