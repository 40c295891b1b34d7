-- Single organ, 200: a random published organ per request.
-- PATHS = bench/results/organ-paths.txt (one /api/v1/institutions/{i}/organs/{o} a line).
-- ACCEPT_ENCODING (optional): br or gzip, for the compressed variants.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

function init(args)
  random_requests(read_lines("PATHS"))
end
