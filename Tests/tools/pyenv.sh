#!/bin/bash
# Creates .build/pyenv with the dev-only oracles (pyarrow, duckdb, openpyxl, numpy, scipy, zstandard) used by
# tests and the benchmark, pinned by version so an oracle does not change under the suite. The product never needs them. Fails loudly when PyPI cannot be reached.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/.build/pyenv"
stamp="$venv/.ready-v3"
[ -f "$stamp" ] && exit 0
mkdir -p "$root/.build"
exec 9>"$root/.build/pyenv.lock"
flock 9
[ -f "$stamp" ] && exit 0
python3 -m venv "$venv" || { echo "pyenv.sh: python3 -m venv failed; install python3-venv" >&2; exit 1; }
"$venv/bin/pip" install --quiet --disable-pip-version-check pyarrow==26.0.1 duckdb==2.0.1 openpyxl==3.1.5 numpy==2.4.6 scipy==1.17.1 zstandard==0.25.0 \
  || { echo "pyenv.sh: could not install the pinned pyarrow/duckdb/openpyxl/numpy/scipy/zstandard from PyPI; tests that compare against them cannot run" >&2; exit 1; }
touch "$stamp"
