#!/usr/bin/env bash
# The RabbitMQ anchor of the durable queue benchmark (issue #11): a classic durable queue on this
# machine, fed the same events as `cashback enqueue` + `cashback process`. Publishes every line of
# EVENTS_FILE as a persistent message with publisher confirms, then consumes them all with manual
# acks (Benchmarks/Tools/rabbitmq_anchor.py says exactly how), and prints on stdout
#
#   RABBITMQ publish_per_s=... consume_per_s=... messages=... publish_s=... consume_s=... (CPU fields)
#
# with the details on stderr.
#
#   Benchmarks/rabbitmq-anchor.sh EVENTS_FILE [--window N] [--prefetch N] [--queue-version 2]
#   RABBITMQ_PUBLISHERS=2 RABBITMQ_CONSUMERS=2 Benchmarks/rabbitmq-anchor.sh EVENTS_FILE
#
# The broker is a throwaway node started here as a child process: Debian's rabbitmq-server
# (installed with apt-get if missing), run as this user, in its own process group, with
# everything in a fresh temporary directory (mnesia, logs, config, HOME with the Erlang cookie),
# node name rabbit-bench-PID@localhost, AMQP, Erlang distribution and its own epmd on free ports
# of 127.0.0.1, no plugins. Its data directory is under TMPDIR (default /tmp), like the database
# of Benchmarks/queue.sh. The node, its epmd and the client are stopped by PID, and the directory
# removed, on every way out (normal end, error, INT, TERM, HUP); a system RabbitMQ or epmd is left
# alone (the script warns if another beam.smp runs, as it competes for the cores).
#
# Choices, measured on this machine (2 vCPUs, RabbitMQ 3.10.8, Erlang 25.2.3, pika 1.4.4, 100,000
# events of ~150 bytes, durable classic queue of the broker's default version 1):
# - One publisher and one consumer process (pika's asynchronous SelectConnection). The client is
#   not the bottleneck: one process used 0.2-0.3 of a core publishing and 0.4-0.56 consuming,
#   while beam.smp used 0.8-1.0 core (its queue is one Erlang process). Two publishers and two
#   consumers gave the same rates within the noise (window 1,000, runs interleaved while others
#   loaded the machine: publish 15-21k/s against 11-19k/s, consume 22-27k/s against 18-27k/s),
#   and on 2 cores a second client process competes with the broker for CPU.
#   RABBITMQ_PUBLISHERS and RABBITMQ_CONSUMERS override it; a phase whose busiest client
#   process reaches 0.9 core is marked "client-bound" on stderr.
# - A window of 5,000 unconfirmed messages per publisher. On a quiet machine 1,000 and 5,000 both
#   gave ~18k msgs/s; while other builds loaded the machine 1,000 fell to ~10k/s where 5,000 kept
#   16-21k/s, and 20,000 or unbounded gave nothing more (17-21k/s). `cashback enqueue` commits
#   the whole file in one transaction, so a large window is the fair comparison.
# - Prefetch 1,000 per consumer and one basic.ack per message (no multiple-acks).
#
# Needs: python3 (pika from PyPI, installed with pip if missing), setsid (util-linux).
# RABBITMQ_START_TIMEOUT (seconds, default 90) bounds the wait for the node to accept connections.
set -euo pipefail

events=${1:?usage: Benchmarks/rabbitmq-anchor.sh EVENTS_FILE [rabbitmq_anchor.py options]}
[[ -r "$events" ]] || { echo "rabbitmq-anchor: cannot read $events" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
client="$here/Tools/rabbitmq_anchor.py"
server=/usr/lib/rabbitmq/bin/rabbitmq-server
start_timeout=${RABBITMQ_START_TIMEOUT:-90}

if [[ ! -x "$server" ]]; then
    echo "rabbitmq-anchor: installing rabbitmq-server..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y rabbitmq-server >&2 ||
        { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y rabbitmq-server >&2; }
fi
if ! python3 -c 'import pika' 2>/dev/null; then
    echo "rabbitmq-anchor: installing pika..." >&2
    python3 -m pip install --quiet pika >&2
fi
if others=$(pgrep -a -x beam.smp); then
    echo "rabbitmq-anchor: warning: other Erlang VMs are running and compete for the cores:" >&2
    echo "$others" >&2
fi

tmp=$(mktemp -d -t rabbitmq-anchor.XXXXXX)
node_pid= epmd_pid= client_pid=

# True if the process exists and is not a zombie.
alive() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [[ ${stat%% *} != Z ]]
}

# Waits up to $2 tenths of a second for process $1 to end; false if it is still running.
wait_gone() {
    local i
    for ((i = 0; i < $2; i++)); do
        alive "$1" || return 0
        sleep 0.1
    done
    ! alive "$1"
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM HUP
    if [[ -n "$client_pid" ]] && alive "$client_pid"; then
        kill -TERM -- "-$client_pid" 2>/dev/null || true # the client and its worker processes
        wait_gone "$client_pid" 50 || kill -KILL -- "-$client_pid" 2>/dev/null || true
    fi
    if [[ -n "$node_pid" ]]; then
        local beam
        beam=$(cat "$tmp/rabbit.pid" 2>/dev/null || true)
        # TERM to rabbitmq-server's shell: it stops the node (rabbit's graceful shutdown) and waits.
        if alive "$node_pid"; then
            kill -TERM "$node_pid" 2>/dev/null || true
            wait_gone "$node_pid" 600 || echo "rabbitmq-anchor: the node did not stop in 60 s; killing it" >&2
        fi
        if [[ -n "$beam" ]] && ! wait_gone "$beam" 100; then
            echo "rabbitmq-anchor: beam.smp $beam still running; killing it" >&2
        fi
        # Whatever is left in the node's process group (beam.smp, erl_child_setup, inet_gethost).
        kill -KILL -- "-$node_pid" 2>/dev/null || true
        wait "$node_pid" 2>/dev/null || true
    fi
    if [[ -n "$epmd_pid" ]]; then
        kill -TERM "$epmd_pid" 2>/dev/null || true
        wait_gone "$epmd_pid" 50 || kill -KILL "$epmd_pid" 2>/dev/null || true
        wait "$epmd_pid" 2>/dev/null || true
    fi
    if ((rc != 0 && rc != 129 && rc != 130 && rc != 143)) && [[ -n "$node_pid" ]]; then
        local log="$tmp/log/$RABBITMQ_NODENAME.log"
        [[ -s "$log" ]] || log="$tmp/log/stdout.log"
        echo "rabbitmq-anchor: failed (exit $rc); the end of $(basename "$log"):" >&2
        tail -n 20 "$log" >&2 2>/dev/null || true
    fi
    rm -rf "$tmp"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# Three distinct free ports on 127.0.0.1: AMQP, Erlang distribution, epmd.
read -r amqp_port dist_port epmd_port < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
')

mkdir -p "$tmp/home" "$tmp/mnesia" "$tmp/log"
python3 -c 'import secrets; print(secrets.token_hex(20).upper(), end="")' >"$tmp/home/.erlang.cookie"
chmod 400 "$tmp/home/.erlang.cookie"
cat >"$tmp/rabbitmq.conf" <<'CONF'
log.console = false
log.file.level = info
CONF
echo '[].' >"$tmp/enabled_plugins"
: >"$tmp/rabbitmq-env.conf" # instead of /etc/rabbitmq/rabbitmq-env.conf

export HOME="$tmp/home"
export RABBITMQ_NODENAME="rabbit-bench-$$@localhost"
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT="$amqp_port"
export RABBITMQ_DIST_PORT="$dist_port"
export RABBITMQ_MNESIA_BASE="$tmp/mnesia"
export RABBITMQ_LOG_BASE="$tmp/log"
export RABBITMQ_CONFIG_FILE="$tmp/rabbitmq.conf"
export RABBITMQ_ADVANCED_CONFIG_FILE="$tmp/advanced.config"
export RABBITMQ_CONF_ENV_FILE="$tmp/rabbitmq-env.conf"
export RABBITMQ_ENABLED_PLUGINS_FILE="$tmp/enabled_plugins"
export RABBITMQ_PLUGINS_EXPAND_DIR="$tmp/plugins-expand"
export RABBITMQ_PID_FILE="$tmp/rabbit.pid"
export ERL_EPMD_PORT="$epmd_port"
export ERL_EPMD_ADDRESS=127.0.0.1
export ERL_CRASH_DUMP="$tmp/erl_crash.dump"
# Never let Erlang start an epmd of its own (it would daemonize out of our reach), and keep the
# distribution listener on loopback.
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-start_epmd false -kernel inet_dist_use_interface {127,0,0,1}"

# Our own epmd, in the foreground (not -daemon), so that its PID is ours to stop.
epmd -port "$epmd_port" -address 127.0.0.1 </dev/null >"$tmp/log/epmd.log" 2>&1 &
epmd_pid=$!
for ((i = 0; ; i++)); do
    epmd -port "$epmd_port" -names >/dev/null 2>&1 && break
    alive "$epmd_pid" || { echo "rabbitmq-anchor: epmd on 127.0.0.1:$epmd_port exited:" >&2; cat "$tmp/log/epmd.log" >&2; exit 1; }
    ((i < 100)) || { echo "rabbitmq-anchor: epmd did not answer on 127.0.0.1:$epmd_port in 10 s" >&2; exit 1; }
    sleep 0.1
done

# The node, in its own process group (setsid runs it in place: $! is its PID and group).
echo "rabbitmq-anchor: starting $RABBITMQ_NODENAME (AMQP 127.0.0.1:$amqp_port, dist $dist_port, epmd $epmd_port) in $tmp" >&2
started=$SECONDS
setsid "$server" </dev/null >"$tmp/log/stdout.log" 2>&1 &
node_pid=$!
until (exec 3<>"/dev/tcp/127.0.0.1/$amqp_port") 2>/dev/null; do
    if ! alive "$node_pid"; then
        echo "rabbitmq-anchor: the RabbitMQ node exited while starting" >&2
        exit 1
    fi
    if ((SECONDS - started >= start_timeout)); then
        echo "rabbitmq-anchor: RabbitMQ did not accept connections on 127.0.0.1:$amqp_port within ${start_timeout} s" >&2
        exit 1
    fi
    sleep 0.2
done
beam=$(cat "$tmp/rabbit.pid" 2>/dev/null || pgrep -P "$node_pid" -x beam.smp || true)
echo "rabbitmq-anchor: node up after $((SECONDS - started)) s (beam.smp PID ${beam:-unknown})" >&2

# The client in a process group of its own too, so that cleanup reaches its worker processes;
# waited for in the background so that a signal runs the trap at once.
setsid python3 "$client" "$events" --port "$amqp_port" ${beam:+--broker-pid "$beam"} "${@:2}" &
client_pid=$!
wait "$client_pid"
