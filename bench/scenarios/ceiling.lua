-- The ceiling: a constant body of CEILING_BYTES bytes with an organ's headers (benchmark build only,
-- dotnet build src/Api -p:PacoBench=true). The read scenarios' requests/s are divided by this one's.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local bytes = tonumber(os.getenv("CEILING_BYTES") or "")
if bytes == nil or bytes < 1 then
  error("CEILING_BYTES (the average organ document size in bytes) must be set")
end
wrk.method = "GET"
wrk.path = "/bench/ceiling/" .. math.floor(bytes)
