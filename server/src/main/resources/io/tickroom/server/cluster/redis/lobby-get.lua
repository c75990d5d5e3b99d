-- ARGV: prefix, id
local s = state(ARGV[2])
if not s then return err('NOT_FOUND', 'no lobby ' .. ARGV[2]) end
return ok(s)
