#!/usr/bin/env python3
"""Security and fault attack campaign against the cashback engine (standard library only).

    scripts/attack.py                                   # full campaign, .build/debug/cashback
    scripts/attack.py --scale small                     # a quick check, 1-2 minutes
    scripts/attack.py --bin /tmp/cashback --seed 42     # another binary, other mutations
    scripts/attack.py --scale small --only 1,3          # some attacks only

Attacks (each one a function below):

1. `dry-run` on mutated event lines (byte flips, truncation, deleted and duplicated fields,
   huge strings, odd Unicode, extreme numbers and dates, deep nesting, type confusion),
   1,000 lines per process, every fourth with --explain: exit 0, one JSON decision per
   non-blank line, no signal.
2. `lint` on mutated copies of rules/ (one YAML file mutated, or a filesystem oddity):
   exit 0 or 1, within a deadline, with bounded output; a mutated directory that lint
   accepts must then dry-run the samples cleanly.
3. HTTP: (a) mutated bodies, odd framing and headers, path/method/token spellings, and
   accounts that strings and SQLite may tell apart differently; the stored decisions must
   equal a dry-run of the queue; (b) idle, partial-header, slow-body and trickling sockets,
   then normal requests, and every held socket closed by the server in time (with the
   default connection cap and a low one); (c) 32 MB bodies sent whole before reading: 413,
   then the connection closed.
4. `kill -9` of `serve` at random moments while two clients post unique events; at the end
   every acknowledged (202) event has exactly one decision, none has two, and the stored
   decisions equal a dry-run of the queue.
5. A second `serve` or `process` on a held database (same path, symlink, hard link), and a
   `serve` on a busy port, must exit non-zero within a deadline.

The summary table (stdout) counts per attack: inputs tried, crashes (signal, exit code
>= 128, HTTP 5xx), hangs (no end or answer within a deadline, a socket never closed), lost
(acknowledged events or input lines without a decision), doubled (events decided more than
once), and violations (other broken promises: an unexpected exit code, unparseable output,
a 2xx without token, a reload with a non-admin token, a 413 that never came, stored
decisions that differ from the dry-run oracle...). Warnings are reported but do not fail.
Exit status: 0 when every crash/hang/lost/doubled/violation count is 0 and every attack ran,
1 otherwise (an attack that cannot run is an ERROR row, never a row of zeros). Progress goes
to stderr. Everything happens in a temporary directory that is removed at the end (failing
inputs are kept only with --save-failures DIR); servers listen on 127.0.0.1 port 0 and are
stopped by PID; every loop is bounded in count and time.
"""
from __future__ import annotations

import argparse
import collections
import dataclasses
import json
import os
import random
import re
import resource
import selectors
import shutil
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Iterable

REPO = Path(__file__).resolve().parent.parent
STARTED = time.monotonic()
MiB = 1 << 20


def log(message: str) -> None:
    """Progress on stderr, with the time since the start."""
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Settings, results, process handling
# --------------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Scale:
    """How much of each attack to run."""
    event_lines: int        # attack 1: mutated lines in total
    chunk_lines: int        # attack 1: lines per dry-run process
    huge_max: int           # attack 1/3: largest huge string, bytes
    lint_dirs: int          # attack 2: mutated rule directories
    http_bodies: int        # attack 3a: mutated bodies posted
    http_paths: int         # attack 3a: path/method/token combinations (0 = all)
    idle_sockets: int       # attack 3b: idle sockets held open
    kill_events: int        # attack 4: events generated (before removing repeated ids)
    kills: int              # attack 4: SIGKILLs
    kill_budget: float      # attack 4: seconds allowed for posting


SCALES = {
    "small": Scale(event_lines=20_000, chunk_lines=1_000, huge_max=2 * MiB, lint_dirs=200,
                   http_bodies=300, http_paths=400, idle_sockets=200,
                   kill_events=3_000, kills=3, kill_budget=90.0),
    "full": Scale(event_lines=300_000, chunk_lines=1_000, huge_max=4 * MiB, lint_dirs=3_000,
                  http_bodies=3_000, http_paths=0, idle_sockets=2_000,
                  kill_events=60_000, kills=15, kill_budget=360.0),
}

DRY_RUN_DEADLINE = 60.0     # one dry-run process of chunk_lines lines
LINT_DEADLINE = 30.0        # one lint run
REQUEST_DEADLINE = 20.0     # one HTTP exchange
INSTANCE_DEADLINE = 10.0    # a refused second instance must be gone by then
IDLE_TIMEOUT = 2            # --idle-timeout / --body-timeout given to the servers of attack 3


class AttackError(Exception):
    """The attack could not run (binary missing, server never came up...): not a 0 count."""


@dataclasses.dataclass
class Result:
    """The figures of one attack (thread-safe counters) and a few examples of each problem."""
    name: str
    inputs: int = 0
    crashes: int = 0
    hangs: int = 0
    lost: int = 0
    doubled: int = 0
    violations: int = 0
    warnings: int = 0
    error: str | None = None
    seconds: float = 0.0
    notes: list[str] = dataclasses.field(default_factory=list)
    _kinds: collections.Counter = dataclasses.field(default_factory=collections.Counter, repr=False)
    _lock: threading.Lock = dataclasses.field(default_factory=threading.Lock, repr=False)

    def add(self, **counts: int) -> None:
        """Adds to the named counters."""
        with self._lock:
            for key, value in counts.items():
                setattr(self, key, getattr(self, key) + value)

    def note(self, kind: str, text: str, limit: int = 3) -> None:
        """Keeps the first `limit` examples of each kind of problem (and counts the others)."""
        with self._lock:
            self._kinds[kind] += 1
            if self._kinds[kind] <= limit:
                self.notes.append(f"{kind}: {text}")

    def summary_of_kinds(self) -> list[str]:
        """`kind ×N` for kinds with more examples than were kept."""
        return [f"{kind}: {count} in all" for kind, count in self._kinds.items() if count > 3]

    @property
    def failed(self) -> bool:
        return bool(self.error or self.crashes or self.hangs or self.lost or self.doubled or self.violations)


@dataclasses.dataclass
class Outcome:
    """How a finished (or killed) command ended."""
    rc: int | None
    out: bytes
    err: bytes
    out_size: int
    err_size: int
    hung: bool
    seconds: float

    @property
    def crashed(self) -> bool:
        """Killed by a signal, or an exit code >= 128 (a shell's way of saying so)."""
        return not self.hung and self.rc is not None and (self.rc < 0 or self.rc >= 128)

    def describe(self) -> str:
        if self.hung:
            return f"no exit within {self.seconds:.0f}s"
        if self.rc is not None and self.rc < 0:
            return f"killed by {signal.Signals(-self.rc).name}"
        tail = self.err[-300:].decode("utf-8", "replace").strip().replace("\n", " | ")
        return f"exit {self.rc}" + (f" ({tail})" if tail else "")


class Context:
    """What every attack needs: the binary, the rules, a scratch folder, the options, and a
    registry of the processes started, so that none survives the script."""

    def __init__(self, binary: Path, rules: Path, tmp: Path, scale: Scale, seed: int, jobs: int,
                 save: Path | None):
        self.binary, self.rules, self.tmp, self.scale, self.seed, self.jobs = binary, rules, tmp, scale, seed, jobs
        self.save = save
        self._procs: dict[int, subprocess.Popen] = {}
        self._lock = threading.Lock()
        self._counter = 0
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("CASHBACK_")}
        self.env["CASHBACK_LOG_LEVEL"] = "warning"

    def rng(self, *parts: object) -> random.Random:
        """A random generator that depends only on --seed and `parts` (not on thread timing)."""
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))

    def fresh(self, prefix: str) -> Path:
        """A new empty folder in the scratch area."""
        with self._lock:
            self._counter += 1
            n = self._counter
        path = self.tmp / f"{prefix}-{n}"
        path.mkdir()
        return path

    def popen(self, args: list[str], **kwargs) -> subprocess.Popen:
        proc = subprocess.Popen(args, env=self.env, start_new_session=True, **kwargs)
        with self._lock:
            self._procs[proc.pid] = proc
        return proc

    def forget(self, proc: subprocess.Popen) -> None:
        with self._lock:
            self._procs.pop(proc.pid, None)

    def kill_all(self) -> None:
        """SIGKILL, by PID, every process this script started that is still running."""
        with self._lock:
            procs = list(self._procs.values())
        for proc in procs:
            if proc.poll() is None:
                try:
                    os.kill(proc.pid, signal.SIGKILL)
                    proc.wait(5)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    pass

    def run(self, args: list[str], *, stdin: Path | None = None, timeout: float, cap: int | None = None,
            cwd: Path | None = None) -> Outcome:
        """Runs the binary with `args`; stdout and stderr go to files (so a flood cannot eat
        memory), of which at most `cap` bytes are read back. Killed (SIGKILL) at `timeout`."""
        scratch = self.fresh("run")
        out_path, err_path = scratch / "out", scratch / "err"
        started = time.monotonic()
        with open(out_path, "wb") as out, open(err_path, "wb") as err, \
                (open(stdin, "rb") if stdin else open(os.devnull, "rb")) as inp:
            proc = self.popen([str(self.binary), *args], stdin=inp, stdout=out, stderr=err, cwd=cwd)
            hung = False
            try:
                rc = proc.wait(timeout)
            except subprocess.TimeoutExpired:
                hung = True
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
                rc = None
            finally:
                self.forget(proc)
        seconds = time.monotonic() - started

        def read(path: Path) -> bytes:
            with open(path, "rb") as f:
                return f.read(cap) if cap is not None else f.read()

        result = Outcome(rc, read(out_path), read(err_path), out_path.stat().st_size,
                         err_path.stat().st_size, hung, seconds)
        shutil.rmtree(scratch, ignore_errors=True)
        return result

    def keep(self, name: str, data: bytes | Path) -> str:
        """Saves a failing input under --save-failures (if given); returns where, for notes."""
        if not self.save:
            return ""
        self.save.mkdir(parents=True, exist_ok=True)
        target = self.save / name
        if isinstance(data, Path):
            if data.is_dir():
                def regular_only(src: str, dst: str) -> None:
                    if stat.S_ISREG(os.lstat(src).st_mode):   # never open a FIFO or a device
                        shutil.copyfile(src, dst)
                shutil.copytree(data, target, symlinks=True, dirs_exist_ok=True, copy_function=regular_only)
            else:
                shutil.copyfile(data, target)
        else:
            target.write_bytes(data)
        return f" (saved as {target})"


def run_parallel(ctx: Context, count: int, work: Callable[[int], None], label: str, every: int,
                 workers: int | None = None) -> None:
    """Runs work(0..count-1) on `workers` (default --jobs) threads, logging progress every `every` items."""
    done = 0
    lock = threading.Lock()

    def one(i: int) -> None:
        nonlocal done
        work(i)
        with lock:
            done += 1
            if done % every == 0 or done == count:
                log(f"{label}: {done}/{count}")

    with ThreadPoolExecutor(max_workers=workers or ctx.jobs) as pool:
        for future in [pool.submit(one, i) for i in range(count)]:
            future.result()


# --------------------------------------------------------------------------------------------
# Event mutations (attack 1, reused by attack 3)
# --------------------------------------------------------------------------------------------

class Raw:
    """Bytes spliced verbatim into the JSON being written (NaN, 1e999, deep nesting...)."""

    def __init__(self, data: bytes):
        self.data = data


class Pairs(list):
    """A JSON object as a list of (key, value): keeps order and allows duplicate keys."""


def dump(value: object) -> bytes:
    """Writes JSON the way a sloppy sender might: duplicate keys, raw tokens, lone surrogates."""
    if isinstance(value, Raw):
        return value.data
    if isinstance(value, Pairs):
        return b"{" + b",".join(dump(k) + b":" + dump(v) for k, v in value) + b"}"
    if isinstance(value, list):
        return b"[" + b",".join(dump(v) for v in value) + b"]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return json.dumps(value).encode()


def parse_pairs(line: bytes) -> object | None:
    """A sample line as Pairs (None when it is not valid JSON: some samples are broken on purpose)."""
    try:
        return json.loads(line, object_pairs_hook=Pairs)
    except (ValueError, UnicodeDecodeError):
        return None


def deep_copy(value: object) -> object:
    if isinstance(value, Pairs):
        return Pairs((k, deep_copy(v)) for k, v in value)
    if isinstance(value, list):
        return [deep_copy(v) for v in value]
    return value


DATES = [
    "9999-12-31T23:59:59Z", "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z",
    "2026-11-02T07:34:02-12:00", "2026-11-02T07:34:02+14:00", "2026-11-02T07:34:02-00:00",
    "2024-02-29T12:00:00+01:00", "2028-02-29T23:59:59-12:00", "2023-02-29T12:00:00+01:00",
    "2026-02-30T00:00:00Z", "2027-02-30T10:00:00+01:00", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z",
    "2026-11-31T00:00:00Z", "2026-11-02T24:00:00Z", "2026-11-02T23:59:60Z", "2016-12-31T23:59:60Z",
    "2026-11-02T07:34:02", "2026-11-02", "2026-11-02T07:34:02+25:00", "2026-11-02T07:34:02+01:60",
    "2026-11-02t07:34:02z", "2026-11-02 07:34:02Z", "2026-11-02T07:34:02.123456789123Z",
    "2026-11-02T07:34:02.Z", "+2026-11-02T07:34:02Z", "1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z",
    "2038-01-19T03:14:08Z", "2106-02-07T06:28:16Z", "292277026596-12-04T15:30:07Z",
    "2026-03-29T02:30:00+01:00", "2026-10-25T02:30:00+02:00", "2026-12-31T23:59:59+14:00",
    "2027-01-01T00:00:00-12:00", "", "now", "2026-11-02T07:34:02+01:00\u0000",
    "\uff12\uff10\uff12\uff16-11-02T07:34:02Z", "2026-11-02T07:34:02\u221201:00",
    "2026-W45-1T00:00:00Z", "2026-306T00:00:00Z", "2026-11-02T07:34Z", "99999999999999999999-01-01T00:00:00Z",
    1_700_000_000, -1, 1e308, None, True, [], Pairs(),
]

NUMBERS = [
    "0", "0.00", "-0.00", "-1.00", "0.01", "0.001", "1.001", "1e2", "1E+2", "1.0e-2", "999999999999.99",
    "10000000000.00", "10000000000.01", "9999999999.99", "1000000000000", "00001.00", "+1.00", " 1.00",
    "1.00 ", "1,00", "1.", ".5", "\u0661\u0662\u0663", "\uff11\uff12", "NaN", "Infinity", "-Infinity",
    "0x10", "1_000", "", "12345678901234567890123456789012345678901234567890.12", "1" * 400,
    "0." + "0" * 300 + "1", "-", "--1", "1e", "5e-324",
    Raw(b"1e999"), Raw(b"-1e999"), Raw(b"NaN"), Raw(b"Infinity"), Raw(b"-0"), Raw(b"1.0"), Raw(b"1.005"),
    Raw(b"1E400"), Raw(b"5e-324"), Raw(b"0.1e1"), Raw(b"01"), Raw(b"1e-7"), Raw(b"-"), Raw(b"1.2.3"),
    Raw(b"9" * 5000), Raw(b"0." + b"0" * 5000 + b"1"), Raw(b"1e-99999999999"), Raw(b"1e99999999999"),
    0, -1, 1, 10 ** 12, 10 ** 12 + 1, 10 ** 10, 2 ** 53 + 1, 2 ** 63 - 1, 2 ** 63, 2 ** 64, -(2 ** 63),
    10 ** 40, 1.5, 0.015, 1e300, 1e-300, 12.345, True, None, [], Pairs(), [1], "1.00\u0000",
]

CURRENCIES = ["EUR", "eur", "JPY", "KWD", "BHD", "CLF", "XAU", "XXX", "GBP", "USD", "EURO", "", "BTC",
              "E", "\u0045UR", "EU\u0000", "ＥＵＲ", "123", None, 978, ["EUR"]]

COMBINING = "\u0301\u0302\u0303\u0308\u0327\u0336\u20dd"


def weird_string(rng: random.Random) -> object:
    """A string (or raw token) that tends to break validation, storage or output."""
    choice = rng.randrange(22)
    if choice == 0:
        return "a" + "".join(rng.choice(COMBINING) for _ in range(rng.choice([1, 10, 130, 1000, 20_000])))
    if choice == 1:
        return "\u0301" * rng.choice([1, 129, 10_000, 100_000])
    if choice == 2:
        return "".join(c + "\u0336\u0334\u0335" for c in "Zalgo account")
    if choice == 3:
        return rng.choice(["\u202eevil", "\u200b", "\ufeff", "\u2028", "\u2029", "\u0085", "\U0010ffff",
                           "\ufffe", "\uffff", "\u00a0", "\u3000", "\ud800", "\udfff", "a\ud800b"])
    if choice == 4:
        return rng.choice(["\u0130", "\u00df", "\ufb03", "\u212a", "e\u0301", "\u00e9", "\u0065\u0301" * 129,
                           "\U0001f4a9" * 129, "\U0001f468\u200d\U0001f469\u200d\U0001f467" * 200])
    if choice == 5:
        return rng.choice(["", " ", "\t", "\n", "\r\n", "\u0000", "a\u0000b", "\x1f", "\x7f", "\x1b[2J"])
    if choice == 6:
        return "a" * rng.choice([1, 127, 128, 129, 256, 1000, 65_536])
    if choice == 7:
        return rng.choice(["../../etc/passwd", "%00", "%2e%2e/", "' OR 1=1 --", "\"; DROP TABLE queue; --",
                           "${jndi:ldap://127.0.0.1/x}", "<script>alert(1)</script>", "\\", "a:b.c_d-e",
                           "NUL", "CON", "{{7*7}}", "%s%s%s%n", "\\u0000"])
    if choice == 8:
        return Raw(rng.choice([b'"\\u0000"', b'"\\ud800"', b'"\\udc00\\ud800"', b'"\\u00e9"', b'"\\u0041"',
                               b'"\\/"', b'"\\x41"', b'"\\u12"', b'"\\"', b'"\\uD83D\\uDCA9"', b'"abc',
                               b"'single'", b'"\t"', b'"\x01"']))
    if choice == 9:
        return Raw(b'"' + rng.choice([b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe2\x82",
                                      b"\xf8\x88\x80\x80\x80", b"\xfe\xff"]) + b'"')
    if choice == 10:
        return rng.choice(["pay-000001", "rfd-000001", "pay-000013", "p1", "P1", "pay-000001 ", " pay-000001"])
    if choice == 11:
        return "\u0661" * rng.choice([3, 14]) if rng.random() < 0.5 else "4031234560001" + rng.choice(["", "9", "99"])
    if choice == 12:
        return rng.choice(["0742", "742", "07420", "abcd", "５４１１", "-541", "5411\u0000"])
    if choice == 13:
        return rng.choice(["FR", "fr", "NO", "UK", "XX", "F", "FRA", "\U0001f1eb\U0001f1f7", ""])
    if choice == 14:
        return rng.choice(["online", "in_store", "ONLINE", "instore", "in-store", "", "both"])
    if choice == 15:
        return rng.choice(["payment", "refund", "reversal", "Payment", "REFUND", "refund ", "chargeback", ""])
    return "".join(chr(rng.choice([rng.randrange(0x20, 0x7f), rng.randrange(0xa0, 0xd7ff),
                                   rng.randrange(0xe000, 0x110000)])) for _ in range(rng.randrange(1, 40)))


def type_confusion(rng: random.Random) -> object:
    return rng.choice([None, True, False, 0, -1, 1.5, 1e308, "", "null", [], Pairs(), [1, 2], [None],
                       Pairs([("a", 1)]), Pairs([("mid", "MID345")]), ["EUR"], Raw(b"[{}]"), Raw(b"{\"\":[]}")])


def deep_nesting(rng: random.Random) -> Raw:
    roll = rng.random()
    depth = 1_000_000 if roll < 0.005 else 100_000 if roll < 0.03 else rng.choice([10, 63, 64, 65, 200, 1000, 5000])
    if rng.random() < 0.5:
        return Raw(b"[" * depth + b"]" * depth)
    return Raw(b'{"a":' * depth + b"1" + b"}" * depth)


class EventMutator:
    """Mutates sample event lines; every choice comes from the `rng` it is given."""

    FIELDS = ["id", "type", "account", "occurred_at", "amount", "currency", "merchant", "original_id",
              "original_amount", "original_currency"]
    MERCHANT_FIELDS = ["mid", "siret", "name", "mcc", "country", "channel"]
    SPECIAL_LINES = [b"", b" ", b"\t", b"\r", b" \r", b"\r\r", b"\x0b", b"\x0c", b"\xc2\xa0", b"null", b"[]",
                     b"{}", b"0", b'""', b"true", b"[{}]", b"\xef\xbb\xbf{}", b"{", b"}", b"\x00", b"//",
                     b"{\"id\":\"x\"}{\"id\":\"y\"}", b"{\"id\":\"x\"} trailing", b"\xff\xfe{\x00}\x00"]
    INTERESTING = [b"\x00", b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe2\x80\xa8", b"\r",
                   b"\\", b'"', b"{", b"}", b"[", b"]", b",", b":", b"\\u", b"\\ud800", b"\xef\xbb\xbf", b"\t",
                   b"\x0b", b" " * 100, b"\xcc\x81" * 50, b"-", b"e999", b"null"]

    def __init__(self, samples: list[bytes], huge_max: int):
        self.samples = samples
        self.parsed = [parse_pairs(line) for line in samples]
        self.ids = [dict(p).get("id") for p in self.parsed if isinstance(p, Pairs)]
        self.ids = [i for i in self.ids if isinstance(i, str)]
        self.huge_max = huge_max

    # -- structural mutations: take the event (Pairs) and return the new top-level value --

    def _container(self, rng: random.Random, event: Pairs) -> Pairs:
        nested = [v for _, v in event if isinstance(v, Pairs)]
        return rng.choice(nested) if nested and rng.random() < 0.35 else event

    def _set(self, container: Pairs, key: str, value: object) -> None:
        for i, (k, _) in enumerate(container):
            if k == key:
                container[i] = (k, value)
                return
        container.append((key, value))

    def m_delete(self, rng, event):
        c = self._container(rng, event)
        if c:
            c.pop(rng.randrange(len(c)))
        return event

    def m_duplicate_key(self, rng, event):
        c = self._container(rng, event)
        if c:
            key, value = rng.choice(c)
            other = rng.choice([value, weird_string(rng), type_confusion(rng), rng.choice(NUMBERS)])
            c.insert(rng.randrange(len(c) + 1), (key, other))
        return event

    def m_type_confusion(self, rng, event):
        c = self._container(rng, event)
        key = rng.choice([k for k, _ in c] or self.FIELDS)
        self._set(c, key, type_confusion(rng))
        return event

    def m_number(self, rng, event):
        key = rng.choice(["amount", "amount", "original_amount", "amount"])
        self._set(event, key, rng.choice(NUMBERS))
        if rng.random() < 0.3:
            self._set(event, "currency", rng.choice(CURRENCIES))
        return event

    def m_date(self, rng, event):
        self._set(event, "occurred_at", rng.choice(DATES))
        return event

    def m_string(self, rng, event):
        if rng.random() < 0.6:
            self._set(event, rng.choice(["id", "account", "original_id", "type", "currency", "account"]),
                      weird_string(rng))
        else:
            merchant = dict(event).get("merchant")
            if not isinstance(merchant, Pairs):
                merchant = Pairs()
                self._set(event, "merchant", merchant)
            self._set(merchant, rng.choice(self.MERCHANT_FIELDS), weird_string(rng))
        return event

    def m_huge(self, rng, event):
        roll = rng.random()
        if roll < 0.7:
            size = rng.randrange(1_000, 10_000)
        elif roll < 0.985:
            size = rng.randrange(10_000, 100_000)
        else:
            size = rng.randrange(200_000, self.huge_max)
        text = rng.choice(["A", "\u00e9", "e\u0301", "\U0001f4a9", "\\", " "]) * max(1, size // 4)
        target = rng.choice(["account", "id", "unknown_field", "merchant.name", "merchant.mid", "original_id"])
        if target.startswith("merchant."):
            merchant = dict(event).get("merchant")
            if isinstance(merchant, Pairs):
                self._set(merchant, target.split(".")[1], text)
                return event
            target = "account"
        self._set(event, target, text)
        return event

    def m_nesting(self, rng, event):
        c = self._container(rng, event)
        self._set(c, rng.choice(["merchant", "amount", "extra", "id", "mcc"]), deep_nesting(rng))
        return event

    def m_refund(self, rng, event):
        self._set(event, "type", rng.choice(["refund", "reversal", "refund", "reversal", "payment", "void"]))
        if rng.random() < 0.85:
            original = rng.choice(self.ids + [dict(event).get("id"), "", "unknown-id", None])
            self._set(event, "original_id", original)
        if rng.random() < 0.3:
            self._set(event, "amount", rng.choice(NUMBERS))
        return event

    def m_unknown(self, rng, event):
        key = rng.choice(["extra", "", " ", "ID", "Amount", "amount ", "\u0061mount", "__proto__", "scheme",
                          "deferred", "status", "line", "a" * 10_000, "\u0000"])
        value = rng.choice([weird_string(rng), type_confusion(rng), deep_nesting(rng), rng.choice(NUMBERS)])
        event.insert(rng.randrange(len(event) + 1), (key, value))
        return event

    def m_escaped_key(self, rng, event):
        if event:
            i = rng.randrange(len(event))
            key, value = event[i]
            if isinstance(key, str) and key:
                escaped = "".join(f"\\u{ord(ch):04x}" if rng.random() < 0.5 else ch for ch in key)
                event[i] = (Raw(f'"{escaped}"'.encode()), value)
        return event

    def m_whole(self, rng, event):
        return rng.choice([None, True, 1, "event", [], [event], Pairs(), [event, event],
                           Pairs([("event", event)]), Raw(b"\"" + dump(event).replace(b'"', b'\\"') + b"\"")])

    STRUCTURAL = ["m_delete", "m_duplicate_key", "m_type_confusion", "m_number", "m_number", "m_date",
                  "m_date", "m_string", "m_string", "m_huge", "m_nesting", "m_refund", "m_unknown",
                  "m_escaped_key", "m_whole"]

    # -- byte-level mutations --

    def mutate_bytes(self, rng: random.Random, data: bytes) -> bytes:
        b = bytearray(data)
        op = rng.randrange(8)
        if op == 0 and b:
            for _ in range(rng.randint(1, 8)):
                b[rng.randrange(len(b))] = rng.randrange(256)
        elif op == 1 and b:
            for _ in range(rng.randint(1, 4)):
                b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
        elif op == 2:
            del b[rng.randrange(len(b) + 1):]
        elif op == 3:
            pos = rng.randrange(len(b) + 1)
            b[pos:pos] = rng.choice(self.INTERESTING)
        elif op == 4 and b:
            start = rng.randrange(len(b))
            del b[start:start + rng.randint(1, 16)]
        elif op == 5 and b:
            start = rng.randrange(len(b))
            piece = b[start:start + rng.randint(1, 64)]
            pos = rng.randrange(len(b) + 1)
            b[pos:pos] = piece * rng.randint(1, 4)
        elif op == 6:
            other = rng.choice(self.samples)
            b = b[:rng.randrange(len(b) + 1)] + other[rng.randrange(len(other) + 1):]
        else:
            swaps = {ord('"'): ord("'"), ord("{"): ord("["), ord("}"): ord("]"), ord(":"): ord(","),
                     ord(","): ord(":")}
            positions = [i for i, ch in enumerate(b) if ch in swaps]
            if positions:
                i = rng.choice(positions)
                b[i] = swaps[b[i]]
        return bytes(b)

    # -- lines --

    def mutated(self, rng: random.Random, index: int) -> bytes:
        """Sample `index`, mutated by one to three structural and/or byte-level changes."""
        parsed = self.parsed[index]
        data = self.samples[index]
        if isinstance(parsed, Pairs) and rng.random() < 0.85:
            value: object = deep_copy(parsed)
            for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
                if not isinstance(value, Pairs):
                    break
                value = getattr(self, rng.choice(self.STRUCTURAL))(rng, value)
            data = dump(value)
            if rng.random() < 0.2:
                data = self.mutate_bytes(rng, data)
        else:
            for _ in range(rng.choice([1, 1, 2, 3])):
                data = self.mutate_bytes(rng, data)
        return data

    def line(self, rng: random.Random, index: int) -> bytes:
        """One input line near sample `index`: often the sample itself (so state builds up and
        refunds, duplicates and conflicts happen), sometimes a special line, mostly a mutation."""
        roll = rng.random()
        if roll < 0.25:
            return self.samples[index]
        if roll < 0.28:
            return rng.choice(self.SPECIAL_LINES)
        if roll < 0.29:
            return bytes(deep_nesting(rng).data)
        return self.mutated(rng, index)

    def chunk(self, rng: random.Random, lines: int) -> bytes:
        """`lines` lines from a random window of the samples, newline-terminated (mostly)."""
        start = rng.randrange(len(self.samples))
        out: list[bytes] = []
        for i in range(lines):
            roll = rng.random()
            if out and roll < 0.02:          # a resend: duplicate (or, if it was mutated, whatever it is)
                out.append(rng.choice(out))
            elif out and roll < 0.04:        # an earlier sample again, changed: a conflict, mostly
                out.append(self.mutated(rng, (start + rng.randrange(i)) % len(self.samples)))
            else:
                out.append(self.line(rng, (start + i) % len(self.samples)))
        return b"\n".join(out) + (b"\n" if rng.random() < 0.95 else b"")


def load_samples(rules: Path) -> list[bytes]:
    path = rules / "samples" / "payments.jsonl"
    if not path.is_file():
        raise AttackError(f"no sample events at {path}")
    return [line for line in path.read_bytes().split(b"\n") if line.strip()]


# --------------------------------------------------------------------------------------------
# Attack 1: mutated event lines through dry-run
# --------------------------------------------------------------------------------------------

STATUSES = {"rewarded", "no_reward", "clawback", "orphan", "duplicate", "conflict", "invalid"}


def non_blank_lines(data: bytes) -> list[int]:
    """Physical numbers (from 1) of the lines dry-run must decide: lines split on LF; a line is
    blank when, without one trailing CR, it holds only spaces and tabs (what the product does)."""
    parts = data.split(b"\n")
    if parts and parts[-1] == b"":
        parts.pop()
    numbers = []
    for n, part in enumerate(parts, 1):
        if part.endswith(b"\r"):
            part = part[:-1]
        if part.strip(b" \t"):
            numbers.append(n)
    return numbers


def reject_constant(name: str) -> object:
    raise ValueError(f"non-JSON constant {name}")


def check_decisions(out: bytes, expected: list[int], statuses: collections.Counter | None = None
                    ) -> tuple[int, int, list[tuple[str, str]], list[str]]:
    """Checks dry-run JSON output against the non-blank input lines (and counts the statuses
    in `statuses`). Returns (lost, doubled, problems as (kind, text), warnings)."""
    problems: list[tuple[str, str]] = []
    warnings: list[str] = []
    decisions = []
    lines = out.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    elif lines:
        problems.append(("unterminated output", repr(lines[-1][:120])))
    for number, raw in enumerate(lines, 1):
        try:
            decision = json.loads(raw, parse_constant=reject_constant)
        except (ValueError, UnicodeDecodeError) as error:
            problems.append(("unparseable output line", f"output line {number}: {error}: {raw[:160]!r}"))
            continue
        if not isinstance(decision, dict) or decision.get("status") not in STATUSES:
            problems.append(("not a decision", f"output line {number}: {raw[:160]!r}"))
            continue
        decisions.append(decision)
        if statuses is not None:
            statuses[decision["status"]] += 1
    plain = [d for d in decisions if d.get("deferred") is not True]
    lost = max(0, len(expected) - len(plain))
    doubled = max(0, len(plain) - len(expected))
    if not lost and not doubled:
        for decision, number in zip(plain, expected):
            if "line" in decision and decision["line"] != number:
                problems.append(("misaligned decision", f"decision says line {decision['line']}, "
                                 f"it is the decision of input line {number}"))
                break
    for decision in plain:
        account = decision.get("account")
        if decision.get("status") != "invalid" and isinstance(account, str) and len(account) > 128:
            warnings.append(f"event {str(decision.get('event'))[:40]!r} accepted with an account of "
                            f"{len(account)} code points ({len(account.encode('utf-8', 'surrogatepass'))} "
                            f"UTF-8 bytes); SPEC §2 says 1-128 chars")
    return lost, doubled, problems, warnings


def attack_dry_run(ctx: Context, result: Result) -> None:
    """Attack 1: mutated event lines through `cashback dry-run --rules rules --format json -`."""
    mutator = EventMutator(load_samples(ctx.rules), ctx.scale.huge_max)
    chunks = max(1, ctx.scale.event_lines // ctx.scale.chunk_lines)
    statuses: collections.Counter = collections.Counter()
    statuses_lock = threading.Lock()

    def one(i: int) -> None:
        data = mutator.chunk(ctx.rng("events", i), ctx.scale.chunk_lines)
        expected = non_blank_lines(data)
        scratch = ctx.fresh("dry")
        path = scratch / "events.jsonl"
        path.write_bytes(data)
        explain = ["--explain"] if i % 4 == 3 else []        # every fourth run with traces
        outcome = ctx.run(["dry-run", "--rules", str(ctx.rules), "--format", "json", *explain, "-"], stdin=path,
                          timeout=DRY_RUN_DEADLINE)
        result.add(inputs=len(expected))
        where = f"chunk {i} (--seed {ctx.seed}{', --explain' if explain else ''})"
        bad = False
        if outcome.hung:
            result.add(hangs=1)
            result.note("hang", f"{where}: {outcome.describe()}{ctx.keep(f'dry-run-hang-{i}.jsonl', path)}")
            bad = True
        elif outcome.crashed:
            result.add(crashes=1)
            result.note("crash", f"{where}: {outcome.describe()}{ctx.keep(f'dry-run-crash-{i}.jsonl', path)}")
            bad = True
        elif outcome.rc != 0:
            result.add(violations=1)
            result.note("exit code", f"{where}: {outcome.describe()}")
            bad = True
        if not outcome.hung and not outcome.crashed:
            counted: collections.Counter = collections.Counter()
            lost, doubled, problems, warnings = check_decisions(outcome.out, expected, counted)
            with statuses_lock:
                statuses.update(counted)
            result.add(lost=lost, doubled=doubled, violations=len(problems), warnings=len(warnings))
            if lost or doubled:
                result.note("decision count", f"{where}: {len(expected)} non-blank lines, "
                            f"{lost} without decision, {doubled} extra")
                bad = True
            for kind, text in problems:
                result.note(kind, f"{where}: {text}")
                bad = True
            for text in warnings:
                result.note("warning", f"{where}: {text}", limit=2)
        if bad:
            ctx.keep(f"dry-run-chunk-{i}.jsonl", path)
        shutil.rmtree(scratch, ignore_errors=True)

    run_parallel(ctx, chunks, one, "dry-run chunks", every=max(1, chunks // 10))
    result.notes.append("decisions by status: " + ", ".join(f"{k} {v}" for k, v in statuses.most_common()))


# --------------------------------------------------------------------------------------------
# Attack 2: mutated rule directories through lint
# --------------------------------------------------------------------------------------------

YAML_VALUES = [
    "[]", "{}", "~", "null", "''", '""', "yes", "NO", "0o17", "0x1F", "1_000", ".5", "+.inf", "-.inf", ".nan",
    "1e400", "99999999999999999999999999999", "-99999999999999999999", "0.000000000000000000000001",
    "-0", "-1", "0", "150%", "100.001%", "-5%", "1e3%", "%", "5 %", "５%", "NaN%", "1e999%", "0.0000001%",
    "2027-02-30", "2026-13-01", "0000-00-00", "9999-12-31", "2024-02-29", "2023-02-29", "2026-11-01T25:00:00",
    "!!binary aGVsbG8=", "!!python/object/apply:os.system ['true']", "!custom x", "!!set {a, b}",
    "!!timestamp 2026-11-01", "!!int abc", "!!float xyz", "*undefined", "&a", "<<", "=", "|", ">",
    "[a, [b, [c, [d]]]]", "{a: {b: {c: d}}}", "'unterminated", '"unterminated', "`cmd`", "@at", "%tag",
    "\u202etext", "e\u0301", "\u0000", "\U0001f4a9", "ZERO\u200bWIDTH", "x" * 10_000,
    "{ max: 1e400 }", "{ percentage: 150% }", "{ flat: -2.00 }", "{ flat: 1e12 }", "{ per: all, period: eon }",
]
CONTROL = ["\x00", "\x01", "\x07", "\x08", "\x1b", "\x7f", "\x85", "\u2028", "\u2029", "\ufeff", "\r", "\x0c", "\x0b"]
INVALID_UTF8 = [b"\xff", b"\xfe", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe2\x82", b"\x80",
                b"\xf8\x88\x80\x80\x80", b"\xef\xbb"]
KEY_LINE = re.compile(rb"^(\s*(?:- )?)([A-Za-z_][\w-]*):(\s*)(.*)$")


class RuleMutator:
    """Mutates the text of one YAML rule file; every choice comes from the `rng` it is given."""

    def mutate(self, rng: random.Random, text: bytes) -> bytes:
        for _ in range(rng.choice([1, 1, 2, 3])):
            text = getattr(self, rng.choice(self.OPS))(rng, text)
        return text

    @staticmethod
    def _lines(text: bytes) -> list[bytes]:
        return text.split(b"\n")

    def flip(self, rng, text):
        b = bytearray(text)
        for _ in range(rng.randint(1, 10)):
            if b:
                b[rng.randrange(len(b))] = rng.randrange(256)
        return bytes(b)

    def delete_lines(self, rng, text):
        lines = self._lines(text)
        for _ in range(rng.randint(1, 5)):
            if lines:
                del lines[rng.randrange(len(lines))]
        return b"\n".join(lines)

    def duplicate_line(self, rng, text):
        lines = self._lines(text)
        keyed = [i for i, line in enumerate(lines) if KEY_LINE.match(line)] or list(range(len(lines)))
        i = rng.choice(keyed)
        lines.insert(i + 1, lines[i])
        return b"\n".join(lines)

    def duplicate_block(self, rng, text):
        lines = self._lines(text)
        start = rng.randrange(len(lines))
        block = lines[start:start + rng.randint(2, 12)]
        lines[start:start] = block * rng.randint(1, 3)
        return b"\n".join(lines)

    def wrong_value(self, rng, text):
        lines = self._lines(text)
        keyed = [i for i, line in enumerate(lines) if KEY_LINE.match(line)]
        for _ in range(rng.randint(1, 3)):
            if keyed:
                i = rng.choice(keyed)
                m = KEY_LINE.match(lines[i])
                lines[i] = m.group(1) + m.group(2) + b": " + rng.choice(YAML_VALUES).encode("utf-8", "surrogatepass")
        return b"\n".join(lines)

    def huge_number(self, rng, text):
        numbers = list(re.finditer(rb"-?\d+(?:\.\d+)?%?", text))
        if not numbers:
            return text
        m = rng.choice(numbers)
        new = rng.choice([b"1" + b"0" * rng.choice([20, 400, 5000]), b"1e400", b"-1e400", b"0." + b"0" * 400 + b"1",
                          b"150%", b"1e12%", b"99999999999999999999%", b"-0.01", b"9223372036854775808",
                          b"18446744073709551616", b"2027-02-30", b"0x7fffffffffffffff"])
        return text[:m.start()] + new + text[m.end():]

    def deep_nesting(self, rng, text):
        depth = rng.choice([50, 200, 1000, 10_000, 100_000])
        if rng.random() < 0.5:
            piece = b"deep: " + b"[" * depth + b"]" * depth
        else:
            depth = min(depth, 3_000)
            piece = b"\n".join(b"  " * d + b"k:" for d in range(depth)) + b" 1"
        return text + b"\n" + piece + b"\n"

    def aliases(self, rng, text):
        kind = rng.randrange(5)
        if kind == 0:  # billion laughs
            levels = [b'a0: &a0 ["lol"]']
            for n in range(1, rng.choice([5, 9, 12])):
                refs = b",".join(b"*a%d" % (n - 1) for _ in range(10))
                levels.append(b"a%d: &a%d [%s]" % (n, n, refs))
            piece = b"\n".join(levels)
        elif kind == 1:
            piece = b"x: &r [*r]"
        elif kind == 2:
            piece = b"base: &base { max: 1e400 }\nmerged:\n  <<: *base\n  <<: *base"
        elif kind == 3:
            piece = b"y: *nowhere"
        else:
            lines = self._lines(text)
            keyed = [i for i, line in enumerate(lines) if KEY_LINE.match(line)]
            if len(keyed) >= 2:
                i, j = sorted(rng.sample(keyed, 2))
                mi, mj = KEY_LINE.match(lines[i]), KEY_LINE.match(lines[j])
                lines[i] = mi.group(1) + mi.group(2) + b": &anchor " + mi.group(4)
                lines[j] = mj.group(1) + mj.group(2) + b": *anchor"
                return b"\n".join(lines)
            piece = b"z: &z 1"
        return (text + b"\n" + piece + b"\n") if rng.random() < 0.5 else (piece + b"\n" + text)

    def tabs(self, rng, text):
        lines = self._lines(text)
        for _ in range(rng.randint(1, 6)):
            i = rng.randrange(len(lines))
            stripped = lines[i].lstrip(b" ")
            lines[i] = b"\t" * ((len(lines[i]) - len(stripped)) // 2 or 1) + stripped
        return b"\n".join(lines)

    def control(self, rng, text):
        pos = rng.randrange(len(text) + 1)
        return text[:pos] + rng.choice(CONTROL).encode() * rng.randint(1, 3) + text[pos:]

    def invalid_utf8(self, rng, text):
        pos = rng.randrange(len(text) + 1)
        return text[:pos] + rng.choice(INVALID_UTF8) + text[pos:]

    def dates(self, rng, text):
        found = list(re.finditer(rb"\d{4}-\d{2}-\d{2}", text))
        new = rng.choice([b"2027-02-30", b"2026-13-01", b"0000-00-00", b"9999-12-31", b"2024-02-29", b"2023-02-29",
                          b"10000-01-01", b"2026-11-01T25:00:00", b"-2026-01-01", b"2026-1-1"])
        if found:
            m = rng.choice(found)
            return text[:m.start()] + new + text[m.end():]
        return text + b"\nstarts: " + new + b"\n"

    def huge_line(self, rng, text):
        size = rng.choice([10_000, 1 * MiB, 3 * MiB, 8 * MiB])
        return text + b"\n# " + b"x" * size + b"\nname: " + b"y" * min(size, MiB) + b"\n"

    def tags_and_docs(self, rng, text):
        piece = rng.choice([b"---", b"...", b"--- !!map", b"%YAML 1.1", b"%TAG ! tag:evil:", b"? [complex, key]\n: v",
                            b"!!python/object/apply:os.system ['true']: 1", b"--- |\n  text"])
        pos = rng.choice([0, len(text)])
        return text[:pos] + piece + b"\n" + text[pos:]

    def truncate(self, rng, text):
        return text[:rng.randrange(len(text) + 1)]

    def garbage(self, rng, text):
        return bytes(rng.randrange(256) for _ in range(rng.choice([1, 100, 5_000])))

    def unicode_keys(self, rng, text):
        lines = self._lines(text)
        keyed = [i for i, line in enumerate(lines) if KEY_LINE.match(line)]
        if keyed:
            i = rng.choice(keyed)
            m = KEY_LINE.match(lines[i])
            key = m.group(2).decode()
            key = rng.choice([key.upper(), key + "\u0301", "\u0440" + key[1:], key.replace("e", "\u0435"),
                              key + " ", "\ufeff" + key])
            lines[i] = m.group(1) + key.encode() + b":" + m.group(3) + m.group(4)
        return b"\n".join(lines)

    def percentages(self, rng, text):
        found = list(re.finditer(rb"\d+(?:\.\d+)?%", text))
        new = rng.choice([b"150%", b"100%", b"100.0001%", b"-1%", b"0%", b"0.0001%", b"1e3%", b"%", b"5 %",
                          b"\xef\xbc\x95%", b"5%%", b"5\xe2\x80\xb0", b"NaN%", b"Infinity%"])
        if found:
            m = rng.choice(found)
            return text[:m.start()] + new + text[m.end():]
        return text

    PLAUSIBLE = [
        (rb"\b\d+(?:\.\d+)?%", [b"0%", b"0.0001%", b"0.01%", b"12.3456%", b"99.9999%", b"100%", b"1000%"]),
        (rb"\b\d+\.\d\d\b", [b"0.00", b"0.01", b"0.001", b"1", b"999999999.99", b"9999999999.99", b"10000000000.00",
                              b"99999999999999.99", b"0"]),
        (rb"\b\d{4}-\d{2}-\d{2}\b", [b"0001-01-01", b"9999-12-31", b"2024-02-29", b"1970-01-01", b"2026-11-27",
                                     b"2026-12-31"]),
        (rb'"\d{2}:\d{2}"', [b'"00:00"', b'"23:59"', b'"24:00"', b'"12:00"', b'"00:00:00"']),
        (rb"\b(?:day|week|month|year|lifetime)\b", [b"day", b"week", b"month", b"year", b"lifetime"]),
        (rb"\bper: (?:account|payment|all)\b", [b"per: account", b"per: payment", b"per: all"]),
        (rb"\b(?:sum|best|first)\b", [b"sum", b"best", b"first"]),
        (rb"(?<=timezone: )\S+", [b"UTC", b"Pacific/Kiritimati", b"Pacific/Pago_Pago", b"America/St_Johns",
                                 b"Asia/Kathmandu", b"Etc/GMT-14", b"Etc/GMT+12", b"Europe/Paris", b"Nowhere/City"]),
        (rb"(?<=confirm_after: )\S+", [b"0d", b"0m", b"1m", b"36500d", b"99999999999d", b"24h"]),
        (rb"(?<=rounding: )\S+", [b"down", b"half-up", b"half-even"]),
        (rb"\[(?:mon|tue|wed|thu|fri|sat|sun)[^\]]*\]", [b"[mon]", b"[sun]", b"[mon, tue, wed, thu, fri, sat, sun]",
                                                        b"[sat, sat]"]),
        (rb"\bmax: [\d.]+", [b"max: 0.01", b"max: 0", b"max: 999999999999.99"]),
    ]

    def plausible(self, rng, text):
        """A value swapped for another of the same kind, extreme but often valid: lint may accept it,
        and then the engine has to cope with it."""
        for _ in range(rng.randint(1, 3)):
            pattern, values = rng.choice(self.PLAUSIBLE)
            found = list(re.finditer(pattern, text))
            if found:
                m = rng.choice(found)
                text = text[:m.start()] + rng.choice(values) + text[m.end():]
        return text

    OPS = ["plausible", "plausible", "plausible", "plausible", "plausible", "flip", "delete_lines", "duplicate_line", "duplicate_block", "wrong_value", "wrong_value",
           "huge_number", "deep_nesting", "aliases", "tabs", "control", "invalid_utf8", "dates", "huge_line",
           "tags_and_docs", "truncate", "garbage", "unicode_keys", "percentages"]


def _odd_dangling(d: Path) -> None:
    (d / "partners" / "ghost.yaml").symlink_to(d / "does-not-exist.yaml")


def _odd_loop_files(d: Path) -> None:
    (d / "partners" / "loop-a.yaml").symlink_to("loop-b.yaml")
    (d / "partners" / "loop-b.yaml").symlink_to("loop-a.yaml")


def _odd_loop_dir(d: Path) -> None:
    (d / "partners" / "again").symlink_to("..")
    (d / "partners" / "self").symlink_to(".")


def _odd_partners_file(d: Path) -> None:
    shutil.rmtree(d / "partners")
    (d / "partners").write_bytes(b"partner: x\n")


def _odd_program_dir(d: Path) -> None:
    (d / "program.yaml").unlink()
    (d / "program.yaml").mkdir()


def _odd_empty_partner(d: Path) -> None:
    (d / "partners" / "empty.yaml").write_bytes(b"")


def _odd_empty_program(d: Path) -> None:
    (d / "program.yaml").write_bytes(b"")


def _odd_dir_named_yaml(d: Path) -> None:
    (d / "partners" / "folder.yaml").mkdir()


def _odd_no_partners(d: Path) -> None:
    shutil.rmtree(d / "partners")


def _odd_dev_zero(d: Path) -> None:
    (d / "partners" / "zero.yaml").symlink_to("/dev/zero")


def _odd_fifo(d: Path) -> None:
    os.mkfifo(d / "partners" / "pipe.yaml")


def _odd_deep_dirs(d: Path) -> None:
    path = d / "partners"
    for _ in range(60):
        path = path / "d"
    path.mkdir(parents=True)
    shutil.copyfile(next((d / "partners").glob("*.yaml")), path / "deep.yaml")


def _odd_odd_names(d: Path) -> None:
    source = next((d / "partners").glob("*.yaml")).read_bytes()
    for name in [b"new\nline.yaml", b"bad\xff.yaml", b"x" * 250 + b".yaml", b" .yaml", b".hidden.yaml", b"-.yaml"]:
        with open(os.path.join(os.fsencode(d / "partners"), name), "wb") as f:
            f.write(source)


def _odd_many_files(d: Path) -> None:
    source = next((d / "partners").glob("*.yaml")).read_bytes()
    for n in range(300):
        (d / "partners" / f"copy-{n:03}.yaml").write_bytes(source)


def _odd_self_link_rules(d: Path) -> None:
    (d / "partners" / "rules-again.yaml").symlink_to(d / "program.yaml")


ODDITIES: list[Callable[[Path], None]] = [
    _odd_dangling, _odd_loop_files, _odd_loop_dir, _odd_partners_file, _odd_program_dir, _odd_empty_partner,
    _odd_empty_program, _odd_dir_named_yaml, _odd_no_partners, _odd_dev_zero, _odd_fifo, _odd_deep_dirs,
    _odd_odd_names, _odd_many_files, _odd_self_link_rules,
]


def copy_rules(source: Path, target: Path) -> list[Path]:
    """Copies the rule files (not samples/) of `source` to `target`; returns the YAML files."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if relative.parts[0] == "samples":
            continue
        if path.is_dir():
            (target / relative).mkdir(parents=True, exist_ok=True)
        else:
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / relative)
    return sorted(p for p in target.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def evaluate_accepted_rules(ctx: Context, result: Result, rules: Path, where: str) -> bool:
    """Rules that lint accepted must evaluate: a dry-run of the samples with them exits 0 and
    prints one decision per event. Returns True when it did not."""
    samples = ctx.rules / "samples" / "payments.jsonl"
    outcome = ctx.run(["dry-run", "--rules", str(rules), "--format", "json", str(samples)], timeout=DRY_RUN_DEADLINE)
    where = f"{where}, accepted by lint, then dry-run of the samples"
    if outcome.hung:
        result.add(hangs=1)
        result.note("hang", f"{where}: {outcome.describe()}")
    elif outcome.crashed:
        result.add(crashes=1)
        result.note("crash", f"{where}: {outcome.describe()}")
    elif outcome.rc != 0:
        result.add(violations=1)
        result.note("lint ok, dry-run refuses", f"{where}: {outcome.describe()}")
    else:
        lost, doubled, problems, _ = check_decisions(outcome.out, non_blank_lines(samples.read_bytes()))
        result.add(lost=lost, doubled=doubled, violations=len(problems))
        for kind, text in problems:
            result.note(kind, f"{where}: {text}")
        if lost or doubled:
            result.note("decision count", f"{where}: {lost} missing, {doubled} extra")
        return bool(lost or doubled or problems)
    return True


def attack_lint(ctx: Context, result: Result) -> None:
    """Attack 2: mutated copies of rules/ through `cashback lint DIR`."""
    mutator = RuleMutator()
    largest = {"size": 0, "what": ""}
    exits: collections.Counter = collections.Counter()
    oddities: dict[str, str] = {}
    evaluated = [0]
    lock = threading.Lock()

    def one(i: int) -> None:
        rng = ctx.rng("lint", i)
        scratch = ctx.fresh("lint")
        rules = scratch / "rules"
        files = copy_rules(ctx.rules, rules)
        what: list[str] = []
        mutated_size = 0
        if i < len(ODDITIES) or rng.random() < 0.1:
            oddity = ODDITIES[i] if i < len(ODDITIES) else rng.choice(ODDITIES)
            oddity(rules)
            what.append(oddity.__name__[1:])
        if i >= len(ODDITIES):
            target = rng.choice(files)
            if target.is_file() and not target.is_symlink():
                text = mutator.mutate(rng, target.read_bytes())
                target.write_bytes(text)
                mutated_size = len(text)
                what.append(f"mutated {target.relative_to(rules)}")
        outcome = ctx.run(["lint", str(rules)], timeout=LINT_DEADLINE, cap=64 * 1024)
        result.add(inputs=1)
        with lock:
            exits[outcome.rc] += 1
            if i < len(ODDITIES):
                oddities[what[0]] = outcome.describe()[:100] if outcome.rc else "exit 0 (accepted)"
        where = f"dir {i} (--seed {ctx.seed}: {', '.join(what)})"
        size = outcome.out_size + outcome.err_size
        with lock:
            if size > largest["size"]:
                largest.update(size=size, what=where)
        bad = True
        if outcome.hung:
            result.add(hangs=1)
            result.note("hang", f"{where}: {outcome.describe()}")
        elif outcome.crashed:
            result.add(crashes=1)
            result.note("crash", f"{where}: {outcome.describe()}")
        elif outcome.rc not in (0, 1):
            result.add(violations=1)
            result.note("exit code", f"{where}: {outcome.describe()}")
        elif size > MiB + 2 * mutated_size:
            result.add(violations=1)
            result.note("unbounded output", f"{where}: {size} bytes of output")
        elif outcome.rc == 1 and b"error" not in outcome.out + outcome.err:
            result.add(violations=1)
            result.note("silent failure", f"{where}: exit 1 without an error line")
        elif outcome.rc == 0 and re.search(rb":\d+:\d+: error:", outcome.out + outcome.err):
            result.add(violations=1)
            result.note("errors but exit 0", f"{where}: {outcome.out[:200]!r}")
        else:
            bad = False
        if not bad and outcome.rc == 0 and mutated_size:
            bad = evaluate_accepted_rules(ctx, result, rules, where)
            with lock:
                evaluated[0] += 1
        if bad:
            ctx.keep(f"lint-dir-{i}", rules)
        shutil.rmtree(scratch, ignore_errors=True)

    run_parallel(ctx, ctx.scale.lint_dirs, one, "lint dirs", every=max(1, ctx.scale.lint_dirs // 10))
    result.notes.append(f"largest lint output: {largest['size']} bytes, {largest['what']}")
    result.notes.append("exit codes: " + ", ".join(f"{rc}: {n}" for rc, n in sorted(exits.items(), key=str))
                        + f"; {evaluated[0]} mutated dirs that lint accepted were used for a dry-run of the samples")
    result.notes.append("filesystem oddities: " + "; ".join(f"{k}: {v}" for k, v in oddities.items()))


# --------------------------------------------------------------------------------------------
# HTTP: a raw client (any path, any framing) and the service under test
# --------------------------------------------------------------------------------------------

@dataclasses.dataclass
class Reply:
    """What came back on one connection."""
    status: int | None = None          # None: no response
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    body: bytes = b""
    closed: bool = False               # the server closed the connection after (or instead of) answering
    hung: bool = False                 # nothing conclusive within the deadline
    send_error: str | None = None      # the server stopped reading (reset) while we sent


def build_request(method: str, path: str, headers: Iterable[tuple[str, str]] = (), body: bytes | None = None,
                  *, length: int | None = None, close: bool = True) -> bytes:
    """A raw HTTP/1.1 request; Content-Length is `length` if given, else the body's length."""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{k}: {v}" for k, v in headers]
    if body is not None and not any(k.lower() == "transfer-encoding" for k, _ in headers):
        lines.append(f"Content-Length: {len(body) if length is None else length}")
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b"")


def exchange(port: int, raw: bytes, *, timeout: float = REQUEST_DEADLINE, head: bool = False,
             wait_close: bool = False) -> Reply:
    """Sends `raw` whole, then reads one response (skipping 1xx). With `wait_close`, also waits
    (within the deadline) for the server to close the connection."""
    reply = Reply()
    deadline = time.monotonic() + timeout
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    except OSError as error:
        reply.send_error = f"connect: {error}"
        return reply
    with sock:
        try:
            sock.sendall(raw)
        except socket.timeout:
            reply.hung = True
            return reply
        except OSError as error:
            reply.send_error = str(error)
        buffer = b""

        def fill() -> bool:
            nonlocal buffer
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise socket.timeout
            sock.settimeout(remaining)
            data = sock.recv(65536)
            if not data:
                reply.closed = True
                return False
            buffer += data
            return True

        try:
            while True:
                while b"\r\n\r\n" not in buffer:
                    if not fill():
                        return reply
                head_bytes, _, buffer = buffer.partition(b"\r\n\r\n")
                lines = head_bytes.decode("latin-1").split("\r\n")
                parts = lines[0].split(" ", 2)
                status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
                headers = {}
                for line in lines[1:]:
                    key, _, value = line.partition(":")
                    headers[key.strip().lower()] = value.strip()
                if 100 <= status < 200:
                    continue
                reply.status, reply.headers = status, headers
                break
            if head or status in (204, 304):
                length = 0
            elif "content-length" in headers and headers["content-length"].isdigit():
                length = int(headers["content-length"])
            elif headers.get("transfer-encoding", "").lower() == "chunked":
                length = -1
            else:
                length = None
            if length is None:
                while fill():
                    pass
            elif length >= 0:
                while len(buffer) < length:
                    if not fill():
                        break
            else:
                while not buffer.endswith(b"0\r\n\r\n"):
                    if not fill():
                        break
            reply.body = buffer[:length] if length and length > 0 else buffer
            if wait_close and not reply.closed:
                buffer = b""
                while fill():
                    pass
        except socket.timeout:
            if reply.status is None or wait_close:
                reply.hung = True
        except OSError:
            reply.closed = True
        return reply


class Server:
    """`cashback serve` on 127.0.0.1 port 0, with an API token and an admin token."""

    def __init__(self, ctx: Context, name: str, rules: Path, db: Path, extra: Iterable[str] = ()):
        self.ctx, self.name, self.rules, self.db, self.extra = ctx, name, rules, db, list(extra)
        self.folder = ctx.fresh(f"serve-{name}")
        self.token, self.admin = f"api-{ctx.seed}-{os.getpid()}", f"adm-{ctx.seed}-{os.getpid()}"
        (self.folder / "token").write_text(self.token + "\n")
        (self.folder / "admin").write_text(self.admin + "\n")
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self.starts = 0

    def start(self, timeout: float = 30.0) -> int:
        """Starts and waits for `listening on 127.0.0.1:PORT`; raises AttackError if it does not come."""
        self.starts += 1
        out_path = self.folder / f"stdout-{self.starts}"
        self.err_path = self.folder / f"stderr-{self.starts}"
        with open(out_path, "wb") as out, open(self.err_path, "wb") as err:
            self.proc = self.ctx.popen(
                [str(self.ctx.binary), "serve", "--rules", str(self.rules), "--db", str(self.db),
                 "--listen", "127.0.0.1:0", "--token-file", str(self.folder / "token"),
                 "--admin-token-file", str(self.folder / "admin"), *self.extra],
                stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = re.search(rb"listening on 127\.0\.0\.1:(\d+)", out_path.read_bytes())
            if m:
                self.port = int(m.group(1))
                return self.port
            if self.proc.poll() is not None:
                raise AttackError(f"serve {self.name} exited {self.proc.returncode} at start: {self.stderr_tail()}")
            time.sleep(0.02)
        self.kill9()
        raise AttackError(f"serve {self.name} did not listen within {timeout:.0f}s: {self.stderr_tail()}")

    def stderr_tail(self, size: int = 400) -> str:
        try:
            return self.err_path.read_bytes()[-size:].decode("utf-8", "replace").strip().replace("\n", " | ")
        except (OSError, AttributeError):
            return ""

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill9(self) -> None:
        """SIGKILL by PID and reap."""
        if self.alive():
            os.kill(self.proc.pid, signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait(30)
            self.ctx.forget(self.proc)

    def stop(self, timeout: float = 30.0) -> int | None:
        """SIGTERM by PID; the exit code, or None if it did not exit in time (then SIGKILL)."""
        if not self.alive():
            return self.proc.returncode if self.proc else None
        os.kill(self.proc.pid, signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill9()
            return None
        self.ctx.forget(self.proc)
        return rc

    def auth(self, admin: bool = False) -> tuple[str, str]:
        return ("Authorization", f"Bearer {self.admin if admin else self.token}")

    def get(self, path: str, timeout: float = REQUEST_DEADLINE) -> Reply:
        return exchange(self.port, build_request("GET", path, [self.auth()]), timeout=timeout)

    def wait_drained(self, timeout: float) -> bool:
        """Polls GET /readyz until queue_depth is 0; False if it is not by `timeout`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            reply = self.get("/readyz", timeout=10)
            try:
                if reply.status == 200 and json.loads(reply.body).get("queue_depth") == 0:
                    return True
            except ValueError:
                pass
            if not self.alive():
                return False
            time.sleep(0.25)
        return False


def judge_stop(result: Result, server: Server, rc: int | None) -> None:
    """SIGTERM must end the service with exit 0 in time."""
    if rc is None:
        result.add(hangs=1)
        result.note("hang", f"serve {server.name} did not exit within 30s of SIGTERM")
    elif rc < 0 or rc >= 128:
        result.add(crashes=1)
        result.note("crash", f"serve {server.name} ended with {rc} on SIGTERM: {server.stderr_tail()}")
    elif rc != 0:
        result.add(violations=1)
        result.note("exit code", f"serve {server.name} exited {rc} on SIGTERM: {server.stderr_tail()}")


def decisions_of(ctx: Context, db: Path, result: Result) -> list[bytes] | None:
    """`cashback decisions --db DB` as lines (None, noted, if it fails)."""
    outcome = ctx.run(["decisions", "--db", str(db)], timeout=300)
    if outcome.rc != 0:
        kind = "hang" if outcome.hung else "crash" if outcome.crashed else "exit code"
        result.add(**{"hangs" if outcome.hung else "crashes" if outcome.crashed else "violations": 1})
        result.note(kind, f"decisions --db: {outcome.describe()}")
        return None
    return [line for line in outcome.out.split(b"\n") if line]


def check_database(ctx: Context, db: Path, result: Result) -> None:
    """`cashback check --db DB` must say the database is whole."""
    outcome = ctx.run(["check", "--db", str(db)], timeout=300)
    if outcome.rc != 0:
        result.add(**{"hangs" if outcome.hung else "crashes" if outcome.crashed else "violations": 1})
        result.note("check", f"check --db after the attack: {outcome.describe()} {outcome.out[:200]!r}")


# --------------------------------------------------------------------------------------------
# Attack 3a: mutated bodies, paths, methods and tokens
# --------------------------------------------------------------------------------------------

PATHS = [
    "/v1/events", "//v1/events", "/v1//events", "/v1/events/", "///v1///events///", "/v1/./events",
    "/v1/../v1/events", "/x/../v1/events", "/v1/%65vents", "/%76%31/events", "/v1%2fevents", "/v1/events%2f",
    "/v1/events%00", "/V1/events", "/v1/EVENTS", "/v1/events?x=1", "/v1/events?", "/v1/events#frag",
    "/v1/events;x=1", "/v1\\events", "http://127.0.0.1/v1/events", "/v1/events/pay-000001",
    "/v1/events/%2e%2e%2f%2e%2e", "/v1/events/..", "/v1/events/%ZZ", "/v1/events/%00", "/v1/events/" + "a" * 8000,
    "/v1/credits", "/v1//credits", "//v1//credits/", "/v1/credits?after=-1&limit=99999999999999999999",
    "/v1/credits?after=abc&limit=-5", "/v1/partners", "/v1/partners/", "/v1/partners/paul/stats",
    "/v1/partners/%2e%2e/stats", "/v1/partners/paul%2fstats", "/v1/accounts/C200150", "/v1/accounts/%F0%9F%92%A9",
    "/v1/accounts/%ff%fe", "/v1", "/v1/", "//v1", "/v1/rules/reload", "/v1/rules/reload/", "/v1//rules/reload",
    "//v1/rules//reload", "/v1/rules/./reload", "/v1/rules/%72eload", "/v1/rules/reload?x", "/v1/rules/reload;x",
    "/v1/%72ules/reload", "/v1/rules/reload/..", "/v1/rules/x/../reload", "/v1/rules%2freload",
    "/healthz", "/readyz", "/metrics", "//healthz", "/healthz/", "/readyz/../v1/partners", "*", "", "v1/events",
]
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "QUERY", "get", "FOO"]
AUTHS = ["none", "wrong", "empty", "lowercase-scheme", "api", "admin", "basic", "api-space", "two-headers",
         "prefix", "longer", "nul-suffix", "upper-case", "huge", "no-scheme"]


def auth_headers(server: Server, kind: str) -> tuple[list[tuple[str, str]], bool, bool]:
    """Headers for an auth variant, whether it carries the valid API token, and the admin one."""
    return {
        "none": ([], False, False),
        "wrong": ([("Authorization", "Bearer nope")], False, False),
        "empty": ([("Authorization", "Bearer ")], False, False),
        "lowercase-scheme": ([("Authorization", f"bearer {server.token}")], True, False),
        "api": ([server.auth()], True, False),
        "admin": ([server.auth(admin=True)], True, True),
        "basic": ([("Authorization", "Basic YWRtaW46YWRtaW4=")], False, False),
        "api-space": ([("Authorization", f"Bearer {server.token} ")], True, False),
        "two-headers": ([("Authorization", "Bearer nope"), server.auth()], True, False),   # either answer is fine
        "prefix": ([("Authorization", f"Bearer {server.token[:-1]}")], False, False),
        "longer": ([("Authorization", f"Bearer {server.token}x")], False, False),
        "nul-suffix": ([("Authorization", f"Bearer {server.token}\x00")], False, False),
        "upper-case": ([("Authorization", f"Bearer {server.token.upper()}")], False, False),
        "huge": ([("Authorization", "Bearer " + "a" * 1_000_000)], False, False),
        "no-scheme": ([("Authorization", server.token)], True, False),                    # lax at worst
    }[kind]


def decoded_path(path: str) -> str:
    """The path part, percent-decoded and lower-cased, to tell which route a spelling aims at."""
    from urllib.parse import unquote
    return unquote(path.split("?")[0].split("#")[0], errors="replace").lower()


def valid_event(tag: str) -> bytes:
    return json.dumps({"id": f"atk-{tag}", "account": "ATTACK", "occurred_at": "2026-11-20T12:00:00+01:00",
                       "amount": "12.34", "currency": "EUR", "merchant": {"name": "ATTACK SHOP"}}).encode()


EXTREME_VALID_DATES = [
    "9999-12-31T23:59:59Z", "9999-12-31T23:59:59-12:00", "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00Z", "0001-01-01T00:00:00-12:00", "2024-02-29T12:00:00+01:00", "1970-01-01T00:00:00Z",
    "1969-12-31T23:59:59Z", "2026-03-29T02:30:00+01:00", "2026-10-25T02:30:00+02:00", "2038-01-19T03:14:08Z",
    "2106-02-07T06:28:16Z", "2026-11-02T07:34:02.123456789Z", "2026-12-31T23:59:59+14:00", "2027-01-01T00:00:00-12:00",
]
EXTREME_VALID_AMOUNTS = ["0.01", "999999999.99", "9999999999.99", "10000000000.00", 10 ** 10, 1, 0.5, "1e2", "100"]


def mild_events(mutator: EventMutator, rng: random.Random, tag: str) -> list[bytes]:
    """A few sample events with fresh ids and one odd but often valid change each, sometimes
    followed by a refund or reversal of one of them (with an odd amount or date)."""
    lines = []
    candidates = [p for p in mutator.parsed if isinstance(p, Pairs) and dict(p).get("type", "payment") == "payment"]
    for k in range(rng.choice([1, 1, 1, 2, 3])):
        event = deep_copy(rng.choice(candidates))
        new_id = f"{dict(event).get('id')}-{tag}-{k}"
        mutator._set(event, "id", new_id)
        change = rng.randrange(6)
        if change == 0:
            mutator._set(event, "occurred_at", rng.choice(EXTREME_VALID_DATES))
        elif change == 1:
            mutator._set(event, "amount", rng.choice(EXTREME_VALID_AMOUNTS))
        elif change == 2:
            mutator._set(event, "account", rng.choice(["a" + "\u0301" * rng.choice([10, 1000, 100_000]), "\u00e9" * 128,
                                                       "\U0001f4a9" * 128, "\u202e" + "x" * 100, "'; --", "a\u0000b", "a\u0000c", "a"]))
        else:
            event = getattr(mutator, rng.choice(["m_date", "m_number", "m_string", "m_unknown", "m_escaped_key",
                                                 "m_huge"]))(rng, event)
        lines.append(dump(event))
        if rng.random() < 0.3:
            refund = Pairs([("id", f"r-{new_id}"), ("type", rng.choice(["refund", "reversal"])),
                            ("original_id", new_id), ("occurred_at", rng.choice(DATES[:12] + ["2026-12-01T10:00:00Z"])),
                            ("amount", rng.choice(["0.01", "1.00", "999999.99", "10000000000.00", dict(event).get("amount")])),
                            ("currency", dict(event).get("currency"))])
            lines.append(dump(refund))
    return lines


STATE_PROBE_ACCOUNTS = ["a\u0000b", "a\u0000b", "a", "a\u0000c", "caf\u00e9", "cafe\u0301", "\u212b", "\u00c5",
                        "A\u030a"]
PROBE_EVENT = {"amount": "64.00", "currency": "EUR",
               "merchant": {"name": "PETITE-BOUTIQUE.FR", "mcc": "5719", "country": "FR", "channel": "online"}}


def framing_cases(server: Server) -> list[tuple[str, bytes, bool]]:
    """Odd HTTP framing and headers: (name, raw request, whether an answer is owed)."""
    token = server.auth()
    event = valid_event(f"framing-{server.port}")
    post = f"POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {token[1]}\r\n".encode()
    return [
        ("1 MB header", build_request("GET", "/healthz", [("X-Big", "a" * MiB)]), False),
        ("10,000 headers", build_request("GET", "/healthz", [(f"X-{n}", "v") for n in range(10_000)]), False),
        ("NUL in a header", build_request("GET", "/healthz", [("X-A", "a\x00b")]), False),
        ("obs-fold", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\nConnection: close\r\n\r\n", False),
        ("bare CR", b"GET /healthz HTTP/1.1\rHost: x\r\nConnection: close\r\n\r\n", False),
        ("bare LF", b"GET /healthz HTTP/1.1\nHost: x\nConnection: close\n\n", False),
        ("HTTP/1.0 no Host", b"GET /healthz HTTP/1.0\r\n\r\n", True),
        ("HTTP/9.9", b"GET /healthz HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n", False),
        ("HTTP/2 preface", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", False),
        ("100 KB path", build_request("GET", "/v1/accounts/" + "a" * 100_000, [token]), False),
        ("10 KB method", build_request("X" * 10_000, "/healthz"), False),
        ("raw UTF-8 path", "GET /v1/accounts/\u00e9\u0301 HTTP/1.1\r\nHost: x\r\nAuthorization: {}\r\n"
         "Connection: close\r\n\r\n".format(token[1]).encode(), False),
        ("raw 0xFF path", b"GET /v1/accounts/\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", False),
        ("absolute URI, other host", build_request("GET", "http://evil.example/v1/partners", [token]), True),
        ("CL and TE", post + b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
         + b"%x\r\n%s\r\n0\r\n\r\n" % (len(event), event), False),
        ("TE smuggles a GET", post + b"Content-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
         b"GET /v1/partners HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", False),
        ("two Content-Lengths", post + b"Content-Length: 3\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s"
         % (len(event), event), False),
        ("negative Content-Length", post + b"Content-Length: -1\r\nConnection: close\r\n\r\n" + event, False),
        ("Content-Length 1e3", post + b"Content-Length: 1e3\r\nConnection: close\r\n\r\n" + event, False),
        ("Content-Length 2^64", post + b"Content-Length: 18446744073709551616\r\nConnection: close\r\n\r\n", False),
        ("chunk size 2^64", post + b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
         b"10000000000000000\r\nabc\r\n0\r\n\r\n", False),
        ("chunk size garbage", post + b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
         False),
        ("chunk extension", post + b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
         + b"%x;ext=1\r\n%s\r\n0\r\n\r\n" % (len(event), event), False),
        ("TE gzip, chunked", post + b"Transfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n"
         + b"%x\r\n%s\r\n0\r\n\r\n" % (len(event), event), False),
        ("Content-Encoding gzip", build_request("POST", "/v1/events", [token, ("Content-Encoding", "gzip"),
                                                                          ("Content-Type", "application/json")],
                                                b"\x1f\x8b\x08\x00garbage"), True),
        ("Expect 100 without body", post + b"Content-Length: 10\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
         False),
        ("50 pipelined requests", b"".join(build_request("GET", "/healthz", close=n == 49) for n in range(50)), True),
        ("JSON nested 1M deep", build_request("POST", "/v1/events", [token, ("Content-Type", "application/json")],
                                              b"[" * 1_000_000 + b"]" * 1_000_000), True),
        ("15 MB of one string", build_request("POST", "/v1/events", [token, ("Content-Type", "application/json")],
                                              b'{"id":"' + b"a" * (15 * MiB) + b'"}'), True),
        ("15 MB of blank lines", build_request("POST", "/v1/events", [token, ("Content-Type", "application/x-ndjson")],
                                               b"\n" * (15 * MiB)), True),
        ("100k tiny events", build_request("POST", "/v1/events", [token, ("Content-Type", "application/x-ndjson")],
                                           b"{}\n" * 100_000), True),
    ]


def attack_http_bodies(ctx: Context, result: Result) -> None:
    """Attack 3a: state probes, odd framing, mutated bodies to POST /v1/events, and
    path/method/token spellings against one service; then the queue must drain, SIGTERM must
    end it with 0, every event a 202 counted must be decided (or dead) once, and the stored
    decisions must equal a dry-run of the queue."""
    mutator = EventMutator(load_samples(ctx.rules), ctx.scale.huge_max)
    db = ctx.fresh("db-3a") / "cashback.sqlite"
    server = Server(ctx, "3a", ctx.rules, db, ["--idle-timeout", str(IDLE_TIMEOUT),
                                               "--body-timeout", str(IDLE_TIMEOUT)])
    server.start()
    queued = {"events": 0, "uncertain": 0}
    lock = threading.Lock()

    def account(reply: Reply, posted: bool) -> None:
        """Adds what a 202 says was stored; marks the count uncertain when a complete request
        got no answer (an incomplete one cannot have stored anything)."""
        with lock:
            if reply.status == 202:
                try:
                    body = json.loads(reply.body)
                    queued["events"] += int(body["accepted"]) + int(body["duplicates"])
                except (ValueError, KeyError, TypeError):
                    queued["uncertain"] += 1
            elif posted and reply.status is None:
                queued["uncertain"] += 1

    def judge(reply: Reply, where: str, framed: bool) -> None:
        result.add(inputs=1)
        if reply.hung:
            result.add(hangs=1)
            result.note("hang", f"{where}: no answer within {REQUEST_DEADLINE:.0f}s")
        elif reply.status is not None and reply.status >= 500:
            result.add(crashes=1)
            result.note("5xx", f"{where}: {reply.status} {reply.body[:200]!r}")
        elif reply.status is None and framed:
            result.add(violations=1)
            result.note("no answer", f"{where}: connection closed without a response ({reply.send_error})")

    def body_case(i: int) -> None:
        rng = ctx.rng("http-body", i)
        count = rng.choice([1, 1, 1, 2, 5, 20, 100])
        start = rng.randrange(len(mutator.samples))
        lines = [mutator.line(rng, (start + k) % len(mutator.samples)) for k in range(count)]
        form = rng.choice(["object", "array", "ndjson", "ndjson", "garbage", "mild", "mild", "mild"])
        if form == "mild":       # events that mostly pass validation, so that odd values reach the store
            lines = mild_events(mutator, rng, f"h{ctx.seed}-{i}")
            body = b"\n".join(lines) + b"\n"
            form = f"mild x{len(lines)}"
        elif form == "object":
            body = lines[0]
        elif form == "array":
            body = b"[" + b",".join(lines) + b"]"
        elif form == "ndjson":
            body = b"\n".join(lines) + b"\n"
        else:
            body = rng.choice([b"", b" ", b"[]", b"{}", b"null", b"[" * 1_000_000, b"\n" * 1000, b"[{}," * 10000,
                               b"\xff\xfe", bytes(rng.randrange(256) for _ in range(4096))])
        content_type = rng.choice(["application/json", "application/x-ndjson", "application/x-ndjson",
                                   "application/x-ndjson; charset=utf-8", "text/plain", "", "application/json; x=",
                                   "multipart/form-data; boundary=x", "APPLICATION/X-NDJSON"])
        if form.startswith(("ndjson", "mild")) and rng.random() < 0.7:
            content_type = "application/x-ndjson"
        auth_kind = rng.choice(["api"] * 8 + ["none", "wrong"])
        headers, has_token, _ = auth_headers(server, auth_kind)
        if content_type:
            headers = headers + [("Content-Type", content_type)]
        framing = rng.choice(["plain"] * 8 + ["chunked", "short", "long", "expect"])
        framed = framing in ("plain", "chunked", "expect")
        if framing == "chunked":
            pieces = [body[k:k + 4096] for k in range(0, len(body), 4096)]
            chunked = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"
            raw = build_request("POST", "/v1/events", headers + [("Transfer-Encoding", "chunked")], chunked)
        elif framing == "short":
            raw = build_request("POST", "/v1/events", headers, body, length=max(0, len(body) // 2))
        elif framing == "long":
            raw = build_request("POST", "/v1/events", headers, body, length=len(body) + 10)
        elif framing == "expect":
            raw = build_request("POST", "/v1/events", headers + [("Expect", "100-continue")], body)
        else:
            raw = build_request("POST", "/v1/events", headers, body)
        reply = exchange(server.port, raw)
        where = f"body {i} ({form}, {len(body)} bytes, {content_type or 'no type'}, {auth_kind}, {framing})"
        judge(reply, where, framed)
        account(reply, posted=framed)
        if not has_token and reply.status is not None and 200 <= reply.status < 300:
            result.add(violations=1)
            result.note("2xx without token", f"{where}: {reply.status}")

    combos = [(p, m, a) for p in PATHS for m in METHODS for a in AUTHS]
    if ctx.scale.http_paths:
        combos = ctx.rng("http-paths").sample(combos, min(len(combos), ctx.scale.http_paths))

    def path_case(i: int) -> None:
        path, method, auth_kind = combos[i]
        headers, has_token, has_admin = auth_headers(server, auth_kind)
        body = None
        if method.upper() in ("POST", "PUT", "PATCH", "QUERY"):
            body = valid_event(f"{ctx.seed}-{i}")
            headers = headers + [("Content-Type", "application/json")]
        reply = exchange(server.port, build_request(method, path, headers, body), head=method == "HEAD")
        where = f"{method} {path[:80]} ({auth_kind})"
        judge(reply, where, framed=path != "")
        account(reply, posted=body is not None)
        ok = reply.status is not None and 200 <= reply.status < 300
        route = decoded_path(path)
        if ok and not has_token and "v1" in route:
            result.add(violations=1)
            result.note("2xx without token", f"{where}: {reply.status} {reply.body[:120]!r}")
        if ok and not has_admin and "reload" in route:
            result.add(violations=1)
            result.note("reload without admin token", f"{where}: {reply.status}")

    cases = framing_cases(server)

    def framing_case(i: int) -> None:
        name, raw, owed = cases[i]
        reply = exchange(server.port, raw)
        judge(reply, f"framing: {name}", framed=owed)
        account(reply, posted=owed and raw.startswith(b"POST"))   # pipelined: only the first answer is read

    def state_probes() -> None:
        """Accounts that Swift strings and SQLite text may tell apart differently (NUL inside,
        canonically equivalent spellings), one event per request, each processed before the
        next is sent, so that history crosses batch boundaries; the dry-run comparison at the
        end shows whether the service still decides like the oracle."""
        for k, name in enumerate(STATE_PROBE_ACCOUNTS):
            event = dict(PROBE_EVENT, id=f"state-{ctx.seed}-{k}", account=name,
                         occurred_at=f"2026-11-{k + 2:02}T20:00:00+01:00")
            raw = build_request("POST", "/v1/events", [server.auth(), ("Content-Type", "application/json")],
                                json.dumps(event).encode())
            reply = exchange(server.port, raw)
            judge(reply, f"state probe {k} (account {name!r})", framed=True)
            account(reply, posted=True)
            server.wait_drained(10)

    state_probes()
    clients = max(8, ctx.jobs)     # I/O-bound: more clients than cores
    run_parallel(ctx, len(cases), framing_case, "http framing", every=len(cases), workers=clients)
    run_parallel(ctx, ctx.scale.http_bodies, body_case, "http bodies", every=max(1, ctx.scale.http_bodies // 5),
                 workers=clients)
    run_parallel(ctx, len(combos), path_case, "http paths", every=max(1, len(combos) // 5), workers=clients)
    if not server.alive():
        result.add(crashes=1)
        result.note("crash", f"serve exited {server.proc.returncode} during the attack: {server.stderr_tail()}")
        return
    health = server.get("/healthz")
    if health.status != 200:
        result.add(violations=1)
        result.note("unhealthy", f"GET /healthz after the attack: {health.status}")
    if not server.wait_drained(120):
        result.add(hangs=1)
        result.note("hang", "the queue did not drain within 120s after the attack")
    judge_stop(result, server, server.stop())
    lines = decisions_of(ctx, db, result)
    dead = ctx.run(["dead", "--db", str(db)], timeout=120)
    if dead.rc != 0:
        result.add(violations=1)
        result.note("dead", f"cashback dead --db: {dead.describe()}")
    if lines is not None and dead.rc == 0:
        decided = sum(1 for line in lines if json.loads(line).get("deferred") is not True)
        dead_count = len(re.findall(rb"^\d+\t", dead.out, re.M))
        got, want = decided + dead_count, queued["events"]
        if queued["uncertain"]:
            result.notes.append(f"{queued['uncertain']} posts had no definite answer: decision count not checked")
        else:
            result.add(lost=max(0, want - got), doubled=max(0, got - want))
            if got != want:
                result.note("decision count", f"202 answers queued {want} events; found {decided} decisions "
                            f"and {dead_count} dead")
        result.notes.append(f"{want} events queued by 202 answers, {decided} decisions, {dead_count} dead")
        if dead_count == 0:
            compare_with_dry_run(ctx, db, ctx.rules, lines, result)
        else:
            result.notes.append("dead events: the dry-run comparison is skipped")
    check_database(ctx, db, result)


# --------------------------------------------------------------------------------------------
# Attack 3b: idle, partial-header and slow-body sockets; attack 3c: 32 MB bodies
# --------------------------------------------------------------------------------------------

def raise_fd_limit(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def hold_sockets(server: Server, result: Result, idle: int, label: str) -> None:
    """Opens `idle` idle sockets, plus partial-header, slow-body and trickling sockets; checks a
    normal request is still answered, then that the server closes every one of them in time."""
    sockets: dict[socket.socket, str] = {}
    partial = max(5, idle // 10)
    try:
        for n in range(idle + 2 * partial + 10):
            try:
                sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            except OSError as error:
                result.add(violations=1)
                result.note("connect", f"{label}: socket {n}: {error}")
                break
            if n < idle:
                kind = "idle"
            elif n < idle + partial:
                kind = "partial-header"
                sock.sendall(b"POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: appl")
            elif n < idle + 2 * partial:
                kind = "slow-body"
                sock.sendall(build_request("POST", "/v1/events", [server.auth()], b'{"id":"slow', length=100_000,
                                           close=False))
            else:
                kind = "trickle"
                sock.sendall(b"G")
            sock.setblocking(False)
            sockets[sock] = kind
        result.add(inputs=len(sockets))
        log(f"{label}: {len(sockets)} sockets open; probing")
        for path, headers, body, want in [("/healthz", [], None, 200),
                                          ("/v1/events", [server.auth(), ("Content-Type", "application/json")],
                                           valid_event(f"probe-{server.port}-{len(sockets)}"), 202)]:
            method = "POST" if body else "GET"
            reply = exchange(server.port, build_request(method, path, headers, body),
                             timeout=IDLE_TIMEOUT * 2 + 10)
            result.add(inputs=1)
            if reply.hung or reply.status is None:
                result.add(hangs=1)
                result.note("hang", f"{label}: {method} {path} not answered beside the held sockets")
            elif reply.status >= 500:
                result.add(crashes=1)
                result.note("5xx", f"{label}: {method} {path} answered {reply.status}")
            elif reply.status != want:
                result.add(violations=1)
                result.note("probe", f"{label}: {method} {path} answered {reply.status}, wanted {want}")
        deadline = time.monotonic() + 2 * IDLE_TIMEOUT + 12
        selector = selectors.DefaultSelector()
        for sock in sockets:
            selector.register(sock, selectors.EVENT_READ)
        open_socks = set(sockets)
        next_trickle = time.monotonic()
        while open_socks and time.monotonic() < deadline:
            for key, _ in selector.select(timeout=0.2):
                sock = key.fileobj
                try:
                    data = sock.recv(65536)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                if not data:
                    selector.unregister(sock)
                    open_socks.discard(sock)
            if time.monotonic() >= next_trickle:
                next_trickle = time.monotonic() + 0.5
                for sock in [s for s in open_socks if sockets[s] == "trickle"]:
                    try:
                        sock.send(b"E")
                    except OSError:
                        selector.unregister(sock)
                        open_socks.discard(sock)
        selector.close()
        if open_socks:
            kinds = collections.Counter(sockets[s] for s in open_socks)
            result.add(hangs=len(open_socks))
            result.note("not closed", f"{label}: {dict(kinds)} sockets still open "
                        f"{2 * IDLE_TIMEOUT + 12}s after the probes (--idle-timeout {IDLE_TIMEOUT})")
    finally:
        for sock in sockets:
            sock.close()


def attack_http_sockets(ctx: Context, result: Result) -> None:
    """Attack 3b: idle/slow sockets against the default connection cap and a low one."""
    idle = ctx.scale.idle_sockets
    raise_fd_limit(idle * 2 + 500)
    timeouts = ["--idle-timeout", str(IDLE_TIMEOUT), "--body-timeout", str(IDLE_TIMEOUT)]
    for label, extra in [("default cap", []), ("--max-connections 64", ["--max-connections", "64"])]:
        server = Server(ctx, "3b", ctx.rules, ctx.fresh("db-3b") / "cashback.sqlite", timeouts + extra)
        server.start()
        hold_sockets(server, result, idle if not extra else min(idle, 200), label)
        if not server.alive():
            result.add(crashes=1)
            result.note("crash", f"{label}: serve exited {server.proc.returncode}: {server.stderr_tail()}")
            continue
        judge_stop(result, server, server.stop())


def attack_http_big(ctx: Context, result: Result) -> None:
    """Attack 3c: 32 MB bodies (over --max-body, 16 MiB) sent whole before reading: 413, then close."""
    server = Server(ctx, "3c", ctx.rules, ctx.fresh("db-3c") / "cashback.sqlite",
                    ["--idle-timeout", str(IDLE_TIMEOUT), "--body-timeout", str(IDLE_TIMEOUT)])
    server.start()
    big = (b'{"id":"big","account":"' + b"A" * (32 * MiB) + b'"}')[:32 * MiB - 2] + b'"}'
    chunk = 1 * MiB
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(big[k:k + chunk]), big[k:k + chunk])
                       for k in range(0, len(big), chunk)) + b"0\r\n\r\n"
    cases = [
        ("json, Content-Length", build_request("POST", "/v1/events", [server.auth(),
                                                 ("Content-Type", "application/json")], big)),
        ("ndjson, Content-Length", build_request("POST", "/v1/events", [server.auth(),
                                                   ("Content-Type", "application/x-ndjson")], big)),
        ("no token", build_request("POST", "/v1/events", [("Content-Type", "application/json")], big)),
        ("chunked", build_request("POST", "/v1/events", [server.auth(), ("Content-Type", "application/json"),
                                                          ("Transfer-Encoding", "chunked")], chunked)),
    ]
    for name, raw in cases:
        reply = exchange(server.port, raw, timeout=60, wait_close=True)
        result.add(inputs=1)
        where = f"32 MB body ({name})"
        log(f"3c: {where}: {reply.status}, closed={reply.closed}, send error={reply.send_error}")
        if reply.status is not None and reply.status >= 500:
            result.add(crashes=1)
            result.note("5xx", f"{where}: {reply.status}")
        elif reply.hung and reply.status is None:
            result.add(hangs=1)
            result.note("hang", f"{where}: no answer within 60s")
        elif name == "no token" and reply.status in (401, 403) and reply.closed:
            # Refused before the size check is as good, as long as the sender gets the answer.
            if reply.send_error:
                result.add(warnings=1)
                result.note("warning", f"{where}: {reply.status} sent and the connection closed before "
                            f"the body was read ({reply.send_error} while sending): a client that sends its "
                            f"whole body first (urllib, http.client) fails on the send and never reads the "
                            f"{reply.status}; the 413 case drains the body first")
        elif reply.status != 413:
            result.add(violations=1)
            result.note("no 413", f"{where}: got {reply.status} (send error: {reply.send_error})")
        elif not reply.closed:
            result.add(hangs=1)
            result.note("not closed", f"{where}: 413 but the connection stayed open")
    reply = exchange(server.port, build_request("POST", "/v1/events", [server.auth()], b"", length=1 << 62),
                     timeout=30, wait_close=True)
    result.add(inputs=1)
    if reply.hung:
        result.add(hangs=1)
        result.note("hang", "Content-Length 2^62 without a body: neither answered nor closed in 30s")
    elif reply.status is not None and reply.status >= 500:
        result.add(crashes=1)
        result.note("5xx", f"Content-Length 2^62: {reply.status}")
    if not server.alive():
        result.add(crashes=1)
        result.note("crash", f"serve exited {server.proc.returncode}: {server.stderr_tail()}")
    else:
        judge_stop(result, server, server.stop())


# --------------------------------------------------------------------------------------------
# Attack 4: kill -9 under load
# --------------------------------------------------------------------------------------------

def attack_kill9(ctx: Context, result: Result) -> None:
    """Attack 4: SIGKILL the service at random moments while two clients post unique events;
    then every acknowledged event must have exactly one decision, and none two."""
    scale = ctx.scale
    gen = ctx.fresh("gen")
    outcome = ctx.run(["generate", "--out", str(gen), "--events", str(scale.kill_events), "--seed", "7"],
                      timeout=300)
    if outcome.rc != 0:
        raise AttackError(f"generate failed: {outcome.describe()}")
    events: dict[str, bytes] = {}
    for line in (gen / "events.jsonl").read_bytes().split(b"\n"):
        if line.strip():
            event_id = json.loads(line)["id"]
            events.setdefault(event_id, line)          # unique ids: the first occurrence of each
    ids = list(events)
    batches = collections.deque(ids[k:k + 40] for k in range(0, len(ids), 40))
    db = ctx.fresh("db-4") / "cashback.sqlite"
    server = Server(ctx, "4", gen / "rules", db)
    server.start()
    lock = threading.Lock()
    acked: set[str] = set()
    attempts: collections.Counter = collections.Counter()
    in_flight = [0]
    failed_posts = [0]
    deadline = time.monotonic() + scale.kill_budget
    stop = threading.Event()
    rng = ctx.rng("kill")

    def poster() -> None:
        tries: collections.Counter = collections.Counter()
        while time.monotonic() < deadline and not stop.is_set():
            with lock:
                if not batches:
                    if in_flight[0] == 0:
                        return
                    batch = None
                else:
                    batch = batches.popleft()
                    in_flight[0] += 1
                    for event_id in batch:
                        attempts[event_id] += 1
                    port = server.port
            if batch is None:
                time.sleep(0.05)
                continue
            body = b"\n".join(events[event_id] for event_id in batch) + b"\n"
            reply = exchange(port, build_request("POST", "/v1/events", [server.auth(), (
                "Content-Type", "application/x-ndjson")], body), timeout=30)
            with lock:
                in_flight[0] -= 1
                if reply.status == 202:
                    acked.update(batch)
                    continue
                key = batch[0]
                tries[key] += 1
                failed_posts[0] += 1
                if reply.status in (400, 409, 413):        # valid unique events: never refused
                    result.add(violations=1)
                    result.note("post refused", f"batch at {key}: {reply.status} {reply.body[:200]!r}")
                    continue
                if reply.status is not None and reply.status >= 500 and reply.status != 503:
                    result.add(crashes=1)
                    result.note("5xx", f"batch at {key}: {reply.status} {reply.body[:200]!r}")
                if tries[key] > 1000:
                    result.note("gave up", f"batch at {key} after 1000 tries (last: {reply.status})")
                    continue
                batches.appendleft(batch)                   # refused connection, reset, 503: again
            time.sleep(0.02 + random.random() * 0.08)

    threads = [threading.Thread(target=poster, daemon=True) for _ in range(2)]
    for thread in threads:
        thread.start()
    # Kill points spread over the load: after a random share of the events was acknowledged
    # (some beyond 100%: while the scheduler drains), plus a random delay.
    points = sorted(rng.uniform(0.0, 1.2) for _ in range(scale.kills))
    kills = 0
    try:
        for kills, point in enumerate(points, 1):
            while time.monotonic() < deadline and len(acked) < point * len(ids) and any(t.is_alive() for t in threads):
                time.sleep(0.02)
            time.sleep(rng.random() * (1.5 if point > 1 else 0.3))
            if not server.alive():
                result.add(crashes=1)
                result.note("crash", f"serve died by itself ({server.proc.returncode}): {server.stderr_tail()}")
            with lock:
                left = sum(len(b) for b in batches)
            log(f"kill -9 #{kills} ({len(acked)} acknowledged, {left} events not yet posted)")
            server.kill9()
            with lock:
                server.start()
    except BaseException:
        stop.set()
        raise
    finally:
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()) + 35)
        stop.set()
    with lock:
        unposted = sum(len(b) for b in batches)
    if unposted:
        result.notes.append(f"{unposted} events not posted within the {scale.kill_budget:.0f}s budget")
    log(f"kill -9: {kills} kills done; {len(acked)} of {len(ids)} events acknowledged; draining")
    result.add(inputs=len(ids))
    if not server.alive():
        result.add(crashes=1)
        result.note("crash", f"serve died by itself ({server.proc.returncode}): {server.stderr_tail()}")
        server.start()
    if not server.wait_drained(300):
        result.add(hangs=1)
        result.note("hang", "queue_depth did not reach 0 within 300s after the last kill")
    judge_stop(result, server, server.stop())
    lines = decisions_of(ctx, db, result)
    if lines is None:
        raise AttackError("cashback decisions failed; cannot count lost and doubled")
    effective: collections.Counter = collections.Counter()
    total: collections.Counter = collections.Counter()
    for raw in lines:
        decision = json.loads(raw)
        if decision.get("deferred") is True:
            continue
        event_id = decision.get("event")
        total[event_id] += 1
        if decision.get("status") != "duplicate":
            effective[event_id] += 1
        if event_id in acked and decision.get("status") in ("invalid", "conflict"):
            result.add(violations=1)
            result.note("bad status", f"acknowledged event {event_id}: {raw[:200]!r}")
    lost = sorted(e for e in acked if effective[e] == 0)
    doubled = sorted({e for e, n in effective.items() if n > 1} |
                     {e for e, n in total.items() if n > attempts.get(e, 0)})
    result.add(lost=len(lost), doubled=len(doubled))
    if lost:
        result.note("lost", f"{len(lost)} acknowledged events without a decision, e.g. {lost[:5]}")
    if doubled:
        result.note("doubled", f"{len(doubled)} events decided more than once, e.g. {doubled[:5]}")
    result.notes.append(f"{kills} kills, {len(acked)} of {len(ids)} events acknowledged, {failed_posts[0]} posts "
                        f"failed and retried ({sum(attempts.values()) - len(attempts)} events re-posted), "
                        f"{len(lines)} decisions")
    compare_with_dry_run(ctx, db, gen / "rules", lines, result)
    check_database(ctx, db, result)


def compare_with_dry_run(ctx: Context, db: Path, rules: Path, lines: list[bytes], result: Result) -> None:
    """A dry-run of the queue's events in queue order (`dry-run --db`) must print exactly the
    stored decisions."""
    outcome = ctx.run(["dry-run", "--rules", str(rules), "--format", "json", "--db", str(db)], timeout=600)
    if outcome.rc != 0:
        result.add(violations=1)
        result.note("dry-run", f"dry-run of the queue: {outcome.describe()}")
        return
    expected = [line for line in outcome.out.split(b"\n") if line]
    differing = sum(1 for a, b in zip(expected, lines) if a != b) + abs(len(expected) - len(lines))
    if differing:
        result.add(violations=1)
        first = next((k for k, (a, b) in enumerate(zip(expected, lines)) if a != b), min(len(expected), len(lines)))
        accounts = collections.Counter()
        for a, b in zip(expected, lines):
            if a != b:
                try:
                    accounts[repr(json.loads(a).get("account"))[:60]] += 1
                except ValueError:
                    accounts["?"] += 1
        result.note("differs from dry-run", f"{differing} of {len(expected)} decisions differ from a dry-run of the "
                    f"queue, by account: {dict(accounts.most_common(5))}; first at {first}: "
                    f"dry-run {expected[first:first + 1]!r} stored {lines[first:first + 1]!r}")
    else:
        result.notes.append(f"decisions byte for byte equal to a dry-run of the {len(expected)} queued events")


# --------------------------------------------------------------------------------------------
# Attack 5: two instances on one database; a busy port
# --------------------------------------------------------------------------------------------

def attack_instances(ctx: Context, result: Result) -> None:
    """Attack 5: a second scheduler on a held database, a serve on a busy port: both refused in time."""
    folder = ctx.fresh("db-5")
    db = folder / "cashback.sqlite"
    first = Server(ctx, "5", ctx.rules, db)
    first.start()
    (folder / "link.sqlite").symlink_to(db)
    os.link(db, folder / "hard.sqlite")
    token = first.folder / "token"
    serve = ["serve", "--rules", str(ctx.rules), "--token-file", str(token)]
    must_fail = [
        ("second serve, same path", serve + ["--db", str(db), "--listen", "127.0.0.1:0"]),
        ("second serve, via a symlink", serve + ["--db", str(folder / "link.sqlite"), "--listen", "127.0.0.1:0"]),
        ("second serve, via a hard link", serve + ["--db", str(folder / "hard.sqlite"), "--listen", "127.0.0.1:0"]),
        ("process, same path", ["process", "--db", str(db), "--rules", str(ctx.rules)]),
        ("process, via a symlink", ["process", "--db", str(folder / "link.sqlite"), "--rules", str(ctx.rules)]),
        ("serve on the busy port", serve + ["--db", str(folder / "other.sqlite"),
                                            "--listen", f"127.0.0.1:{first.port}"]),
    ]
    for name, args in must_fail:
        outcome = ctx.run(args, timeout=INSTANCE_DEADLINE, cap=4096)
        result.add(inputs=1)
        if outcome.hung:
            result.add(hangs=1)
            result.note("hang", f"{name}: still running after {INSTANCE_DEADLINE:.0f}s")
        elif outcome.crashed:
            result.add(crashes=1)
            result.note("crash", f"{name}: {outcome.describe()}")
        elif outcome.rc == 0:
            result.add(violations=1)
            result.note("not refused", f"{name}: exit 0")
        else:
            log(f"5: {name}: refused, {outcome.describe()[:160]}")
    source = ctx.fresh("events-5") / "events.jsonl"
    source.write_bytes(valid_event("beside") + b"\n")
    for name, args in [("enqueue beside serve", ["enqueue", "--db", str(db), str(source)]),
                       ("decisions beside serve", ["decisions", "--db", str(db)])]:
        outcome = ctx.run(args, timeout=30, cap=4096)
        result.add(inputs=1)
        if outcome.rc != 0:
            result.add(**{"hangs" if outcome.hung else "crashes" if outcome.crashed else "violations": 1})
            result.note("refused", f"{name} (README: runs beside serve): {outcome.describe()}")
    if not first.alive() or first.get("/healthz").status != 200:
        result.add(crashes=1)
        result.note("crash", f"the first serve did not survive: {first.stderr_tail()}")
    judge_stop(result, first, first.stop())


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------

ATTACKS: list[tuple[str, str, Callable[[Context, Result], None]]] = [
    ("1", "1 dry-run: mutated events", attack_dry_run),
    ("2", "2 lint: mutated rule dirs", attack_lint),
    ("3", "3a http: bodies, paths, tokens", attack_http_bodies),
    ("3", "3b http: idle/slow sockets", attack_http_sockets),
    ("3", "3c http: 32 MB bodies", attack_http_big),
    ("4", "4 kill -9 under load", attack_kill9),
    ("5", "5 two instances, busy port", attack_instances),
]


def print_table(results: list[Result], total: float, binary: Path, args: argparse.Namespace) -> None:
    """The summary table on stdout, then notes per attack."""
    try:
        mtime = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(binary.stat().st_mtime))
    except OSError:
        mtime = "missing"
    print(f"cashback attack campaign: --scale {args.scale} --seed {args.seed}, binary {binary} (mtime {mtime})")
    header = ["attack", "inputs", "crashes", "hangs", "lost", "doubled", "violations", "warnings", "time", "result"]
    rows = []
    for r in results:
        verdict = "ERROR" if r.error else "FAIL" if r.failed else "ok"
        if r.error and not r.inputs:
            counts = ["-"] * 7
        else:
            counts = [f"{r.inputs:,}", *(str(v) for v in (r.crashes, r.hangs, r.lost, r.doubled, r.violations,
                                                          r.warnings))]
        rows.append([r.name, *counts, f"{r.seconds:.0f}s", verdict])
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
    line = lambda cells: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    print(line(header))
    print(line(["-" * w for w in widths]))
    for row in rows:
        print(line(row))
    print(f"total time {total:.0f}s")
    for r in results:
        notes = ([f"ERROR: {r.error}"] if r.error else []) + r.notes + r.summary_of_kinds()
        if notes:
            print(f"\n{r.name}:")
            for note in notes:
                print(f"  - {note[:600]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=".build/debug/cashback", help="the cashback binary (default: %(default)s)")
    parser.add_argument("--scale", choices=sorted(SCALES), default="full", help="small: ~1-2 min; full: the campaign")
    parser.add_argument("--seed", type=int, default=1, help="seed of the mutations (default: %(default)s)")
    parser.add_argument("--rules", default=str(REPO / "rules"), help="the shipped rules dir (default: %(default)s)")
    parser.add_argument("--only", default="", help="comma-separated attack numbers, e.g. 1,3")
    parser.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 2), help="parallel processes")
    parser.add_argument("--save-failures", metavar="DIR", help="copy failing inputs to DIR (kept)")
    args = parser.parse_args()

    binary = Path(args.bin)
    if not binary.exists() and not binary.is_absolute() and (REPO / binary).exists():
        binary = REPO / binary
    binary = binary.resolve()
    only = {part.strip() for part in args.only.split(",") if part.strip()}
    selected = [(name, attack) for number, name, attack in ATTACKS if not only or number in only]
    results: list[Result] = []
    tmp = Path(tempfile.mkdtemp(prefix="cashback-attack-"))
    ctx = Context(binary, Path(args.rules).resolve(), tmp, SCALES[args.scale], args.seed, max(1, args.jobs),
                  Path(args.save_failures).resolve() if args.save_failures else None)

    def interrupt(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt(signal.Signals(signum).name)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, interrupt)
    log(f"binary {binary}, rules {ctx.rules}, scale {args.scale}, seed {args.seed}, scratch {tmp}")
    try:
        for name, attack in selected:
            log(f"=== {name}")
            result = Result(name)
            started = time.monotonic()
            try:
                if not binary.is_file() or not os.access(binary, os.X_OK):
                    raise AttackError(f"no executable binary at {binary}")
                attack(ctx, result)
            except AttackError as error:
                result.error = str(error)
            except Exception as error:  # a bug here or an odd environment: an error, never a silent 0
                result.error = f"{type(error).__name__}: {error}"
                traceback.print_exc()
            finally:
                ctx.kill_all()
            result.seconds = time.monotonic() - started
            results.append(result)
            verdict = f"ERROR {result.error}" if result.error else "FAIL" if result.failed else "ok"
            log(f"=== {name}: {verdict} in {result.seconds:.0f}s")
    except KeyboardInterrupt:
        log("interrupted; stopping what was started")
        return 130
    finally:
        ctx.kill_all()
        shutil.rmtree(tmp, ignore_errors=True)
    print_table(results, time.monotonic() - STARTED, binary, args)
    return 1 if any(r.failed for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
