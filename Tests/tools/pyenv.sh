#!/bin/bash
# Creates .build/pyenv with the dev-only oracles (pyarrow, duckdb, openpyxl, numpy, scipy) used by tests and
# the benchmark. The product never needs them. Fails loudly when PyPI cannot be reached.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/.build/pyenv"
stamp="$venv/.ready-v2"
[ -f "$stamp" ] && exit 0
mkdir -p "$root/.build"
exec 9>"$root/.build/pyenv.lock"
flock 9
[ -f "$stamp" ] && exit 0
python3 -m venv "$venv" || { echo "pyenv.sh: python3 -m venv failed; install python3-venv" >&2; exit 1; }
"$venv/bin/pip" install --quiet --disable-pip-version-check pyarrow duckdb openpyxl numpy scipy \
  || { echo "pyenv.sh: could not install pyarrow/duckdb/openpyxl/numpy/scipy from PyPI; tests that compare against them cannot run" >&2; exit 1; }
touch "$stamp"
