#!/usr/bin/env bash
# A/B benchmark of the engine between two commits, in one run on one machine: builds asl_bench and
# pattern_bench (release, opt-level 3) at REV_A and at REV_B, then runs them in ABBA order ROUNDS
# times and prints each figure's median for A and B and the ratio B/A. Made to decide issue 14's
# hasher (FxHash copy vs foldhash:
#   c=$(git log -1 --format=%h --grep='^fasthash.rs: foldhash'); scripts/bench-ab.sh "$c~1" "$c"); works for any change.
# Usage: scripts/bench-ab.sh REV_A REV_B [ROUNDS] [CITYLOTS_LINES]   (defaults 3 rounds, 20,000 lines)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
A="${1:?usage: scripts/bench-ab.sh REV_A REV_B [ROUNDS] [LINES]}"
B="${2:?usage: scripts/bench-ab.sh REV_A REV_B [ROUNDS] [LINES]}"
ROUNDS="${3:-3}"
LINES="${4:-20000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export CARGO_PROFILE_RELEASE_OPT_LEVEL="${CARGO_PROFILE_RELEASE_OPT_LEVEL:-3}"
OUT="$CARGO_TARGET_DIR/bench-ab"
BENCH="$(cd ../shared/bench && pwd)"
mkdir -p "$OUT"
DATA="$OUT/citylots-$LINES.jsonl"
[ -s "$DATA" ] || python3 "$BENCH/make_citylots.py" "$LINES" > "$DATA"
for side in A B; do
  rev="${!side}"
  src="$OUT/src-$side"
  rm -rf "$src" && mkdir -p "$src"
  git archive "$rev" | tar -x -C "$src"
  # The sources sit two levels deeper than the checkout, where ../shared is not: link it.
  ln -sfn "$(cd ../shared && pwd)" "$OUT/shared"
  (cd "$src" && cargo build --release -p statebridge-engine --example asl_bench --example pattern_bench)
  cp "$CARGO_TARGET_DIR/release/examples/asl_bench" "$OUT/asl_bench-$side"
  cp "$CARGO_TARGET_DIR/release/examples/pattern_bench" "$OUT/pattern_bench-$side"
done
python3 - "$OUT" "$DATA" "$BENCH/rulesets.json" "$ROUNDS" "$A" "$B" <<'PY'
import json, math, statistics, subprocess, sys
out, data, rules, rounds, rev_a, rev_b = sys.argv[1:7]
def run(side):
    # Long enough runs that one slow moment on a shared machine does not decide the median.
    o = json.loads(subprocess.check_output([f"{out}/asl_bench-{side}", "50000", "10", "10000"]))
    r = {"order: CPU us per execution": o["order_cpu_us_per_execution"],
         "order: wall us per execution (best batch)": o["order_us_per_execution"],
         "Map: CPU us per item": o["map_cpu_us_per_item"],
         "Map: wall us per item (best batch)": o["map_us_per_item"]}
    p = json.loads(subprocess.check_output([f"{out}/pattern_bench-{side}", "--data", data, "--rules",
                                            rules, "--json", "--rounds", "3", "--scaling-lines", "3000"]))
    groups = p["groups"]
    r["patterns: 14 groups, geomean events/s"] = math.exp(sum(math.log(g["events_per_s"]) for g in groups) / len(groups))
    for s in p["scaling"]:
        r[f"RuleSet {s['rules']} rules: events/s"] = s["events_per_s"]
        r[f"RuleSet {s['rules']} rules: compile ms"] = s["compile_ms"]
    return r
runs = {"A": [], "B": []}
for side in ["A", "B", "B", "A"] * int(rounds):
    runs[side].append(run(side))
print(f"A = {rev_a}, B = {rev_b}; medians of {2 * int(rounds)} runs each, ABBA order")
print("\n| figure | A | B | B/A |\n|---|---:|---:|---:|")
for k in runs["A"][0]:
    a = statistics.median(x[k] for x in runs["A"]); b = statistics.median(x[k] for x in runs["B"])
    print(f"| {k} | {a:.4g} | {b:.4g} | {b / a:.3f} |")
PY
