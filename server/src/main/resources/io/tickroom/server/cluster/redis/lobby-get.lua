-- ARGV: id
local s = state()
if not s then return err('NOT_FOUND', 'no lobby ' .. ID) end
return ok(s)
