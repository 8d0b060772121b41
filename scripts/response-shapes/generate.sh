#!/usr/bin/env bash
# Regenerates crates/engine/data/response_shapes.txt from a pinned botocore (see generate.py).
# The venv lives beside this script and is git-ignored; the generated file is committed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
version=1.44.18
venv="$here/.venv"
if ! "$venv/bin/python" -c "import botocore, sys; sys.exit(botocore.__version__ != '$version')" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q "botocore==$version"
fi
cd "$root"
"$venv/bin/python" "$here/generate.py" "$@"
