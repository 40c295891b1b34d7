-- The whole organ hierarchy of a random institution per request.
-- SLUGS = bench/results/institution-slugs.txt.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

function init(args)
  random_requests(map(read_lines("SLUGS"), function(slug)
    return "/api/v1/institutions/" .. slug .. "/organs/tree"
  end))
end
