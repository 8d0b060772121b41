#!/usr/bin/env bash
# Installs what is missing, builds the playground in release mode and serves it on 127.0.0.1.
# Usage: scripts/serve.sh [PORT]   (default 8080)
set -euo pipefail
cd "$(dirname "$0")/.."
SETUP_BROWSER=0 scripts/setup.sh
source scripts/env.sh
PORT="${1:-${PORT:-8080}}"
echo "[serve] building the playground (release)"
trunk build --release --offline
exec node tests/browser/server.mjs dist "$PORT"
