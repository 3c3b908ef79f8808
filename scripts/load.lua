-- wrk script for scripts/load.sh: requests the paths listed in a file (one per line, given after
-- `--`), each thread from its own random start, and prints a one-line JSON summary at the end.
local paths = {}
local next_index = 1

function init(args)
  local file = assert(io.open(args[1], "r"), "cannot open the paths file " .. tostring(args[1]))
  for line in file:lines() do
    if line ~= "" then paths[#paths + 1] = line end
  end
  file:close()
  assert(#paths > 0, "the paths file is empty")
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
  next_index = math.random(#paths)
end

function request()
  local path = paths[next_index]
  next_index = next_index % #paths + 1
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local e = summary.errors
  local ms = function(us) return string.format("%.1f", us / 1000) end
  io.write(string.format(
    'LOAD-SUMMARY {"requests":%d,"duration_s":%.1f,"rps":%.1f,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d},' ..
    '"latency_ms":{"p50":%s,"p90":%s,"p95":%s,"p99":%s,"max":%s,"mean":%s}}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    e.connect, e.read, e.write, e.timeout, e.status,
    ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(95)),
    ms(latency:percentile(99)),
    ms(latency.max), ms(latency.mean)))
end
