#!/usr/bin/env bash
# Runs the engine's cargo-fuzz targets (crates/engine/fuzz) one after another, at the lowest CPU
# priority, each for a number of executions, and reports what crashed.
# Usage: scripts/fuzz.sh [TARGET|all] [RUNS]     (default: all targets, 10,000,000 runs each)
# Environment:
#   FUZZ_TIMEOUT=10       seconds one input may take before it counts as a hang
#   FUZZ_RSS_MB=2048      memory (RSS) limit; FUZZ_MALLOC_MB=2048: the largest single allocation
#   FUZZ_SANITIZER=none   or address (slower; the engine forbids unsafe code, so off by default)
#   FUZZ_MAX_TIME=0       stop a target after this many seconds even short of RUNS (0: no limit)
#   FUZZ_ARGS=...         more libFuzzer flags
# Findings land in crates/engine/fuzz/artifacts/<target>/; copy the ones you fix into
# crates/engine/tests/fuzz_regressions/<target>/ (the engine's tests replay them).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
FUZZ="$ROOT/crates/engine/fuzz"
CARGO_FUZZ_VERSION=0.13.2
TARGET="${1:-all}"
RUNS="${2:-10000000}"
TIMEOUT="${FUZZ_TIMEOUT:-10}"
RSS_MB="${FUZZ_RSS_MB:-2048}"
MALLOC_MB="${FUZZ_MALLOC_MB:-$RSS_MB}"
SANITIZER="${FUZZ_SANITIZER:-none}"
MAX_TIME="${FUZZ_MAX_TIME:-0}"

if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  echo "installing cargo-fuzz $CARGO_FUZZ_VERSION" >&2
  cargo install cargo-fuzz --locked --version "$CARGO_FUZZ_VERSION" || exit 2
fi
# libFuzzer's instrumentation needs nightly flags: the nightly toolchain where there is one, else
# the stable one told to accept them.
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  TOOLCHAIN=(+nightly)
else
  TOOLCHAIN=()
  export RUSTC_BOOTSTRAP=1
fi

cd "$FUZZ" || exit 2
ALL=$(sed -n 's/^name = "\([a-z_]*\)"$/\1/p' Cargo.toml | grep -v '^statebridge')
if [ "$TARGET" = all ]; then
  TARGETS=$ALL
elif grep -qx "$TARGET" <<<"$ALL"; then
  TARGETS=$TARGET
else
  echo "no fuzz target '$TARGET'; targets: $(echo $ALL)" >&2
  exit 2
fi

python3 seed_corpus.py corpus >&2 || exit 2
mkdir -p logs
status=0
summary=()
for t in $TARGETS; do
  DICT=()
  case "$t" in
    pattern_*) DICT=(-dict=pattern.dict) ;;
    asl_*) [ -f asl.dict ] && DICT=(-dict=asl.dict) ;;
  esac
  mkdir -p "artifacts/$t"
  log="logs/$t.log"
  echo "== $t: $RUNS runs (log: crates/engine/fuzz/$log)" >&2
  started=$(date +%s)
  nice -n 19 cargo "${TOOLCHAIN[@]}" fuzz run "$t" -s "$SANITIZER" "corpus/$t" -- \
    "${DICT[@]}" -runs="$RUNS" -max_total_time="$MAX_TIME" -timeout="$TIMEOUT" \
    -rss_limit_mb="$RSS_MB" -malloc_limit_mb="$MALLOC_MB" -print_final_stats=1 \
    ${FUZZ_ARGS:-} >"$log" 2>&1
  rc=$?
  secs=$(( $(date +%s) - started ))
  # libFuzzer's final statistics: stat::number_of_executed_units, stat::average_exec_per_sec.
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  found=$(grep -E '^(==[0-9]+== ERROR|SUMMARY|artifact_prefix|Test unit written)' "$log" | tail -n 3)
  if [ $rc -ne 0 ]; then
    status=1
    summary+=("$t: FAILED after ${execs:-?} executions (${rate:-?}/s, ${secs}s): $found")
  else
    summary+=("$t: ${execs:-?} executions, ${rate:-?} exec/s, ${secs}s, no crash")
  fi
done
echo
printf '%s\n' "${summary[@]}"
leftovers=$(find artifacts -type f 2>/dev/null | head -n 20)
[ -n "$leftovers" ] && printf 'inputs that crashed (crates/engine/fuzz/):\n%s\n' "$leftovers"
exit $status
