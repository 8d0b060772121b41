#!/usr/bin/env bash
# Builds one of the extra wasm modules that Trunk's post_build hooks put beside the playground:
#   api     the JS API (crates/js: match, explain, transform, route, validate, run) as an ES module
#           with TypeScript declarations: OUT/api/statebridge.js, statebridge.d.ts, statebridge_bg.wasm.
#           It works in browsers (`import init, {match} from './api/statebridge.js'; await init()`)
#           and in Node (`await init({module_or_path: fs.readFileSync('statebridge_bg.wasm')})`).
#   jsonata the JSONata engine (crates/jsonata-wasm): OUT/jsonata/statebridge_jsonata.js and _bg.wasm.
#           The playground's main module is built without JSONata and imports this one the first
#           time a machine uses JSONata (src/jsonata.rs).
# Usage: scripts/build-module.sh api|jsonata [OUT]; OUT defaults to $TRUNK_STAGING_DIR, else dist.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
case "${1:-}" in
  api) package=statebridge-js; crate=statebridge_js; name=statebridge; flags=() ;;
  jsonata) package=statebridge-jsonata; crate=statebridge_jsonata; name=statebridge_jsonata; flags=(--no-typescript) ;;
  *) echo "usage: $0 api|jsonata [OUT]" >&2; exit 2 ;;
esac
OUT="${2:-${TRUNK_STAGING_DIR:-$ROOT/dist}}/$1"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
cargo build --offline --release --target wasm32-unknown-unknown -p "$package"
mkdir -p "$OUT"
wasm-bindgen --target web "${flags[@]}" --out-dir "$OUT" --out-name "$name" \
  "$TARGET_DIR/wasm32-unknown-unknown/release/$crate.wasm"
# The same feature flags as the app's build (index.html); see TOOLCHAIN.md for why not --all-features.
wasm-opt -Oz --enable-bulk-memory --enable-reference-types --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-multivalue \
  "$OUT/${name}_bg.wasm" -o "$OUT/${name}_bg.wasm"
echo "$1 module in $OUT: $(wc -c < "$OUT/${name}_bg.wasm") bytes wasm, $(wc -c < "$OUT/$name.js") bytes JS"
