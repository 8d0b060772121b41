#!/usr/bin/env bash
# Installs everything the playground and the tests need, skipping what is already there at the
# right version, so a second run takes seconds. Used by scripts/serve.sh and scripts/test.sh.
# Every tool comes from a package registry (crates, npm, Debian's packages) or rustup's targets;
# nothing downloads a binary from anywhere else.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS="$ROOT/.tools"
TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# The wasm-bindgen CLI must equal the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
grep -q "wasm_bindgen = \"$WASM_BINDGEN_VERSION\"" Trunk.toml || {
  echo "Trunk.toml's [tools] wasm_bindgen does not equal Cargo.lock's wasm-bindgen $WASM_BINDGEN_VERSION" >&2; exit 1; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 9 minutes on 2 cores)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes)"
  # Not --locked: one of its locked dependencies is missing from the registry.
  cargo install --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# wasm-opt from the npm `binaryen` package (Debian's is too old for today's Rust wasm).
if [ "$("$TOOLS/node_modules/.bin/wasm-opt" --version 2>/dev/null | awk '{print $3}')" != "$BINARYEN_VERSION" ]; then
  say "installing wasm-opt (npm binaryen@$BINARYEN_VERSION) into .tools/"
  mkdir -p "$TOOLS"
  [ -f "$TOOLS/package.json" ] || echo '{"private":true}' > "$TOOLS/package.json"
  npm install --prefix "$TOOLS" --no-audit --no-fund --save-exact "binaryen@$BINARYEN_VERSION" >/dev/null
fi

if [ "${SETUP_BROWSER:-1}" = 1 ]; then
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    say "installing Debian's chromium and chromium-driver"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  if [ ! -d tests/browser/node_modules/playwright-core ] || ! (cd tests/browser && npm ls --silent >/dev/null 2>&1); then
    say "installing the browser tests' npm packages from the lockfile"
    (cd tests/browser && npm ci --no-audit --no-fund >/dev/null)
  fi
fi

# The code editor's npm packages (CodeMirror 6 and esbuild, pinned by editor/package-lock.json).
if [ ! -x editor/node_modules/.bin/esbuild ] || ! (cd editor && npm ls --silent >/dev/null 2>&1); then
  say "installing the code editor's npm packages from the lockfile"
  (cd editor && npm ci --no-audit --no-fund >/dev/null)
fi

say "fetching crates"
cargo fetch --locked >/dev/null 2>&1 || cargo fetch
say "ready"
