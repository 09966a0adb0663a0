#!/bin/bash
# Parquet part of `make bench`: our writer and reader vs pyarrow on a synthetic `requests` table.
# ROWS (default 10,000,000) rows; prints rows/s, MB/s, ratios and file sizes. Never asserts.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=.build/release/homebase
rows="${BENCH_ROWS:-${ROWS:-10000000}}"
[ -x .build/release/homebase-bench ] || swift build -c release --product homebase-bench
bash Tests/tools/pyenv.sh
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
.build/release/homebase-bench parquet --rows "$rows" --out "$tmp/homebase.parquet" > "$tmp/homebase.txt"
.build/pyenv/bin/python Tests/tools/bench_parquet.py "$tmp/homebase.parquet" "$tmp/homebase.txt" "$tmp/pyarrow.parquet"
