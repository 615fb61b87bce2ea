-- 100 payments per request as JSON Lines, each with a unique id: b<thread>-<counter>-<n>.
local counter = 0
local prefix = "b"
local threads = {}

function setup(thread)
  thread:set("prefix", "b" .. tostring(#threads + 1))
  table.insert(threads, thread)
end

function init(args)
  prefix = wrk.thread:get("prefix")
end

request = function()
  counter = counter + 1
  local lines = {}
  for n = 1, 100 do
    local cents = 100 + ((counter * 100 + n) * 7919) % 30000
    lines[n] = string.format(
      '{"id":"%s-%d-%d","account":"b%d","occurred_at":"2026-11-%02dT11:%02d:00Z","amount":"%d.%02d","currency":"EUR","merchant":{"mid":"S%dB"}}',
      prefix, counter, n, (counter + n) % 5000, 1 + n % 28, n % 60, math.floor(cents / 100), cents % 100, (counter + n) % 97)
  end
  return wrk.format("POST", nil, { ["Content-Type"] = "application/x-ndjson", ["Authorization"] = "Bearer " .. os.getenv("CASHBACK_TOKEN") }, table.concat(lines, "\n"))
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors_status=%d errors_connect=%d errors_read=%d errors_write=%d errors_timeout=%d p50_ms=%.2f p99_ms=%.2f seconds=%.2f\n",
    summary.requests, summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.duration / 1e6))
end
