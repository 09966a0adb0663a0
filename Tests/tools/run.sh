#!/bin/bash
# `make run`: the main job on samples/ with the release build, then where the output is.
set -uo pipefail
cd "$(dirname "$0")/../.."
bin=.build/release/homebase
data=./homebase-data
"$bin" ingest --openclaw samples/openclaw --gateway-logs samples/gateway --data "$data"
status=$?
if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then
  echo "make run: ingest failed (exit $status)" >&2
  exit "$status"
fi
echo
echo "lake:    $data/tables/{requests,gateway_events,quarantine}/date=YYYY-MM-DD/*.parquet"
echo "catalog: $data/catalog.sqlite"
echo "look:    $bin parquet cat \$(ls $data/tables/requests/*/*.parquet | head -1) --limit 5"
