-- One payment per request, each with a unique id: <thread>-<counter>.
local counter = 0
local prefix = "t"
local threads = {}

function setup(thread)
  thread:set("prefix", "t" .. tostring(#threads + 1))
  table.insert(threads, thread)
end

function init(args)
  prefix = wrk.thread:get("prefix")
end

request = function()
  counter = counter + 1
  local cents = 100 + (counter * 7919) % 30000
  local body = string.format(
    '{"id":"%s-%d","account":"a%d","occurred_at":"2026-11-%02dT10:%02d:00Z","amount":"%d.%02d","currency":"EUR","merchant":{"mid":"S%dA","country":"FR"}}',
    prefix, counter, counter % 5000, 1 + counter % 28, counter % 60, math.floor(cents / 100), cents % 100, counter % 97)
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("CASHBACK_TOKEN") }, body)
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors_status=%d errors_connect=%d errors_read=%d errors_write=%d errors_timeout=%d p50_ms=%.2f p99_ms=%.2f seconds=%.2f\n",
    summary.requests, summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.duration / 1e6))
end
