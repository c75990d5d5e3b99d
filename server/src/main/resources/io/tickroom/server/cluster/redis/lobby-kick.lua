-- ARGV: id, hostUid, targetUid. Returns OK, state, {target, token}.
local host, target = ARGV[2], ARGV[3]
local e = member_of(host)
if e then return e end
if redis.call('HGET', K, 'host') ~= host then return err('FORBIDDEN', 'only the host may kick') end
if host == target then return err('FORBIDDEN', 'the host cannot kick itself; leave instead') end
if not is_member(target) then return err('NOT_MEMBER', target .. ' is not in lobby ' .. ID) end
local token = unseat(target)
bump()
return ok(state(), {target, token})
