#!/usr/bin/env python3
"""The RabbitMQ anchor of the durable queue benchmark (issue #11).

Publishes every line of an events file (JSON Lines, one event a line, the line without its
newline is the message body) to a durable classic queue as a persistent message
(delivery_mode 2) with publisher confirms, then consumes them all with manual acks, and prints

    RABBITMQ publish_per_s=... consume_per_s=... messages=... (more key=value pairs)

on stdout; the details go to stderr. `Benchmarks/rabbitmq-anchor.sh` starts the throwaway broker
this talks to; run that, not this.

What is measured:

- publish: each publisher process has a window of at most --window unconfirmed messages
  (pipelined, not one round trip per message); the time is from the first publish to the last
  confirm (the earliest start to the latest last confirm over the processes). A nack fails the run.
- consume: basic.qos prefetch --prefetch per consumer, manual acks, one basic.ack per message
  (multiple=False); the time is from basic.consume to the last ack. The consumer that acks the
  last message then sends basic.cancel and the clock stops at its cancel-ok: the queue process
  handles a channel's acks before its cancel, so the broker has taken every ack by then.
- checks: after publishing the queue holds exactly the number of lines; the consumers get each
  message once (count and total body bytes) and the queue is empty at the end.
- CPU: user + system seconds of each client process (os.times) and of the broker's beam.smp
  (/proc/PID/stat, --broker-pid) over each phase, divided by the phase's wall time (so 1.00 is
  one core busy), and the machine's busy fraction of all cores (/proc/stat). A client process at
  ~1.00 is the bottleneck, not RabbitMQ; the summary says so ("client-bound").

Defaults: one publisher process with a window of 5,000, one consumer process with prefetch
1,000, acks one by one. Why (measured on this machine: 2 vCPUs, RabbitMQ 3.10.8, Erlang 25.2.3,
pika 1.4.4, 100,000 events of ~150 bytes) is in the header of Benchmarks/rabbitmq-anchor.sh.
"""

import argparse
import multiprocessing as mp
import os
import queue as queue_module
import sys
import time

try:
    import pika
except ImportError:  # pragma: no cover - the shell script installs it
    sys.exit("rabbitmq_anchor.py: needs pika (python3 -m pip install pika)")

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def own_cpu():
    t = os.times()
    return t.user + t.system


def process_cpu(pid):
    """User + system seconds of a process, or None when there is no such process."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime (fields 14, 15)


def machine_cpu():
    """(busy, total) jiffies of all cores together."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    total = sum(values[:8])  # user..steal (guest is already in user)
    return total - idle, total


def parameters(args):
    return pika.ConnectionParameters(
        host=args.host,
        port=args.port,
        credentials=pika.PlainCredentials("guest", "guest"),
        heartbeat=0,
        connection_attempts=20,
        retry_delay=0.5,
    )


class Worker:
    """One connection and one channel on pika's SelectConnection (asynchronous) ioloop."""

    def __init__(self, args, barrier, results):
        self.args, self.barrier, self.results = args, barrier, results
        self.channel = None
        self.result = None
        self.error = None

    def run(self):
        self.connection = pika.SelectConnection(
            parameters(self.args),
            on_open_callback=lambda c: c.channel(on_open_callback=self.on_channel),
            on_open_error_callback=self.on_open_error,
            on_close_callback=self.on_close,
        )
        self.connection.ioloop.start()
        if self.result is None:
            self.results.put({"error": self.error or "connection closed before the end"})
            sys.exit(1)
        self.results.put(self.result)

    def on_open_error(self, _connection, error):
        self.error = f"cannot connect: {error!r}"
        self.barrier.abort()
        self.connection.ioloop.stop()

    def on_close(self, _connection, reason):
        if self.result is None and self.error is None:
            self.error = f"connection closed: {reason!r}"
        self.connection.ioloop.stop()

    def fail(self, message):
        self.error = message
        self.connection.close()

    def start_clock(self):
        self.barrier.wait(timeout=120)
        self.t0 = time.monotonic()
        self.cpu0 = own_cpu()

    def finish(self, **result):
        self.result = dict(result, t0=self.t0, cpu=own_cpu() - self.cpu0)
        self.connection.close()


class Publisher(Worker):
    def __init__(self, args, barrier, results, bodies):
        super().__init__(args, barrier, results)
        self.bodies = bodies
        self.published = 0
        self.outstanding = set()
        self.low = 1  # no tag below this one is outstanding
        self.properties = pika.BasicProperties(delivery_mode=pika.DeliveryMode.Persistent.value)

    def on_channel(self, channel):
        self.channel = channel
        channel.confirm_delivery(self.on_confirm, callback=self.on_select_ok)

    def on_select_ok(self, _frame):
        self.start_clock()
        if not self.bodies:
            self.finish(t1=time.monotonic(), count=0)
            return
        self.fill()

    def fill(self):
        bodies, window, queue = self.bodies, self.args.window, self.args.queue
        publish, outstanding = self.channel.basic_publish, self.outstanding
        while self.published < len(bodies) and len(outstanding) < window:
            publish("", queue, bodies[self.published], self.properties)
            self.published += 1  # delivery tags count from 1 on a confirm channel
            outstanding.add(self.published)

    def on_confirm(self, frame):
        method = frame.method
        if isinstance(method, pika.spec.Basic.Nack):
            self.fail(f"broker nacked delivery tag {method.delivery_tag}")
            return
        if method.multiple:
            for tag in range(self.low, method.delivery_tag + 1):
                self.outstanding.discard(tag)
            self.low = max(self.low, method.delivery_tag + 1)
        else:
            self.outstanding.discard(method.delivery_tag)
        if self.published == len(self.bodies) and not self.outstanding:
            self.finish(t1=time.monotonic(), count=self.published)
        else:
            self.fill()


class Consumer(Worker):
    def __init__(self, args, barrier, results, shared, total):
        super().__init__(args, barrier, results)
        self.shared, self.total = shared, total
        self.count = self.bytes = 0
        self.t_last = None
        self.finisher = False
        self.cancelling = False

    def on_channel(self, channel):
        self.channel = channel
        channel.basic_qos(prefetch_count=self.args.prefetch, callback=self.on_qos_ok)

    def on_qos_ok(self, _frame):
        self.start_clock()
        self.tag = self.channel.basic_consume(self.args.queue, self.on_message, auto_ack=False)
        self.connection.ioloop.call_later(0.002, self.poll)

    def on_message(self, channel, method, _properties, body):
        channel.basic_ack(method.delivery_tag)
        self.t_last = time.monotonic()
        self.count += 1
        self.bytes += len(body)
        with self.shared.get_lock():
            self.shared.value += 1
            seen = self.shared.value
        if seen > self.total:
            self.fail(f"more messages than published ({seen} > {self.total})")
        elif seen == self.total:
            self.finisher = True
            self.cancel()

    def poll(self):
        if self.cancelling:
            return
        if self.shared.value >= self.total:
            self.cancel()
        else:
            self.connection.ioloop.call_later(0.002, self.poll)

    def cancel(self):
        if not self.cancelling:
            self.cancelling = True
            self.channel.basic_cancel(self.tag, callback=self.on_cancel_ok)

    def on_cancel_ok(self, _frame):
        now = time.monotonic()
        # The finisher's clock stops at its cancel-ok; another consumer's last ack came earlier.
        end = now if self.finisher else (self.t_last or self.t0)
        self.finish(t1=end, count=self.count, bytes=self.bytes, finisher=self.finisher)


def run_publisher(args, barrier, results, bodies):
    Publisher(args, barrier, results, bodies).run()


def run_consumer(args, barrier, results, shared, total):
    Consumer(args, barrier, results, shared, total).run()


def phase(name, args, targets, broker_pid):
    """Runs the worker processes of a phase; returns (wall seconds, results, cpu dict)."""
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(len(targets) + 1)
    results = ctx.Queue()
    procs = []
    for target, extra in targets:
        p = ctx.Process(target=target, args=(args, barrier, results) + extra, daemon=True)
        p.start()
        procs.append(p)
    try:
        barrier.wait(timeout=120)
    except Exception:
        sys.exit(f"rabbitmq_anchor.py: {name}: a client did not get ready (connection failed?)")
    broker0, machine0, wall0 = process_cpu(broker_pid) if broker_pid else None, machine_cpu(), time.monotonic()
    got = []
    deadline = time.monotonic() + args.timeout
    while len(got) < len(procs):
        try:
            got.append(results.get(timeout=1))
        except queue_module.Empty:
            if time.monotonic() > deadline:
                sys.exit(f"rabbitmq_anchor.py: {name}: no result after {args.timeout} s")
            if any(p.exitcode not in (None, 0) for p in procs) and results.empty():
                time.sleep(0.5)
                if results.empty():
                    sys.exit(f"rabbitmq_anchor.py: {name}: a client process died")
    wall_end = time.monotonic()
    broker1, machine1 = process_cpu(broker_pid) if broker_pid else None, machine_cpu()
    for p in procs:
        p.join(timeout=30)
    errors = [r["error"] for r in got if "error" in r]
    if errors:
        sys.exit(f"rabbitmq_anchor.py: {name}: " + "; ".join(errors))
    seconds = max(r["t1"] for r in got) - min(r["t0"] for r in got)
    monitored = wall_end - wall0
    cpu = {
        "client": sum(r["cpu"] for r in got) / seconds,
        "client_max_proc": max(r["cpu"] / max(r["t1"] - r["t0"], 1e-9) for r in got),
        "broker": (broker1 - broker0) / monitored if broker0 is not None and broker1 is not None else float("nan"),
        "machine_busy": (machine1[0] - machine0[0]) / max(machine1[1] - machine0[1], 1),
    }
    return seconds, got, cpu


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("events", help="JSON Lines file (one event a line)")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=5672)
    ap.add_argument("--broker-pid", type=int, help="PID of the broker's beam.smp, for its CPU time")
    ap.add_argument("--queue", default="cashback-anchor")
    ap.add_argument("--queue-version", type=int, help="x-queue-version of the classic queue (broker default if absent)")
    ap.add_argument("--publishers", type=int, default=int(os.environ.get("RABBITMQ_PUBLISHERS", 1)))
    ap.add_argument("--consumers", type=int, default=int(os.environ.get("RABBITMQ_CONSUMERS", 1)))
    ap.add_argument("--window", type=int, default=5000, help="unconfirmed messages per publisher")
    ap.add_argument("--prefetch", type=int, default=1000, help="basic.qos prefetch per consumer")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds a phase may take")
    args = ap.parse_args()

    with open(args.events, "rb") as f:
        bodies = [line.rstrip(b"\r\n") for line in f]
    bodies = [b for b in bodies if b]
    total, total_bytes = len(bodies), sum(len(b) for b in bodies)
    if total == 0:
        sys.exit(f"rabbitmq_anchor.py: no events in {args.events}")

    # Setup, not timed: a fresh durable classic queue.
    connection = pika.BlockingConnection(parameters(args))
    channel = connection.channel()
    channel.queue_delete(args.queue)
    arguments = {"x-queue-type": "classic"}
    if args.queue_version:
        arguments["x-queue-version"] = args.queue_version
    channel.queue_declare(args.queue, durable=True, arguments=arguments)

    pubs = [(run_publisher, (bodies[i :: args.publishers],)) for i in range(args.publishers)]
    publish_s, _, publish_cpu = phase("publish", args, pubs, args.broker_pid)
    ready = channel.queue_declare(args.queue, passive=True).method.message_count
    if ready != total:
        sys.exit(f"rabbitmq_anchor.py: the queue holds {ready} messages after publishing {total}")

    shared = mp.get_context("fork").Value("q", 0)
    cons = [(run_consumer, (shared, total)) for _ in range(args.consumers)]
    consume_s, got, consume_cpu = phase("consume", args, cons, args.broker_pid)
    count, nbytes = sum(r["count"] for r in got), sum(r["bytes"] for r in got)
    left = channel.queue_declare(args.queue, passive=True).method.message_count
    if count != total or nbytes != total_bytes or left != 0:
        sys.exit(
            f"rabbitmq_anchor.py: consumed {count} messages of {nbytes} bytes, published {total} of "
            f"{total_bytes}; {left} left in the queue"
        )
    channel.queue_delete(args.queue)
    connection.close()

    def line(name, seconds, cpu, procs):
        bound = " (client-bound: a client process is at a full core)" if cpu["client_max_proc"] >= 0.9 else ""
        print(
            f"rabbitmq {name:<8} {seconds:.2f} s   {total / seconds:,.0f} msgs/s   {procs} process(es)   "
            f"CPU in cores: client {cpu['client']:.2f} (busiest process {cpu['client_max_proc']:.2f}), "
            f"broker {cpu['broker']:.2f}, machine busy {cpu['machine_busy'] * 100:.0f}% of {os.cpu_count()} cores{bound}",
            file=sys.stderr,
        )

    line("publish", publish_s, publish_cpu, args.publishers)
    line("consume", consume_s, consume_cpu, args.consumers)
    fields = {
        "publish_per_s": f"{total / publish_s:.0f}",
        "consume_per_s": f"{total / consume_s:.0f}",
        "messages": total,
        "bytes": total_bytes,
        "publish_s": f"{publish_s:.3f}",
        "consume_s": f"{consume_s:.3f}",
        "publishers": args.publishers,
        "consumers": args.consumers,
        "window": args.window,
        "prefetch": args.prefetch,
    }
    for prefix, cpu in (("publish", publish_cpu), ("consume", consume_cpu)):
        for key in ("client", "client_max_proc", "broker", "machine_busy"):
            fields[f"{prefix}_{key}_cpu" if key != "machine_busy" else f"{prefix}_machine_busy"] = f"{cpu[key]:.2f}"
    print("RABBITMQ " + " ".join(f"{k}={v}" for k, v in fields.items()), flush=True)


if __name__ == "__main__":
    main()
