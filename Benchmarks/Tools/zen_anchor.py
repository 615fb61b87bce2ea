#!/usr/bin/env python3
"""`cashback dry-run` beside GoRules ZEN on the same decision, in one run (issue #12).

One generator writes the same 1,000-partner decision twice: as a rules directory (a partner
file per partner, matched by merchant id, one `percentage` rule, rounding down) and as a JDM
decision table for ZEN (first hit on the merchant id, output `floor(amount * rate)` in minor
units). Then, turn about (dry-run, ZEN, dry-run, ZEN...):

- `cashback dry-run --format json` end to end: read the file, parse, decide, print to a file;
- ZEN's evaluation alone, on events already parsed into dicts before the clock starts: the
  engine's `evaluate_batch` (ZEN's fastest call from Python: one `evaluate` call costs ~170 us of
  binding overhead here) in a child process pinned to one processor with `taskset -c 0`, so that
  ZEN's thread pool runs on one core ("one thread").

Every event's cashback must agree between the two, or the run fails. Prints each run's
decisions per second, the medians and their ratio.

    python3 Benchmarks/Tools/zen_anchor.py CASHBACK [--events 200000] [--partners 1000] [--runs 3]
    python3 Benchmarks/Tools/zen_anchor.py CASHBACK --scaling    # dry-run alone, by partners and accounts
"""

import argparse
import json
import pickle
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

RATES_BASIS_POINTS = [50, 100, 150, 200, 250, 300, 500]


def partner_id(index):
    return f"p{index:05d}"


def mids(index):
    return [f"M{index:05d}A", f"M{index:05d}B"]


def rate_of(index):
    return RATES_BASIS_POINTS[index % len(RATES_BASIS_POINTS)]


def write_rules(directory, partners):
    os.makedirs(os.path.join(directory, "partners"), exist_ok=True)
    with open(os.path.join(directory, "program.yaml"), "w") as file:
        file.write("currency: EUR\ntimezone: Europe/Paris\nrounding: down\n")
    for index in range(partners):
        rate = rate_of(index)
        percentage = f"{rate // 100}.{rate % 100:02d}%"
        with open(os.path.join(directory, "partners", partner_id(index) + ".yaml"), "w") as file:
            file.write(
                f"partner: {partner_id(index)}\nname: Partner {index}\nmatch:\n  mid: [{', '.join(mids(index))}]\n"
                f"rules:\n  - id: base\n    reward: {{ percentage: {percentage} }}\n"
            )


def decision_table(partners):
    rules = []
    for index in range(partners):
        rules.append(
            {
                "_id": partner_id(index),
                "mid": ", ".join(f'"{mid}"' for mid in mids(index)),
                "cashback": f"floor(amount * {rate_of(index)} / 10000)",
            }
        )
    return {
        "nodes": [
            {"id": "request", "type": "inputNode", "name": "Request", "position": {"x": 0, "y": 0}},
            {
                "id": "cashback",
                "type": "decisionTableNode",
                "name": "Cashback",
                "position": {"x": 300, "y": 0},
                "content": {
                    "hitPolicy": "first",
                    "inputs": [{"id": "mid", "name": "Merchant id", "field": "mid"}],
                    "outputs": [{"id": "cashback", "name": "Cashback", "field": "cashback"}],
                    "rules": rules,
                },
            },
            {"id": "response", "type": "outputNode", "name": "Response", "position": {"x": 600, "y": 0}},
        ],
        "edges": [
            {"id": "in", "sourceId": "request", "targetId": "cashback", "type": "edge"},
            {"id": "out", "sourceId": "cashback", "targetId": "response", "type": "edge"},
        ],
    }


def write_events(path, events, partners, seed, accounts=10_000):
    """Payments over `accounts` accounts in November 2026; 5% at merchants of no partner."""
    generator = random.Random(seed)
    parsed = []
    with open(path, "w") as file:
        for number in range(events):
            if generator.random() < 0.05:
                mid = f"UNKNOWN{generator.randrange(100)}"
            else:
                mid = generator.choice(mids(generator.randrange(partners)))
            amount = generator.randrange(100, 50_000)
            day = 1 + generator.randrange(30)
            minute = generator.randrange(24 * 60)
            event = {
                "id": f"e{number}",
                "account": f"a{generator.randrange(accounts)}",
                "occurred_at": f"2026-11-{day:02d}T{minute // 60:02d}:{minute % 60:02d}:00Z",
                "amount": f"{amount // 100}.{amount % 100:02d}",
                "currency": "EUR",
                "merchant": {"mid": mid, "country": "FR"},
            }
            file.write(json.dumps(event, separators=(",", ":")) + "\n")
            parsed.append((event["id"], {"mid": mid, "amount": amount}))
    return parsed


def run_dry_run(cashback, rules, events, output):
    with open(output, "w") as out:
        start = time.perf_counter()
        subprocess.run([cashback, "dry-run", "--rules", rules, "--format", "json", events], stdout=out, check=True)
        return time.perf_counter() - start


def run_zen(directory):
    """Runs `zen_worker` in a child process on one processor; returns (seconds, cashback list)."""
    subprocess.run(
        ["taskset", "-c", "0", sys.executable, os.path.abspath(__file__), "--zen-worker", directory], check=True
    )
    with open(os.path.join(directory, "zen.pickle"), "rb") as file:
        return pickle.load(file)


def zen_worker(directory):
    import zen  # pip install zen-engine

    with open(os.path.join(directory, "decision.json")) as file:
        decision = json.load(file)
    engine = zen.ZenEngine({"loader": {"type": "static", "content": {"cashback": decision}}})
    with open(os.path.join(directory, "inputs.json")) as file:
        requests = [{"key": "cashback", "context": context} for context in json.load(file)]
    engine.evaluate_batch(requests[:1000])  # load and compile the decision before the clock starts
    start = time.perf_counter()
    responses = engine.evaluate_batch(requests)
    seconds = time.perf_counter() - start
    if not all(response["success"] for response in responses):
        sys.exit(f"ZEN failed: {next(response for response in responses if not response['success'])}")
    results = [response["data"]["result"].get("cashback", 0) for response in responses]
    with open(os.path.join(directory, "zen.pickle"), "wb") as file:
        pickle.dump((seconds, results), file)


def scaling(arguments):
    """dry-run alone over the same number of payments with 10 and 10,000 partners, then 1,000
    and 1,000,000 accounts: the wall time per decision, net of loading the rules, should not
    grow with either."""
    with tempfile.TemporaryDirectory() as directory:
        for partners, accounts in [(10, 10_000), (10_000, 10_000), (1_000, 1_000), (1_000, 1_000_000)]:
            rules = os.path.join(directory, f"rules-{partners}")
            if not os.path.isdir(rules):
                write_rules(rules, partners)
            events_path = os.path.join(directory, "events.jsonl")
            write_events(events_path, arguments.events, partners, arguments.seed, accounts)
            output = os.path.join(directory, "decisions.jsonl")
            empty = os.path.join(directory, "empty.jsonl")
            open(empty, "w").close()
            # Loading the rules is paid once per run, whatever the number of events: it is
            # measured alone (an empty events file) and taken out of the cost per decision.
            load = statistics.median(run_dry_run(arguments.cashback, rules, empty, output) for _ in range(arguments.runs))
            seconds = [run_dry_run(arguments.cashback, rules, events_path, output) for _ in range(arguments.runs)]
            per_decision = [(total - load) / arguments.events * 1e9 for total in seconds]
            print(
                f"{partners:>6,} partners, {accounts:>9,} accounts: {statistics.median(per_decision):,.0f} ns per decision "
                f"(runs: {', '.join(f'{value:,.0f}' for value in per_decision)}; rules load {load:.2f} s)"
            )


def minor_units(text):
    whole, _, fraction = text.partition(".")
    return int(whole) * 100 + int(fraction or "0")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cashback", nargs="?", help="the cashback binary (release)")
    parser.add_argument("--zen-worker", metavar="DIR", help=argparse.SUPPRESS)
    parser.add_argument("--scaling", action="store_true", help="dry-run alone: 10 vs 10,000 partners, 1,000 vs 1,000,000 accounts")
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--partners", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    if arguments.zen_worker:
        zen_worker(arguments.zen_worker)
        return
    if not arguments.cashback:
        parser.error("name the cashback binary")
    if arguments.scaling:
        scaling(arguments)
        return

    with tempfile.TemporaryDirectory() as directory:
        rules = os.path.join(directory, "rules")
        write_rules(rules, arguments.partners)
        events_path = os.path.join(directory, "events.jsonl")
        parsed = write_events(events_path, arguments.events, arguments.partners, arguments.seed)
        with open(os.path.join(directory, "decision.json"), "w") as file:
            json.dump(decision_table(arguments.partners), file)
        with open(os.path.join(directory, "inputs.json"), "w") as file:
            json.dump([context for _, context in parsed], file)
        output = os.path.join(directory, "decisions.jsonl")

        dry_run_rates, zen_rates = [], []
        for run in range(arguments.runs):
            seconds = run_dry_run(arguments.cashback, rules, events_path, output)
            dry_run_rates.append(arguments.events / seconds)
            seconds, zen_results = run_zen(directory)
            zen_rates.append(arguments.events / seconds)
            print(
                f"run {run + 1}: dry-run {dry_run_rates[-1]:,.0f}/s, ZEN {zen_rates[-1]:,.0f}/s",
                file=sys.stderr,
            )

        # Both must give the same cashback for every event.
        ours = {}
        with open(output) as file:
            for line in file:
                decision_line = json.loads(line)
                ours[decision_line["event"]] = minor_units(decision_line.get("cashback", "0"))
        disagreements = [
            (event_id, ours.get(event_id), zen_cashback)
            for (event_id, _), zen_cashback in zip(parsed, zen_results)
            if ours.get(event_id) != zen_cashback
        ]
        if disagreements:
            print(f"{len(disagreements)} events disagree, e.g. {disagreements[:5]}", file=sys.stderr)
            sys.exit(1)
        rewarded = sum(1 for value in zen_results if value > 0)
        dry_run, zen_rate = statistics.median(dry_run_rates), statistics.median(zen_rates)
        print(f"{arguments.events:,} payments, {arguments.partners:,} partners, {rewarded:,} rewarded: both agree on every cashback")
        print(f"dry-run --format json, end to end: {dry_run:,.0f} decisions/s (median of {arguments.runs})")
        print(f"ZEN evaluate_batch, one processor: {zen_rate:,.0f} decisions/s (median of {arguments.runs})")
        print(f"ratio: {dry_run / zen_rate:.2f}x (goal: 3x)")


if __name__ == "__main__":
    main()
