-- ARGV: id, joinCode, uid, name, token. The user's claim on this lobby is taken before this runs:
-- the seat check and the seat are atomic here, on the lobby's slot.
local code, uid = ARGV[2], ARGV[3]
if redis.call('EXISTS', K) == 0 then return err('NOT_FOUND', 'no lobby ' .. ID) end
if is_member(uid) then return err('ALREADY_IN', 'already in this lobby ' .. ID) end
local h = redis.call('HMGET', K, 'priv', 'code', 'max')
if h[1] == '1' and h[2] ~= code then return err('FORBIDDEN', 'private lobby: join with its join_code') end
if code ~= '' and h[2] ~= code then return err('FORBIDDEN', 'join_code does not match lobby ' .. ID) end
if redis.call('LLEN', K .. ':members') >= tonumber(h[3]) then
  return err('FULL', 'lobby is full (' .. h[3] .. ' players)')
end
if fenced(ARGV[5]) then return err('RETRY', 'claim fenced: its node was presumed dead') end
redis.call('RPUSH', K .. ':members', uid)
seat(uid, ARGV[4], ARGV[5])
bump()
return ok(state())
