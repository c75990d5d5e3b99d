-- ARGV: id, hostUid, maxAttributes, s, s x (key, value) to set, r, r keys to remove.
-- The host changes the lobby's attributes (the listing index follows in lobby-index.lua).
local host = ARGV[2]
local e = member_of(host)
if e then return e end
if redis.call('HGET', K, 'host') ~= host then return err('FORBIDDEN', 'only the host may change the lobby') end
local attrs = {}
local flat = redis.call('HGETALL', K .. ':attrs')
for i = 1, #flat, 2 do attrs[flat[i]] = flat[i + 1] end
local s = tonumber(ARGV[4])
for i = 0, s - 1 do attrs[ARGV[5 + i * 2]] = ARGV[6 + i * 2] end
local at = 5 + s * 2
for i = 1, tonumber(ARGV[at]) do attrs[ARGV[at + i]] = nil end
local count = 0
for _ in pairs(attrs) do count = count + 1 end
if count > tonumber(ARGV[3]) then
  return err('INVALID', 'a lobby keeps at most ' .. ARGV[3] .. ' attributes, this change makes ' .. count)
end
redis.call('DEL', K .. ':attrs')
for key, value in pairs(attrs) do redis.call('HSET', K .. ':attrs', key, value) end
bump()
return ok(state())
