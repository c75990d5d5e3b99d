-- ARGV: id, name, mode, max, priv, code, hostUid, hostName, createdMs, token, n, n x (key, value)
-- The id is reserved in {lobbies}, the code in {code:C} and the host's claim taken before this runs.
local uid = ARGV[7]
if redis.call('EXISTS', K) == 1 then return err('RETRY', 'id or join code taken') end
if fenced(ARGV[10]) then return err('RETRY', 'claim fenced: its node was presumed dead') end
redis.call('HSET', K, 'name', ARGV[2], 'mode', ARGV[3], 'max', ARGV[4], 'priv', ARGV[5], 'code', ARGV[6],
  'host', uid, 'created', ARGV[9], 'version', 1)
redis.call('RPUSH', K .. ':members', uid)
seat(uid, ARGV[8], ARGV[10])
for i = 0, tonumber(ARGV[11] or '0') - 1 do
  redis.call('HSET', K .. ':attrs', ARGV[12 + i * 2], ARGV[13 + i * 2])
end
return ok(state())
