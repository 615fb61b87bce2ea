#!/usr/bin/env bash
# Crash safety at scale: generate EVENTS (default 200,000) events, enqueue them, start
# `cashback process` and kill it with SIGKILL KILLS times (default 5) mid-run, each time once
# it has committed more, then finish with a last run and compare `decisions` with `dry-run`:
# byte for byte equal means nothing lost and nothing applied twice.
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${EVENTS:-200000}
KILLS=${KILLS:-5}
swift build -c release --product cashback >&2
binary=$PWD/.build/release/cashback
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
"$binary" generate --out . --partners 1000 --accounts 50000 --events "$EVENTS" --seed 3 >/dev/null
"$binary" enqueue --db q.sqlite events.jsonl
depth() { python3 -c "import sqlite3; db = sqlite3.connect('q.sqlite'); print(db.execute('SELECT COUNT(*) FROM queue WHERE seq > (SELECT processed_through FROM progress)').fetchone()[0])"; }
for kill in $(seq 1 "$KILLS"); do
  before=$(depth)
  "$binary" process --db q.sqlite --rules rules --batch-size 512 2>/dev/null &
  pid=$!
  while kill -0 "$pid" 2>/dev/null && [ "$(depth)" -eq "$before" ]; do sleep 0.05; done
  sleep 0.$((RANDOM % 9 + 1))
  kill -9 "$pid" 2>/dev/null && echo "kill $kill: SIGKILL with $(depth) of $EVENTS events still queued"
  wait "$pid" 2>/dev/null || true
done
"$binary" process --db q.sqlite --rules rules 2>/dev/null
"$binary" decisions --db q.sqlite > decisions.jsonl
"$binary" dry-run --format json --rules rules events.jsonl > dry-run.jsonl
if cmp -s decisions.jsonl dry-run.jsonl; then
  echo "after $KILLS kills and a final run: $(wc -l < decisions.jsonl) decisions, byte for byte equal to dry-run"
else
  echo "FAILED: decisions differ from dry-run" >&2
  exit 1
fi
