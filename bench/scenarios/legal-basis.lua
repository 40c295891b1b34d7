-- One legal basis with the organs and competences citing it: a random one per request.
-- PATHS = bench/results/legal-basis-paths.txt (one /api/v1/institutions/{i}/legal-bases/{l} a line).
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

function init(args)
  random_requests(read_lines("PATHS"))
end
