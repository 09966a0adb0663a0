#!/bin/bash
# `make bench`: throughput figures beside pyarrow and DuckDB in the same run. Prints; never asserts.
#   BENCH_MB     size of the generated transcripts for the ingest benchmark (default 1000)
#   BENCH_SMALL_MB   the same in small session files, as real installations (default 1000; 0 skips)
#   BENCH_YEAR_CALLS calls of a generated year of a fleet to ingest (default 0: skipped)
#   BENCH_ROWS   rows of the Parquet write/read benchmark (default 10000000)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=.build/release/homebase
py=.build/pyenv/bin/python
work=${BENCH_DIR:-.build/bench}
mb=${BENCH_MB:-1000}
mkdir -p "$work"

if [ -z "${BENCH_SKIP_PARQUET:-}" ]; then
  echo "== Parquet write/read"
  bash Tests/tools/bench_parquet.sh
  echo
fi

# ingest_vs_duckdb LABEL DIR: times `homebase ingest` of DIR/openclaw into $work/lake-LABEL, then
# DuckDB's hand-written job over the same JSONL; prints both, the ratio, and the catalog beside the lake.
ingest_vs_duckdb() {
  local label=$1 gen=$2 lake="$work/lake-$1"
  local bytes files calls hb_s hb_kb dk_s dk_kb
  bytes=$(find "$gen/openclaw" -type f -name '*.jsonl*' -printf '%s\n' | awk '{s+=$1} END {print s}')
  files=$(find "$gen/openclaw" -type f -name '*.jsonl*' | wc -l)
  echo "input: $files files, $((bytes / 1048576)) MB"
  find "$gen/openclaw" -type f -name '*.jsonl*' -print0 | xargs -0 cat > /dev/null   # warm the page cache for both

  # The last run's lake is deleted after this run, not before it: ext4 passes over inodes freed
  # in the last minute when it allocates new ones, and each of the lake's 2,500 part files then
  # cost 0.4 ms to create (a second of the year's ingest, none of DuckDB's single file).
  [ -e "$lake" ] && mv "$lake" "$lake.old"
  /usr/bin/time -f "%e %M %P" -o "$work/time-$label.txt" "$bin" ingest --openclaw "$gen/openclaw" \
    --gateway-logs "$gen/gateway" --data "$lake" --format json > "$work/summary-$label.json" || true
  read -r hb_s hb_kb hb_cpu < <(tail -1 "$work/time-$label.txt")
  rm -rf "$lake.old"
  calls=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["calls"])' "$work/summary-$label.json")
  echo "homebase ingest: ${hb_s} s, $("$py" -c "print(f'{$bytes/1048576/$hb_s:.0f}')") MB/s, ${hb_cpu} CPU, peak RSS $((hb_kb / 1024)) MB, ${calls} calls"

  rm -f "$work/duckdb.parquet"
  /usr/bin/time -f "%e %M" -o "$work/time-duck-$label.txt" "$py" - "$gen/openclaw" "$work/duckdb.parquet" <<'PY'
import sys, duckdb
src, out = sys.argv[1], sys.argv[2]
con = duckdb.connect()
con.execute("SET preserve_insertion_order=false")
con.execute("SET threads=2")
con.execute(f"""
COPY (
  SELECT id AS entry_id, timestamp AS entry_ts,
         message->>'provider' AS provider, message->>'model' AS model,
         CAST(message->'usage'->>'input' AS BIGINT) AS input_tokens,
         CAST(message->'usage'->>'output' AS BIGINT) AS output_tokens,
         CAST(message->'usage'->'cost'->>'total' AS DOUBLE) AS cost,
         message->>'stopReason' AS stop_reason,
         CAST(message->>'timestamp' AS BIGINT) AS ts_ms
  FROM read_ndjson('{src}/agents/*/sessions/*.jsonl*', columns={{'type':'VARCHAR','id':'VARCHAR','timestamp':'VARCHAR','message':'JSON'}},
                   ignore_errors=true, maximum_object_size=268435456)
  WHERE type = 'message' AND message->>'role' = 'assistant'
) TO '{out}' (FORMAT parquet, COMPRESSION snappy)
""")
print(con.execute(f"SELECT count(*) FROM '{out}'").fetchone()[0])
PY
  read -r dk_s dk_kb < <(tail -1 "$work/time-duck-$label.txt")
  echo "duckdb by hand:  ${dk_s} s, $("$py" -c "print(f'{$bytes/1048576/$dk_s:.0f}')") MB/s, peak RSS $((dk_kb / 1024)) MB"
  "$py" -c "print(f'ratio: homebase is {$dk_s/$hb_s:.1f}x DuckDB')"
  local catalog tables
  catalog=$(stat -c %s "$lake/catalog.sqlite")
  tables=$(du -sb "$lake/tables" | cut -f1)
  "$py" -c "print(f'catalog.sqlite {$catalog/1048576:.1f} MB beside {$tables/1048576:.0f} MB of tables/ ({100*$catalog/$tables:.1f} %), {$catalog/max($calls,1):.1f} bytes per call')"
}

# generated OUT ARGS...: `homebase generate` into OUT once (kept between runs by OUT/.done).
generated() {
  local out=$1; shift
  if [ ! -f "$out/.done" ]; then
    rm -rf "$out"
    "$bin" generate --out "$out" "$@" >/dev/null
    touch "$out/.done"
  fi
}

echo "== ingest: ~${mb} MB of generated OpenClaw transcripts (large sessions, ~40 KB a call)"
generated "$work/gen-$mb" --target-mb "$mb" --seed 7
ingest_vs_duckdb big "$work/gen-$mb"
cp "$work/summary-big.json" "$work/summary.json"
rm -rf "$work/lake" && mv "$work/lake-big" "$work/lake"   # analyze and the later parts read it

small=${BENCH_SMALL_MB:-1000}
if [ "$small" != 0 ]; then
  echo
  echo "== ingest: ~${small} MB as a real installation writes it (one small file per chat session, a few KB a call)"
  generated "$work/small-$small" --target-mb "$small" --small-files --seed 7
  ingest_vs_duckdb small "$work/small-$small"
fi

year=${BENCH_YEAR_CALLS:-0}
if [ "$year" != 0 ]; then
  echo
  echo "== ingest: a year of a fleet, ~${year} calls over 365 days (BENCH_YEAR_CALLS)"
  generated "$work/year-$year" --days 365 --agents 20 --calls-per-day $((year / 365 / 20)) --seed 7
  ingest_vs_duckdb year "$work/year-$year"
fi

echo
cur=${BENCH_CURRENT_MB:-200}
echo "== ingest: ~${cur} MB in OpenClaw 2026.8+ storage (SQLite events, archive rows plain/zstd, .zst files, import archive)"
if [ ! -f "$work/cur-$cur/.done" ]; then
  rm -rf "$work/cur-$cur"
  "$bin" generate --out "$work/cur-$cur" --target-mb "$cur" --seed 7 --store current >/dev/null
  touch "$work/cur-$cur/.done"
fi
cbytes=$(du -sb "$work/cur-$cur/openclaw" | cut -f1)
find "$work/cur-$cur/openclaw" -type f -exec cat {} + > /dev/null
rm -rf "$work/lake-cur"
/usr/bin/time -f "%e %M" -o "$work/time-cur.txt" "$bin" ingest --openclaw "$work/cur-$cur/openclaw" \
  --gateway-logs "$work/cur-$cur/gateway" --data "$work/lake-cur" --format json > "$work/summary-cur.json" || true
read -r cu_s cu_kb < <(tail -1 "$work/time-cur.txt")
"$py" - "$work/summary-cur.json" "$cu_s" "$cu_kb" "$cbytes" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); secs = float(sys.argv[2])
src = ", ".join(f"{k} {v['found']}" for k, v in sorted(s["sources"].items()))
print(f"homebase ingest: {secs} s, {int(sys.argv[4]) / 1048576 / secs:.0f} MB/s of state dir on disk, peak RSS {int(sys.argv[3]) // 1024} MB, "
      f"{s['calls']} calls ({s['duplicateCalls']} copies matched by identity); sources: {src}")
PY

echo
echo "== analyze: the lake just ingested"
/usr/bin/time -f "%e %M" -o "$work/time-an.txt" "$bin" analyze --data "$work/lake" --out "$work/analysis.json" >/dev/null || true
read -r an_s an_kb < <(tail -1 "$work/time-an.txt")
echo "homebase analyze: ${an_s} s, peak RSS $((an_kb / 1024)) MB (every section of analysis.json)"
/usr/bin/time -f "%e %M" -o "$work/time-an-duck.txt" "$py" Tests/tools/duckdb_analyze.py "$work/lake"
read -r da_s da_kb < <(tail -1 "$work/time-an-duck.txt")
echo "duckdb (totals, per-day and per-group percentiles, per agent-day p95): ${da_s} s, peak RSS $((da_kb / 1024)) MB"
"$py" -c "print(f'ratio: homebase analyze is {$da_s/$an_s:.1f}x DuckDB')"
if [ -z "${BENCH_SKIP_QUERY:-}" ]; then echo; echo "== homebase query over the lake"; bash Tests/tools/bench_query.sh; fi
if [ -z "${BENCH_SKIP_BACKUP:-}" ]; then
  echo; echo "== backup"
  bash Tests/tools/bench_backup.sh
fi
if [ -z "${BENCH_SKIP_NIGHTLY:-}" ]; then
  echo; echo "== nightly: every stage, full and incremental (BENCH_NIGHTLY_MB, default 1000)"
  bash Tests/tools/bench_nightly.sh
fi
