-- The national compliance ranking: a random state (or none) and one of its first five pages, 20 a page.
-- RANKING = a file with one path a line (written by bench/open-data.sh).
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

function init(args)
  random_requests(read_lines("RANKING"))
end
