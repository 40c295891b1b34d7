-- An organ's published revision history (first page): a random organ per request.
-- PATHS = bench/results/organ-paths.txt; "/revisions" is appended to each.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

function init(args)
  random_requests(map(read_lines("PATHS"), function(path)
    return path .. "/revisions"
  end))
end
