#!/usr/bin/env bash
# Reading JSON with positions whatever the layout (issue 14): a 10,000-rule bus and a ~250 KB
# event, minified and pretty-printed, side by side; the goal is a min / pretty ratio within 1.5x.
# Usage: scripts/bench-reading.sh [RULES]   (default 10,000)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
# The workspace's release profile is tuned for size (the app's wasm); benchmark at opt-level 3.
export CARGO_PROFILE_RELEASE_OPT_LEVEL="${CARGO_PROFILE_RELEASE_OPT_LEVEL:-3}"
cargo build --release -p statebridge-engine --example reading_bench
"$CARGO_TARGET_DIR/release/examples/reading_bench" --rules "${1:-10000}"
