#!/bin/bash
# Creates .build/pyenv with the dev-only oracles pinned in Tests/tools/requirements.txt (pyarrow, duckdb, …), used by
# tests and the benchmark. The product never needs them. Re-installs when the requirements file changes.
# Fails loudly when PyPI cannot be reached.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/.build/pyenv"
req="$root/Tests/tools/requirements.txt"
stamp="$venv/.ready-$(sha256sum "$req" | cut -c1-16)"
[ -f "$stamp" ] && exit 0
mkdir -p "$root/.build"
exec 9>"$root/.build/pyenv.lock"
flock 9
[ -f "$stamp" ] && exit 0
[ -x "$venv/bin/pip" ] || python3 -m venv "$venv" || { echo "pyenv.sh: python3 -m venv failed; install python3-venv" >&2; exit 1; }
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req" \
  || { echo "pyenv.sh: could not install the pinned packages of $req from PyPI; tests that compare against them cannot run" >&2; exit 1; }
rm -f "$venv"/.ready-*
touch "$stamp"
