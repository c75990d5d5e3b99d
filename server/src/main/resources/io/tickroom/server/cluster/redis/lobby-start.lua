-- ARGV: prefix, id, hostUid, minPlayers. Removes the lobby (it becomes the match).
local id, host = ARGV[2], ARGV[3]
local e = member_of(id, host)
if e then return e end
local k = lk(id)
if redis.call('HGET', k, 'host') ~= host then return err('FORBIDDEN', 'only the host may start the match') end
local n = redis.call('LLEN', k .. ':members')
if n < tonumber(ARGV[4]) then
  return err('NOT_READY', 'needs at least ' .. ARGV[4] .. ' players, has ' .. n)
end
if redis.call('SCARD', k .. ':ready') < n then return err('NOT_READY', 'not every member is ready') end
bump(id)
local last = state(id)
remove_lobby(id)
return ok(last)
