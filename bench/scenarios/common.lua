-- Shared by the scenario scripts (loaded with dofile from the script's own folder).
-- Each wrk thread has its own Lua state: init() runs once per thread, request() once per request.

local counter = 0

-- Runs in the main state, once per thread before it starts: gives each thread a number for its seed.
function setup(thread)
  counter = counter + 1
  thread:set("thread_id", counter)
end

-- The lines of a file named by an environment variable (blank lines and # comments skipped).
function read_lines(variable)
  local file_name = os.getenv(variable)
  if file_name == nil or file_name == "" then
    error(variable .. " is not set: it must name a file with one URL path (or slug) a line")
  end
  local file, message = io.open(file_name, "r")
  if file == nil then
    error("cannot open " .. variable .. "=" .. file_name .. ": " .. tostring(message))
  end
  local lines = {}
  for line in file:lines() do
    line = line:gsub("^%s+", ""):gsub("%s+$", "")
    if line ~= "" and line:sub(1, 1) ~= "#" then
      lines[#lines + 1] = line
    end
  end
  file:close()
  if #lines == 0 then
    error(file_name .. " has no lines")
  end
  return lines
end

-- Every request pre-formatted once in init(); request() picks one at random (fixed seed per thread,
-- so two runs send the same sequence). ACCEPT_ENCODING, when set, is sent as Accept-Encoding.
function random_requests(paths)
  local headers = nil
  local encoding = os.getenv("ACCEPT_ENCODING")
  if encoding ~= nil and encoding ~= "" then
    headers = { ["Accept-Encoding"] = encoding }
  end
  local requests = {}
  for i, path in ipairs(paths) do
    requests[i] = wrk.format("GET", path, headers)
  end
  local count = #requests
  math.randomseed(20260101 + (thread_id or 0))
  request = function()
    return requests[math.random(count)]
  end
end

-- Maps each line through f (slug -> path, path -> path + suffix).
function map(lines, f)
  local out = {}
  for i, line in ipairs(lines) do
    out[i] = f(line)
  end
  return out
end
