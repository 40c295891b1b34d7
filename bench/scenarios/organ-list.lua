-- First page of an institution's organ list (20 a page): a random institution per request.
-- SLUGS = bench/results/institution-slugs.txt (one institution slug a line).
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

function init(args)
  random_requests(map(read_lines("SLUGS"), function(slug)
    return "/api/v1/institutions/" .. slug .. "/organs?page=1&pageSize=20"
  end))
end
