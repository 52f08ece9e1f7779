-- wrk script for the check-in benchmark.
-- Arguments (after "--"): tickets file (one code a line; empty = plain GET), thread count, token.
-- Thread k sends tickets k, k+T, k+2T, ...: every request in the run carries a distinct ticket.
-- done() prints one line "BENCH_JSON {...}" with counts per HTTP status and latency percentiles.

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local tickets = {}
local step = 1
local k = 0
local plain = true
status = {}
exhausted = 0

function init(args)
  local path = args[1] or ""
  step = tonumber(args[2] or "1") or 1
  local token = args[3] or ""
  if path ~= "" then
    plain = false
    for line in io.lines(path) do
      if line ~= "" then tickets[#tickets + 1] = line end
    end
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
    if token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end
  end
end

function request()
  if plain then return wrk.format() end
  local i = tid + k * step + 1
  k = k + 1
  if i > #tickets then
    exhausted = 1
    wrk.thread:stop()
    i = #tickets
  end
  return wrk.format(nil, nil, nil, '{"code": "' .. tickets[i] .. '"}')
end

function response(code, headers, body)
  status[code] = (status[code] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  local ex = 0
  for _, thread in ipairs(threads) do
    local s = thread:get("status")
    for code, n in pairs(s) do merged[code] = (merged[code] or 0) + n end
    ex = ex + (thread:get("exhausted") or 0)
  end
  local parts = {}
  for code, n in pairs(merged) do parts[#parts + 1] = string.format('"%d": %d', code, n) end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}, ' ..
    '"status": {%s}, "exhausted": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.timeout, e.status, table.concat(parts, ", "), ex))
end
