-- An organ as published at a past instant (?at=...): a random one per request.
-- PATHS = bench/results/point-in-time-paths.txt (organ paths with ?at= already on them).
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

function init(args)
  random_requests(read_lines("PATHS"))
end
