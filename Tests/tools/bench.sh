#!/bin/bash
# `make bench`: throughput figures beside pyarrow and DuckDB in the same run. Prints; never asserts.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash Tests/tools/bench_parquet.sh
