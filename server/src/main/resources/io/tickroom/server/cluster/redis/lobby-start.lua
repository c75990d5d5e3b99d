-- ARGV: id, hostUid, minPlayers. Removes the lobby (it becomes the match). Returns OK, last state, {uid, token, ...}.
local host = ARGV[2]
local e = member_of(host)
if e then return e end
if redis.call('HGET', K, 'host') ~= host then return err('FORBIDDEN', 'only the host may start the match') end
local n = redis.call('LLEN', K .. ':members')
if n < tonumber(ARGV[3]) then
  return err('NOT_READY', 'needs at least ' .. ARGV[3] .. ' players, has ' .. n)
end
if redis.call('SCARD', K .. ':ready') < n then return err('NOT_READY', 'not every member is ready') end
bump()
local last = state()
return ok(last, remove_lobby())
