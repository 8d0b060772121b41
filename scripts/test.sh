#!/usr/bin/env bash
# Installs what is missing, then runs every test: formatting, lints, the engine's and CLI's tests
# (conformance runners included), the release build of the app, and the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
step() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check
step "cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings
# The app's browser-only code (web-sys calls, the glue) is compiled only for wasm32.
cargo clippy -p statebridge-app --target wasm32-unknown-unknown -- -D warnings
step "doc tests"
cargo test --workspace --doc
step "cargo test"
cargo test --workspace --tests
step "trunk build --release"
trunk build --release --offline
step "browser tests"
(cd tests/browser && node --test --test-concurrency=1 ./*.test.mjs)
