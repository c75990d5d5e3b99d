-- ARGV: prefix, id, hostUid, targetUid
local id, host, target = ARGV[2], ARGV[3], ARGV[4]
local e = member_of(id, host)
if e then return e end
local k = lk(id)
if redis.call('HGET', k, 'host') ~= host then return err('FORBIDDEN', 'only the host may kick') end
if host == target then return err('FORBIDDEN', 'the host cannot kick itself; leave instead') end
if redis.call('GET', P .. 'user:' .. target .. ':lobby') ~= id then
  return err('NOT_MEMBER', target .. ' is not in lobby ' .. id)
end
redis.call('LREM', k .. ':members', 1, target)
redis.call('HDEL', k .. ':names', target)
redis.call('SREM', k .. ':ready', target)
redis.call('DEL', P .. 'user:' .. target .. ':lobby')
bump(id)
reindex(id)
return ok(state(id))
