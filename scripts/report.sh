#!/usr/bin/env bash
# Size and speed report of the release playground: bundle sizes and time to interactive (median of 5).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
trunk build --release --offline
node tests/browser/perf.mjs
