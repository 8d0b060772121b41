#!/usr/bin/env bash
# Builds the JS API (crates/js: match, explain, transform, route, validate, run) as an ES module
# with TypeScript declarations: OUT/statebridge.js, statebridge.d.ts, statebridge_bg.wasm.
# OUT is the first argument, else $TRUNK_STAGING_DIR/api (Trunk's post_build hook), else dist/api.
# The module works in browsers (`import init, {match} from './api/statebridge.js'; await init()`)
# and in Node (`await init({module_or_path: fs.readFileSync('statebridge_bg.wasm')})`).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
OUT="${1:-${TRUNK_STAGING_DIR:+$TRUNK_STAGING_DIR/api}}"
OUT="${OUT:-$ROOT/dist/api}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
cargo build --offline --release --target wasm32-unknown-unknown -p statebridge-js
mkdir -p "$OUT"
wasm-bindgen --target web --out-dir "$OUT" --out-name statebridge \
  "$TARGET_DIR/wasm32-unknown-unknown/release/statebridge_js.wasm"
# The same feature flags as the app's build (index.html); see TOOLCHAIN.md for why not --all-features.
wasm-opt -Oz --enable-bulk-memory --enable-reference-types --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-multivalue \
  "$OUT/statebridge_bg.wasm" -o "$OUT/statebridge_bg.wasm"
echo "JS API in $OUT: $(wc -c < "$OUT/statebridge_bg.wasm") bytes wasm, $(wc -c < "$OUT/statebridge.js") bytes JS"
