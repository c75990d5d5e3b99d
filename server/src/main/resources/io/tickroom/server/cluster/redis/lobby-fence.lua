-- ARGV: id, uid, token. Resolving a claim (Claims): 1 when this lobby records the token for uid;
-- otherwise fences the token (a late join or create with it is refused) and returns 0.
if redis.call('HGET', K .. ':tokens', ARGV[2]) == ARGV[3] then return 1 end
redis.call('SET', K .. ':fence:' .. ARGV[3], '1', 'PX', 3600000)
return 0
