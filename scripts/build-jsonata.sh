#!/usr/bin/env bash
# Builds the JSONata engine as a wasm module of its own (crates/jsonata-wasm) into OUT/jsonata:
# statebridge_jsonata.js and statebridge_jsonata_bg.wasm. The playground's main module is built
# without JSONata and imports this one the first time a machine uses JSONata (src/jsonata.rs).
# OUT is the first argument, else $TRUNK_STAGING_DIR (Trunk's post_build hook), else dist.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
OUT="${1:-${TRUNK_STAGING_DIR:-$ROOT/dist}}/jsonata"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
cargo build --offline --release --target wasm32-unknown-unknown -p statebridge-jsonata
mkdir -p "$OUT"
wasm-bindgen --target web --no-typescript --out-dir "$OUT" --out-name statebridge_jsonata \
  "$TARGET_DIR/wasm32-unknown-unknown/release/statebridge_jsonata.wasm"
# The same feature flags as the app's build (index.html); see TOOLCHAIN.md for why not --all-features.
wasm-opt -Oz --enable-bulk-memory --enable-reference-types --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-multivalue \
  "$OUT/statebridge_jsonata_bg.wasm" -o "$OUT/statebridge_jsonata_bg.wasm"
echo "JSONata module in $OUT: $(wc -c < "$OUT/statebridge_jsonata_bg.wasm") bytes wasm"
