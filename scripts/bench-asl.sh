#!/usr/bin/env bash
# Side-by-side ASL benchmark (issue 4): statebridge natively and in wasm (wasm32-wasip1 under
# node:wasi) against aws-local-stepfunctions, pinned in bench/asl/package.json, in one run.
# Usage: scripts/bench-asl.sh [ORDER_RUNS] [MAP_RUNS] [ITEMS] [MEMORY_ITEMS]
# MEMORY_ITEMS (default 100000, 0 to skip): the Map whose peak memory is compared, each side once
# in a fresh process (statebridge natively, with inspection on and off).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
# The workspace's release profile is tuned for size (the app's wasm); benchmark at opt-level 3.
export CARGO_PROFILE_RELEASE_OPT_LEVEL="${CARGO_PROFILE_RELEASE_OPT_LEVEL:-3}"
rustup target list --installed | grep -qx wasm32-wasip1 || rustup target add wasm32-wasip1
cargo build --release -p statebridge-engine --example asl_bench
cargo build --release -p statebridge-engine --example asl_bench --target wasm32-wasip1
(cd bench/asl && npm ci --no-audit --no-fund --silent)
node bench/asl/bench.mjs "$CARGO_TARGET_DIR/release/examples/asl_bench" \
  "$CARGO_TARGET_DIR/wasm32-wasip1/release/examples/asl_bench.wasm" "$@"
