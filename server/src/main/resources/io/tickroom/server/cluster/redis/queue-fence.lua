-- KEYS[1]: the mode's base. ARGV: uid, token. Resolving a queue claim (Claims): 1 when the
-- queue records the token for uid; else fences the token (a late add with it is refused), 0.
if redis.call('HGET', KEYS[1] .. ':qtok', ARGV[1]) == ARGV[2] then return 1 end
redis.call('SET', KEYS[1] .. ':qfence:' .. ARGV[2], '1', 'PX', 3600000)
return 0
