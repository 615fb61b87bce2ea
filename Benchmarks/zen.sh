#!/usr/bin/env bash
# `cashback dry-run` beside GoRules ZEN on the same 1,000-partner decision, in one run (issue #12):
# builds the release binary, installs zen-engine 2.1.3 from PyPI when missing, then runs
# Benchmarks/Tools/zen_anchor.py (which checks that both agree on every cashback).
#
#   Benchmarks/zen.sh                        # 200,000 payments, 1,000 partners, 3 runs each
#   EVENTS=1000000 RUNS=5 Benchmarks/zen.sh
#   SCALING=1 Benchmarks/zen.sh              # then dry-run alone: 10 vs 10,000 partners, 1,000 vs 1,000,000 accounts
#
# See BENCHMARKS.md, "Evaluation beside GoRules ZEN".
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
python3 -c 'import zen' 2>/dev/null || python3 -m pip install --quiet 'zen-engine==2.1.3' >&2
command -v taskset >/dev/null || apt-get install -y util-linux >&2

echo "building (release)..." >&2
swift build -c release --product cashback --package-path "$root" >&2
cashback="$(swift build -c release --show-bin-path --package-path "$root")/cashback"

python3 "$root/Benchmarks/Tools/zen_anchor.py" "$cashback" --events "${EVENTS:-200000}" --partners "${PARTNERS:-1000}" \
    --runs "${RUNS:-3}"
if [[ -n "${SCALING:-}" ]]; then
    python3 "$root/Benchmarks/Tools/zen_anchor.py" "$cashback" --events "${EVENTS:-200000}" --runs "${RUNS:-3}" --scaling
fi
