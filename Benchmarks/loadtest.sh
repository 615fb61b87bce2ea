#!/usr/bin/env bash
# Load test of `cashback serve` on this machine's loopback, rerunnable by anyone:
#   0. the anchor: the same single-payment phase as 1. against a bare Hummingbird server that only
#      reads the body (Benchmarks/Tools/BareServer), started, measured and stopped first,
#   1. 1,000 concurrent connections post single payments for $SINGLE_SECONDS (default 30),
#   2. then 50 connections post JSON Lines batches of 100 payments for $BATCH_SECONDS (15),
# then it waits for the queue to drain and verifies that every accepted event was processed
# exactly once. Reports accepted/s, processed/s, p50/p99 latency, errors and peak RSS, and the
# ratio of serve's single-payment accepted/s to the bare server's 2xx requests/s (issue #11 asks
# for at least 0.5). Fails if the bare server had any error.
# Needs wrk (apt-get install wrk). Traffic goes to 127.0.0.1 only; runs are bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."
SINGLE_SECONDS=${SINGLE_SECONDS:-30}
BATCH_SECONDS=${BATCH_SECONDS:-15}
CONNECTIONS=${CONNECTIONS:-1000}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
ulimit -n 65536 2>/dev/null || true

swift build -c release --product cashback >&2
binary=$PWD/.build/release/cashback
swift build -c release --product BareServer --package-path Benchmarks >&2
bare_binary="$(swift build -c release --show-bin-path --package-path Benchmarks)/BareServer"
work=$(mktemp -d)
# Only the servers started so far: `kill -9 0` would kill this script's whole process group.
trap 'for p in ${pid:-} ${bare_pid:-}; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
"$binary" generate --out "$work" --partners 100 --events 1 >/dev/null
export CASHBACK_TOKEN=load-test-token
# The port a server printed on its `listening on 127.0.0.1:PORT` line (empty after 10 s without one).
listening_port() {
  for _ in $(seq 1 100); do grep -q "listening on" "$1" 2>/dev/null && break; sleep 0.1; done
  sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$1" | head -1
}
# The single-payment phase, the same for the bare server and the service.
single_phase() { wrk -t2 -c"$CONNECTIONS" -d"${SINGLE_SECONDS}s" --timeout 10s -s Benchmarks/load/single.lua "$1" | grep '^RESULT'; }
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

# The anchor first, alone on the machine: the bare server, then stopped before the service starts.
"$bare_binary" 0 >"$work/bare.out" 2>"$work/bare.err" &
bare_pid=$!
bare_port=$(listening_port "$work/bare.out")
[ -n "$bare_port" ] || { echo "FAILED: the bare server did not start: $(cat "$work/bare.err")" >&2; exit 1; }
echo "bare server pid $bare_pid on port $bare_port"
bare=$(single_phase "http://127.0.0.1:$bare_port/v1/events")
kill -TERM "$bare_pid" 2>/dev/null || true  # one that died already is told by its exit status
wait "$bare_pid" && bare_status=0 || bare_status=$?
unset bare_pid

"$binary" serve --rules "$work/rules" --db "$work/load.sqlite" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
port=$(listening_port "$work/serve.out")
url="http://127.0.0.1:$port/v1/events"
echo "service pid $pid on port $port; machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"

started=$(date +%s.%N)
single=$(single_phase "$url")
batch=$(wrk -t2 -c50 -d"${BATCH_SECONDS}s" --timeout 10s -s Benchmarks/load/batch.lua "$url" | grep '^RESULT')

# Wait for the scheduler to drain the queue.
until curl -s "http://127.0.0.1:$port/readyz" | grep -q '"queue_depth":0'; do sleep 0.2; done
drained=$(date +%s.%N)
rss_kb=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
kill -TERM "$pid"
wait "$pid" && status=0 || status=$?

bare_ok=$(( $(field "$bare" requests) - $(field "$bare" errors_status) ))
single_ok=$(( $(field "$single" requests) - $(field "$single" errors_status) ))
batch_ok=$(( $(field "$batch" requests) - $(field "$batch" errors_status) ))
accepted=$(( single_ok + batch_ok * 100 ))
read -r queued decisions distinct <<<"$(python3 - "$work/load.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT COUNT(*) FROM queue").fetchone()[0],
      db.execute("SELECT COUNT(*) FROM decisions").fetchone()[0],
      db.execute("SELECT COUNT(DISTINCT event_id) FROM decisions").fetchone()[0])
PY
)"
elapsed=$(echo "$drained - $started" | bc -l)
bare_rate=$(echo "$bare_ok / $(field "$bare" seconds)" | bc -l)
single_rate=$(echo "$single_ok / $(field "$single" seconds)" | bc -l)
bare_errors=$(( $(field "$bare" errors_status) + $(field "$bare" errors_connect) + $(field "$bare" errors_read) + $(field "$bare" errors_write) + $(field "$bare" errors_timeout) ))
echo "bare Hummingbird (reads the body only), single payments, $CONNECTIONS connections, ${SINGLE_SECONDS}s: $(field "$bare" requests) requests, $(printf %.0f "$bare_rate") requests/s with 2xx, p50 $(field "$bare" p50_ms) ms, p99 $(field "$bare" p99_ms) ms, errors: status $(field "$bare" errors_status) connect $(field "$bare" errors_connect) read $(field "$bare" errors_read) write $(field "$bare" errors_write) timeout $(field "$bare" errors_timeout); exit status after SIGTERM: $bare_status"
echo "single payments, $CONNECTIONS connections, ${SINGLE_SECONDS}s: $(field "$single" requests) requests, $(printf %.0f "$single_rate") accepted/s, p50 $(field "$single" p50_ms) ms, p99 $(field "$single" p99_ms) ms, errors: status $(field "$single" errors_status) connect $(field "$single" errors_connect) read $(field "$single" errors_read) write $(field "$single" errors_write) timeout $(field "$single" errors_timeout)"
echo "NDJSON batches of 100, 50 connections, ${BATCH_SECONDS}s: $(field "$batch" requests) requests, $(printf %.0f "$(echo "$batch_ok * 100 / $(field "$batch" seconds)" | bc -l)") events/s accepted, p50 $(field "$batch" p50_ms) ms, p99 $(field "$batch" p99_ms) ms, errors: status $(field "$batch" errors_status) connect $(field "$batch" errors_connect) read $(field "$batch" errors_read) write $(field "$batch" errors_write) timeout $(field "$batch" errors_timeout)"
echo "accepted $accepted events; queued $queued; decisions $decisions for $distinct distinct ids; all processed after $(printf %.1f "$elapsed") s: $(printf %.0f "$(echo "$accepted / $elapsed" | bc -l)") processed/s overall"
if [ "$bare_ok" -gt 0 ]; then
  echo "serve / bare Hummingbird: $(printf %.2f "$(echo "$single_rate / $bare_rate" | bc -l)")×"
else
  echo "serve / bare Hummingbird: none (the bare server answered no request with 2xx)"
fi
echo "peak RSS $(( rss_kb / 1024 )) MB; exit status after SIGTERM: $status"
bare_failed=0
if [ "$bare_errors" -ne 0 ] || [ "$bare_ok" -le 0 ] || [ "$bare_status" -ne 0 ]; then
  echo "FAILED: the bare server must answer every request with 2xx, with no connect, read, write or timeout error, and exit 0 after SIGTERM" >&2
  bare_failed=1
fi
# wrk stops counting at the deadline, so requests in flight then were stored but not counted:
# the queue may hold more than the client saw acknowledged, never less.
if [ "$accepted" -gt "$queued" ] || [ "$decisions" -ne "$queued" ] || [ "$distinct" -ne "$queued" ] || [ "$status" -ne 0 ]; then
  echo "FAILED: every accepted event must be processed exactly once and the service must exit 0" >&2
  exit 1
fi
echo "verified: all $queued stored events (the $accepted acknowledged ones among them) processed exactly once"
[ "$bare_failed" -eq 0 ] || exit 1
