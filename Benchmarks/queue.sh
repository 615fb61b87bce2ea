#!/usr/bin/env bash
# Durable queue benchmark: `cashback enqueue` and `cashback process` on a synthetic stream
# (1,000 partners, 100,000 accounts, EVENTS events, seed 1), then the raw SQLite ceiling: the
# same number of rows of the same average size, inserted in transactions of the size a
# 2048-event batch writes, through GRDB with the store's pragmas (Benchmarks/Tools/RawInsert).
#
#   Benchmarks/queue.sh                  # 1,000,000 events (~4 min on 2 cores, plus the builds)
#   EVENTS=100000 Benchmarks/queue.sh    # a quick run
#   KEEP=1 Benchmarks/queue.sh           # keep the temporary directory (its path is printed)
#
# Then the anchor on the same events file: a throwaway RabbitMQ broker (Benchmarks/rabbitmq-anchor.sh).
#
# Needs python3 (standard-library sqlite3, for the row counts and dbstat) and GNU time; the anchor
# installs rabbitmq-server (apt) and pika (pip) when missing, and adds 10-20 s at 100,000 events.
# See BENCHMARKS.md, "Durable queue: enqueue and process".
set -euo pipefail

EVENTS=${EVENTS:-1000000}
BATCH_EVENTS=2048 # `cashback process --batch-size` default
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if [[ ! -x /usr/bin/time ]]; then
    apt-get install -y time >&2
fi

echo "building (release; waits if another build holds the lock)..." >&2
swift build -c release --product cashback --package-path "$root" >&2
cashback="$(swift build -c release --show-bin-path --package-path "$root")/cashback"
swift build -c release --product RawInsert --package-path "$root/Benchmarks" >&2
rawinsert="$(swift build -c release --show-bin-path --package-path "$root/Benchmarks")/RawInsert"

dir=$(mktemp -d)
if [[ -n "${KEEP:-}" ]]; then
    echo "keeping $dir" >&2
else
    trap 'rm -rf "$dir"' EXIT
fi

"$cashback" generate --out "$dir" --partners 1000 --accounts 100000 --events "$EVENTS" --seed 1 >&2

# Bytes of the database file plus its -wal (0 if absent).
db_bytes() {
    local total=0 f
    for f in "$1" "$1-wal"; do
        [[ -f "$f" ]] && total=$((total + $(stat -c %s "$f")))
    done
    echo "$total"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
/usr/bin/time -f '%e %M' -o "$dir/enqueue.time" "$cashback" enqueue --db "$dir/q.sqlite" "$dir/events.jsonl" >&2
enqueue_db_bytes=$(db_bytes "$dir/q.sqlite")
/usr/bin/time -f '%e %M' -o "$dir/process.time" "$cashback" process --db "$dir/q.sqlite" --rules "$dir/rules" >&2
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
final_db_bytes=$(db_bytes "$dir/q.sqlite")
read -r enqueue_s enqueue_kb < <(tail -n 1 "$dir/enqueue.time")
read -r process_s process_kb < <(tail -n 1 "$dir/process.time")

# Rows per table and the average row payload (SQLite record bytes, from dbstat, over the
# tables' own B-trees: secondary indexes are not counted as rows).
read -r rows rows_enqueue avg_payload < <(python3 - "$dir/q.sqlite" "$EVENTS" <<'PY'
import sqlite3, sys
path, events = sys.argv[1], int(sys.argv[2])
tables = ["queue", "accepted", "decisions", "payments", "usage", "histories", "ledger"]
db = sqlite3.connect(path)
pages = {}
for name, pgsize, payload in db.execute("SELECT name, SUM(pgsize), SUM(payload) FROM dbstat GROUP BY name"):
    pages[name] = (pgsize, payload)
indexes = dict(db.execute("SELECT name, tbl_name FROM sqlite_schema WHERE type = 'index'").fetchall())
total_rows = total_payload = 0
print(f"{'table':<10} {'rows':>12} {'rows/event':>10} {'avg payload B':>13} {'B/event (with indexes)':>22}", file=sys.stderr)
for t in tables:
    n = db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
    payload = pages.get(t, (0, 0))[1]
    size = pages.get(t, (0, 0))[0] + sum(pages.get(i, (0, 0))[0] for i, tbl in indexes.items() if tbl == t)
    total_rows += n
    total_payload += payload
    print(f"{t:<10} {n:>12,} {n / events:>10.3f} {payload / max(n, 1):>13.1f} {size / events:>22.1f}", file=sys.stderr)
other = sum(v[0] for k, v in pages.items() if k not in tables and indexes.get(k) not in tables)
print(f"{'(other)':<10} {'':>12} {'':>10} {'':>13} {other / events:>22.1f}", file=sys.stderr)
enqueue_rows = sum(db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ["queue", "accepted"])
print(total_rows, enqueue_rows, f"{total_payload / total_rows:.1f}")
PY
)

[[ -n "${avg_payload:-}" ]] || { echo "counting rows failed" >&2; exit 1; }

# The raw ceiling. A record of (INTEGER PRIMARY KEY, TEXT of L bytes) has a payload of
# L + 3 bytes (header size, NULL for the rowid alias, text serial type), + 1 when L > 57.
payload_int=$(printf '%.0f' "$avg_payload")
text_bytes=$((payload_int - 3))
if ((text_bytes > 57)); then text_bytes=$((text_bytes - 1)); fi
batch_rows=$(python3 -c "print(round($rows * $BATCH_EVENTS / $EVENTS))")
raw=$(/usr/bin/time -f '%e %M' -o "$dir/raw.time" "$rawinsert" --db "$dir/raw.sqlite" --rows "$rows" --batch-rows "$batch_rows" --text-bytes "$text_bytes")
read -r _ raw_kb < <(tail -n 1 "$dir/raw.time")
raw_db_bytes=$(db_bytes "$dir/raw.sqlite")
raw_payload=$(python3 -c "
import sqlite3; db = sqlite3.connect('$dir/raw.sqlite')
print('%.1f' % (db.execute(\"SELECT SUM(payload) FROM dbstat WHERE name = 'raw'\").fetchone()[0] / $rows))")
pyver=$(python3 -c 'import sqlite3; print(sqlite3.sqlite_version)')

python3 - <<PY
events, rows, rows_enqueue = $EVENTS, $rows, $rows_enqueue
enqueue_s, process_s = $enqueue_s, $process_s
raw = dict(kv.split("=") for kv in "$raw".split())
raw_rows_per_s = int(raw["rows_per_s"])
rpe, rpe_process = rows / events, (rows - rows_enqueue) / events
mb = lambda kb: kb / 1024
print(f"events                      {events:,}")
print(f"enqueue                     {enqueue_s:.2f} s   {events / enqueue_s:,.0f} events/s   peak RSS {mb($enqueue_kb):,.0f} MiB")
print(f"process                     {process_s:.2f} s   {events / process_s:,.0f} events/s   peak RSS {mb($process_kb):,.0f} MiB")
print(f"enqueue + process           {enqueue_s + process_s:.2f} s   {events / (enqueue_s + process_s):,.0f} events/s")
print(f"database after enqueue      {$enqueue_db_bytes:,} bytes (with -wal)   {$enqueue_db_bytes / events:,.0f} bytes/event")
print(f"database after process      {$final_db_bytes:,} bytes (with -wal)   {$final_db_bytes / events:,.0f} bytes/event")
print(f"rows per event              {rpe:.3f} (rows in the 7 tables at the end; {rows_enqueue / events:.3f} by enqueue, "
      f"{rpe_process:.3f} by process; an upsert that updates a row is not counted)")
print(f"average row payload         $avg_payload bytes (SQLite record, dbstat)")
print(f"raw insert (GRDB)           {rows:,} rows of $raw_payload payload bytes ({raw['text_bytes']}-byte TEXT), "
      f"{int(raw['batch_rows']):,} rows per transaction")
print(f"raw insert                  {float(raw['seconds']):.2f} s   {raw_rows_per_s:,} rows/s   peak RSS {mb($raw_kb):,.0f} MiB   "
      f"{$raw_db_bytes / rows:,.0f} bytes/row on disk")
print(f"raw ceiling, events/s       {raw_rows_per_s / rpe:,.0f} (all {rpe:.3f} rows/event)   "
      f"{raw_rows_per_s / rpe_process:,.0f} (process's {rpe_process:.3f} rows/event)")
print(f"process rows/s              {(rows - rows_enqueue) / process_s:,.0f}")
print(f"sqlite                      {raw['sqlite_version']} (GRDB)   $pyver (python3)")
print(f"load average                $load_before before, $load_after after enqueue+process")
PY

# The anchor (issue #11): a RabbitMQ classic durable queue on this machine, fed the same events
# file: persistent messages published with confirms, then consumed with manual acks
# (Benchmarks/rabbitmq-anchor.sh, a throwaway broker started and stopped here). Our rates are
# divided by min(publish/s, consume/s).
echo "RabbitMQ anchor on the same $EVENTS events..." >&2
anchor_load_before=$(cut -d' ' -f1-3 /proc/loadavg)
anchor=$("$root/Benchmarks/rabbitmq-anchor.sh" "$dir/events.jsonl" | grep '^RABBITMQ ') ||
    { echo "queue.sh: the RabbitMQ anchor failed (its errors are above)" >&2; exit 1; }
anchor_load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - <<PY
events, enqueue_s, process_s = $EVENTS, $enqueue_s, $process_s
a = dict(kv.split("=", 1) for kv in "$anchor".split()[1:])
if int(a["messages"]) != events:
    raise SystemExit(f"queue.sh: the anchor moved {a['messages']} messages, not {events}")
publish, consume = int(a["publish_per_s"]), int(a["consume_per_s"])
anchor = min(publish, consume)
ours_process, ours_both = events / process_s, events / (enqueue_s + process_s)
print(f"rabbitmq publish (confirms) {float(a['publish_s']):.2f} s   {publish:,} msgs/s   "
      f"{a['publishers']} publisher(s), window {a['window']}")
print(f"rabbitmq consume (acks)     {float(a['consume_s']):.2f} s   {consume:,} msgs/s   "
      f"{a['consumers']} consumer(s), prefetch {a['prefetch']}")
print(f"rabbitmq CPU, cores         publish: client {a['publish_client_cpu']}, broker {a['publish_broker_cpu']}, "
      f"machine {float(a['publish_machine_busy']) * 100:.0f}% busy;   consume: client {a['consume_client_cpu']}, "
      f"broker {a['consume_broker_cpu']}, machine {float(a['consume_machine_busy']) * 100:.0f}% busy")
print(f"anchor                      min(publish, consume) = {anchor:,} msgs/s")
print(f"ours ÷ anchor               process {ours_process:,.0f} events/s = {ours_process / anchor:.2f}x;   "
      f"enqueue + process {ours_both:,.0f} events/s = {ours_both / anchor:.2f}x   "
      f"(enqueue ÷ publish {events / enqueue_s / publish:.2f}x, process ÷ consume {ours_process / consume:.2f}x)")
print(f"load average (anchor)       $anchor_load_before before, $anchor_load_after after")
PY
