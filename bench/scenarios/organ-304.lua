-- Single organ, 304: always the same organ, revalidated with its current ETag (no body).
-- PATH = one organ path; ETAG = its ETag header value, quotes included (run.sh fetches it with curl).
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local path = os.getenv("PATH_304")
local etag = os.getenv("ETAG")
if path == nil or path == "" or etag == nil or etag == "" then
  error("PATH_304 (an organ path) and ETAG (its ETag, with the quotes) must be set")
end
wrk.method = "GET"
wrk.path = path
wrk.headers["If-None-Match"] = etag
