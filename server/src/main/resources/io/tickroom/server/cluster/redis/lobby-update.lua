-- ARGV: prefix, id, hostUid, maxAttributes, s, s x (key, value) to set, r, r keys to remove.
-- The host changes the lobby's attributes; the attribute index follows.
local id, host = ARGV[2], ARGV[3]
local e = member_of(id, host)
if e then return e end
local k = lk(id)
if redis.call('HGET', k, 'host') ~= host then return err('FORBIDDEN', 'only the host may change the lobby') end
local attrs = {}
local flat = redis.call('HGETALL', k .. ':attrs')
for i = 1, #flat, 2 do attrs[flat[i]] = flat[i + 1] end
local s = tonumber(ARGV[5])
for i = 0, s - 1 do attrs[ARGV[6 + i * 2]] = ARGV[7 + i * 2] end
local at = 6 + s * 2
for i = 1, tonumber(ARGV[at]) do attrs[ARGV[at + i]] = nil end
local count = 0
for _ in pairs(attrs) do count = count + 1 end
if count > tonumber(ARGV[4]) then
  return err('INVALID', 'a lobby keeps at most ' .. ARGV[4] .. ' attributes, this change makes ' .. count)
end
index_attrs(id, false)
redis.call('DEL', k .. ':attrs')
for key, value in pairs(attrs) do redis.call('HSET', k .. ':attrs', key, value) end
index_attrs(id, true)
bump(id)
return ok(state(id))
