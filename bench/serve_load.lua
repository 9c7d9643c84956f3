-- serve_load.lua — wrk's requests for bench/serve_load: GET /search round
-- the query list of bench/gen_corpus (the bands: common, middle, rare, two,
-- three, phrase, prefix, morph), each wrk thread from its own starting
-- point. The list is $QUERIES. done() prints one line of figures.
local paths = {}
local function enc(s)
  return (s:gsub("[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end
for line in io.lines(os.getenv("QUERIES")) do
  local q = line:match("^[^#][^\t]*\t(.+)$")
  if q then paths[#paths + 1] = "/search?q=" .. enc(q) end
end
local i = 0
local next_id = 0
function setup(thread)
  thread:set("start", next_id * 37)
  next_id = next_id + 1
end
function init(args)
  i = start or 0
end
function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "wrk: %d requests in %.2f s: %.1f searches/s; latency ms p50 %.2f " ..
    "p90 %.2f p99 %.2f max %.2f mean %.2f; non-2xx %d, socket errors " ..
    "%d (connect %d read %d write %d timeout %d)\n",
    summary.requests, summary.duration / 1e6,
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1e3, latency:percentile(90) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3, latency.mean / 1e3,
    e.status, e.connect + e.read + e.write + e.timeout,
    e.connect, e.read, e.write, e.timeout))
end
