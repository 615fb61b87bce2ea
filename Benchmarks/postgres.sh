#!/usr/bin/env bash
# The durable pipeline on PostgreSQL, with 1 and 2 hosts, beside a plain `FOR UPDATE SKIP LOCKED`
# job queue doing trivial work on the same throwaway cluster, in the same run (issue #13).
#
#   EVENTS=100000 Benchmarks/postgres.sh          (BIN=path/to/cashback; default the release build)
#
# The anchor, a plain job queue: the event lines are published as jobs in the same chunks of
# 1,000 that the hosts are sent, one transaction a chunk; two pgbench clients then consume them
# one job a transaction (take it with SKIP LOCKED, delete it, write a result row: "trivial
# work"). A batched variant is measured beside it for reference: one COPY of every line, then
# 100 jobs a transaction. Ours: 1 host, `enqueue` then `process`; 2 hosts, two `serve`
# processes taking half the events each as NDJSON batches of 1,000, concurrently, timed until
# the queue is empty. Figures are events per second over the whole (load + processing).
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${EVENTS:-100000}
BIN=${BIN:-.build/release/cashback}
# serve takes batches of 256 by default, so that on SQLite an ingest commit waits less for a
# batch; on PostgreSQL ingest does not wait for batches, and larger ones cost fewer round trips.
SERVE_BATCH=${SERVE_BATCH:-2048}
[ -x "$BIN" ] || { echo "build first: swift build -c release --product cashback" >&2; exit 2; }
work=$(mktemp -d /tmp/cashback-pgbench.XXXXXX)
read -r url pid dir < <(scripts/postgres-throwaway | paste -sd' ')
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  scripts/postgres-throwaway --stop "$pid" "$dir"
  rm -rf "$work"
}
trap cleanup EXIT
base=${url%/postgres}
now() { date +%s.%N; }
rate() { python3 -c "print(round($EVENTS / ($2 - $1)))"; }

"$BIN" generate --out "$work/g" --partners 1000 --accounts 100000 --events "$EVENTS" --seed 1 >/dev/null
echo "events: $EVENTS (1,000 partners, 100,000 accounts); PostgreSQL $(psql "$url" -XAtc 'SHOW server_version')"

split -l 1000 -d -a 5 "$work/g/events.jsonl" "$work/chunk."
chunks=("$work"/chunk.*)
PGPASSWORD=${url#*:*:}; PGPASSWORD=${PGPASSWORD%%@*}
port=${base##*:}
psql "$url" -qXc "CREATE DATABASE plain" -c "CREATE DATABASE batched" -c "CREATE DATABASE one" -c "CREATE DATABASE two"

# The anchors. anchor DATABASE LOAD JOBS-PER-TRANSACTION: publish (LOAD is "chunks" or "copy"),
# then consume with two clients; prints "load/s consume/s whole/s".
anchor() {
  local database=$1 load=$2 per=$3 start loaded done_at left
  psql "$base/$database" -qX <<'SQL'
CREATE TABLE jobs (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE results (job_id BIGINT PRIMARY KEY, done_at TIMESTAMPTZ NOT NULL);
SQL
  cat >"$work/consume.sql" <<SQL
WITH taken AS (
  DELETE FROM jobs WHERE id IN (SELECT id FROM jobs ORDER BY id FOR UPDATE SKIP LOCKED LIMIT $per) RETURNING id)
INSERT INTO results SELECT id, now() FROM taken;
SQL
  local copy="(body) FROM '%s' WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')"
  if [ "$load" = chunks ]; then
    for chunk in "${chunks[@]}"; do printf "\\copy jobs $copy\n" "$chunk"; done >"$work/publish.sql"
  else
    printf "\\copy jobs $copy\n" "$work/g/events.jsonl" >"$work/publish.sql"
  fi
  start=$(now)
  psql "$base/$database" -qX -f "$work/publish.sql"
  loaded=$(now)
  PGPASSWORD=$PGPASSWORD pgbench -n -h 127.0.0.1 -p "$port" -U cashback -f "$work/consume.sql" -c 2 -j 2 \
    -t $(((EVENTS + 2 * per - 1) / (2 * per))) "$database" >/dev/null
  done_at=$(now)
  left=$(psql "$base/$database" -XAtc "SELECT COUNT(*) FROM jobs")
  [ "$left" = 0 ] || { echo "the $database anchor left $left jobs" >&2; exit 1; }
  echo "$(rate "$start" "$loaded") $(rate "$loaded" "$done_at") $(rate "$start" "$done_at")"
}
read -r load consume anchor < <(anchor plain chunks 1)
echo "anchor, plain SKIP LOCKED queue (chunks of 1,000 published, 1 job a transaction): publish $load/s, consume $consume/s, whole $anchor events/s"
read -r load consume batched < <(anchor batched copy 100)
echo "for reference, batched (one COPY, 100 jobs a transaction): publish $load/s, consume $consume/s, whole $batched events/s"

# Ours, one host.
start=$(now)
"$BIN" enqueue --db "$base/one" "$work/g/events.jsonl" >/dev/null
enqueued=$(now)
"$BIN" process --db "$base/one" --rules "$work/g/rules" 2>/dev/null
done_at=$(now)
one=$(rate "$start" "$done_at")
echo "cashback, 1 host: enqueue $(rate "$start" "$enqueued")/s, process $(rate "$enqueued" "$done_at")/s, whole $one events/s"

# Ours, two hosts.
for host in 0 1; do
  "$BIN" serve --db "$base/two" --rules "$work/g/rules" --listen "127.0.0.1:0" --batch-size "$SERVE_BATCH" >"$work/serve$host.out" 2>"$work/serve$host.log" &
  pids+=($!)
done
ports=()
for host in 0 1; do
  for _ in $(seq 1 100); do grep -q "listening on" "$work/serve$host.out" && break; sleep 0.1; done
  ports+=("$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$work/serve$host.out")")
done
post() {
  local port=$1; shift
  for file in "$@"; do
    curl -sf -o /dev/null -XPOST -H 'content-type: application/x-ndjson' --data-binary @"$file" "127.0.0.1:$port/v1/events"
  done
}
half=$(((${#chunks[@]} + 1) / 2))
start=$(now)
post "${ports[0]}" "${chunks[@]:0:$half}" &
first=$!
post "${ports[1]}" "${chunks[@]:$half}" &
second=$!
wait "$first" "$second"
posted=$(now)
until [ "$(psql "$base/two" -XAtc "SELECT COUNT(*) FROM queue WHERE seq > (SELECT processed_through FROM progress)")" = 0 ] \
  && [ "$(psql "$base/two" -XAtc "SELECT COUNT(*) FROM queue")" = "$EVENTS" ]; do sleep 0.05; done
done_at=$(now)
two=$(rate "$start" "$done_at")
echo "cashback, 2 hosts: ingest $(rate "$start" "$posted")/s, whole $two events/s"
# Failover: kill -9 the leader, post one more event to the other host, time until it is processed.
leader=0
curl -s "127.0.0.1:${ports[1]}/readyz" | grep -q '"leading":true' && leader=1
survivor=$((1 - leader))
kill -9 "${pids[$leader]}"
killed=$(now)
tail -1 "$work/g/events.jsonl" | sed 's/"id":"[^"]*"/"id":"after-the-kill"/' \
  | curl -sf -o /dev/null -XPOST -H 'content-type: application/x-ndjson' --data-binary @- "127.0.0.1:${ports[$survivor]}/v1/events"
until [ "$(psql "$base/two" -XAtc "SELECT COUNT(*) FROM decisions WHERE event_id = 'after-the-kill'")" != 0 ]; do sleep 0.05; done
echo "failover: an event posted after kill -9 of the leader was processed $(python3 -c "print(round($(now) - $killed, 2))") s after the kill"
python3 -c "print(f'ratio to the plain anchor: 1 host {$one / $anchor:.2f}x, 2 hosts {$two / $anchor:.2f}x')"
python3 -c "print(f'ratio to the batched one: 1 host {$one / $batched:.2f}x, 2 hosts {$two / $batched:.2f}x')"
