#!/bin/bash
# Throughput of the Detectors target in an optimised build (the package's debug test build is
# 10-50x slower): compiles HomeBaseCore as a module and Sources/Detectors with a small main, then
# scores N points (default 1 000 000) in memory and CSV to CSV, and times one 730-day forecast.
# Usage: Tests/tools/bench_detectors.sh [N]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/.build/detectors-bench"
mkdir -p "$out"
swiftc -O -parse-as-library -emit-library -static -module-name HomeBaseCore -package-name detectorsbench \
  -emit-module -emit-module-path "$out/HomeBaseCore.swiftmodule" -o "$out/libHomeBaseCore.a" \
  $(find "$root/Sources/HomeBaseCore" -name '*.swift')
swiftc -O -module-name DetectorsBench -package-name detectorsbench -I "$out" -L "$out" -lHomeBaseCore \
  $(find "$root/Sources/Detectors" -name '*.swift') "$root/Tests/tools/detectors_bench/main.swift" -o "$out/bench"
"$out/bench" "${1:-1000000}"
