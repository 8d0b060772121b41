#!/usr/bin/env bash
# Bundles the code editor (editor/src: CodeMirror 6 from the npm packages pinned in
# editor/package-lock.json) into one ES module, OUT/editor/codemirror.js, which the playground
# imports after its first paint (src/glue.js `load_editor`). Trunk's post_build hook runs it.
# Usage: scripts/build-editor.sh [OUT]; OUT defaults to $TRUNK_STAGING_DIR, else dist.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT/editor"
OUT="${1:-${TRUNK_STAGING_DIR:-$ROOT/dist}}/editor"
if [ ! -x node_modules/.bin/esbuild ]; then
  npm ci --no-audit --no-fund >/dev/null
fi
mkdir -p "$OUT"
node_modules/.bin/esbuild src/editor.js --bundle --format=esm --minify --legal-comments=none \
  --target=es2020 --outfile="$OUT/codemirror.js" --log-level=warning
echo "editor module in $OUT: $(wc -c < "$OUT/codemirror.js") bytes JS"
