-- wrk script for `make bench` (scripts/bench.py): each request asks for a line drawn at
-- random from the file named by BENCH_PATHS. A line is a path, or a path, a tab and the
-- Cookie header to send with it (a member drawn at random). Lines may repeat: a path on
-- many lines is asked for more often, which is how the skewed files make hot threads.
-- BENCH_FRESH, when set, adds fresh=<it>-<thread>-<n>, a parameter no request had before,
-- so no cached page can answer. BENCH_SEED makes the draws the same from run to run.
local lines = {}
local fresh = os.getenv("BENCH_FRESH") or ""
local seed = tonumber(os.getenv("BENCH_SEED") or "1")
local made = 0
local count = 0

function setup(thread)
  made = made + 1
  thread:set("id", made)
end

function init(args)
  for line in io.lines(os.getenv("BENCH_PATHS")) do
    local path, cookie = line:match("^([^\t]+)\t(.+)$")
    lines[#lines + 1] = { path = path or line, cookie = cookie }
  end
  math.randomseed(seed * 7919 + id)
end

function request()
  local line = lines[math.random(#lines)]
  local path = line.path
  if fresh ~= "" then
    count = count + 1
    local joiner = path:find("?", 1, true) and "&" or "?"
    path = path .. joiner .. "fresh=" .. fresh .. "-" .. id .. "-" .. count
  end
  if line.cookie then
    local headers = {}
    for name, value in pairs(wrk.headers) do headers[name] = value end
    headers["Cookie"] = line.cookie
    return wrk.format(nil, path, headers)
  end
  return wrk.format(nil, path)
end
