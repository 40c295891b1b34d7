-- Search as citizens type it: every query of QUERIES (bench/scenarios/search-queries.txt) and its prefixes (4 characters
-- and more, every 3), over SCOPE:
--   institution  /api/v1/institutions/<random slug of SLUGS>/search?q=…
--   uf           /api/v1/search?uf=<random UF>&q=…
--   national     /api/v1/search?q=…
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local ufs = { "AC", "AL", "AP", "AM", "BA", "CE", "DF", "ES", "GO", "MA", "MT", "MS", "MG", "PA", "PB", "PR", "PE", "PI",
  "RJ", "RN", "RS", "RO", "RR", "SC", "SP", "SE", "TO" }

local function encode(text)
  return (text:gsub("[^%w%-_.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

-- A query and what the box held while it was typed (cut at UTF-8 character boundaries).
local function typed(query)
  local out = { query }
  local starts = {}
  for position in query:gmatch("()[^\128-\191]") do starts[#starts + 1] = position end
  for n = 4, #starts - 1, 3 do
    out[#out + 1] = query:sub(1, starts[n + 1] - 1)
  end
  return out
end

function init(args)
  local scope = os.getenv("SCOPE") or "institution"
  local queries = {}
  for _, query in ipairs(read_lines("QUERIES")) do
    for _, q in ipairs(typed(query)) do queries[#queries + 1] = encode(q) end
  end
  local paths = {}
  if scope == "institution" then
    local slugs = read_lines("SLUGS")
    for i, slug in ipairs(slugs) do
      for j = 1, 8 do
        paths[#paths + 1] = "/api/v1/institutions/" .. slug .. "/search?q=" .. queries[((i * 8 + j) % #queries) + 1]
      end
    end
  elseif scope == "uf" then
    for _, uf in ipairs(ufs) do
      for _, q in ipairs(queries) do paths[#paths + 1] = "/api/v1/search?uf=" .. uf .. "&q=" .. q end
    end
  else
    for _, q in ipairs(queries) do paths[#paths + 1] = "/api/v1/search?q=" .. q end
  end
  random_requests(paths)
end
