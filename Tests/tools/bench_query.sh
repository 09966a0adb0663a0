#!/bin/bash
# `make bench` part: `homebase query` over a synthetic lake, beside DuckDB on the same Parquet files.
#   BENCH_QUERY_ROWS  calls in the lake (default 10000000)
#   BENCH_QUERY_DAYS  daily partitions they spread over (default 100)
#   BENCH_BIN         the homebase binary (default .build/release/homebase)
# A full-scan aggregate and the same aggregate over one day; partition pruning should make the
# one-day query at least 20x faster than the full scan. Prints; never asserts.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${BENCH_BIN:-.build/release/homebase}
py=.build/pyenv/bin/python
rows=${BENCH_QUERY_ROWS:-10000000}
days=${BENCH_QUERY_DAYS:-100}
lake=${BENCH_DIR:-.build/bench}/query-lake-$rows-$days

if [ ! -f "$lake/.done" ]; then
  rm -rf "$lake"
  "$bin" query --make-bench-lake "$lake" --rows "$rows" --days "$days" >/dev/null
  touch "$lake/.done"
fi
echo "lake: $rows calls in $days daily parts, $(du -sm "$lake/tables" | cut -f1) MB"

one=$("$py" -c "import datetime; print(datetime.date(2026, 1, 1) + datetime.timedelta(days=min(45, $days - 1)))")
full="SELECT model, count(*) AS calls, sum(cost_usd) AS cost_usd, avg(latency_ms) AS latency_ms FROM requests GROUP BY model ORDER BY model"
day="SELECT model, count(*) AS calls, sum(cost_usd) AS cost_usd, avg(latency_ms) AS latency_ms FROM requests WHERE date = '$one' GROUP BY model ORDER BY model"

cat "$lake"/tables/requests/*/*.parquet > /dev/null   # warm the page cache for both
timed() {  # prints seconds and peak RSS of homebase query "$1"
  /usr/bin/time -f "%e %M" -o "$lake/time.txt" "$bin" query --data "$lake" --format csv "$1" > "$lake/out.csv"
  tail -1 "$lake/time.txt"
}
read -r full_s full_kb < <(timed "$full")
full_calls=$(awk -F, 'NR>1 {s+=$2} END {print s}' "$lake/out.csv")
read -r day_s day_kb < <(timed "$day")
day_calls=$(awk -F, 'NR>1 {s+=$2} END {print s}' "$lake/out.csv")

read -r dk_full dk_day dk_full_calls dk_day_calls < <("$py" - "$lake" "$full" "$day" <<'PY'
import sys, time, duckdb
lake, full, day = sys.argv[1:4]
con = duckdb.connect()
con.execute("SET threads=2")
con.execute(f"CREATE VIEW requests AS SELECT * FROM read_parquet('{lake}/tables/requests/*/*.parquet', hive_partitioning=true)")
out = []
for sql in (full, day):
    t = time.perf_counter()
    rows = con.execute(sql).fetchall()
    out.append((time.perf_counter() - t, sum(r[1] for r in rows)))
print(f"{out[0][0]:.3f} {out[1][0]:.3f} {out[0][1]} {out[1][1]}")
PY
)
echo "full scan (GROUP BY model over $full_calls calls):  homebase ${full_s} s (peak RSS $((full_kb / 1024)) MB)   duckdb ${dk_full} s ($dk_full_calls calls)"
echo "one day   (date = '$one', $day_calls calls):     homebase ${day_s} s (peak RSS $((day_kb / 1024)) MB)   duckdb ${dk_day} s ($dk_day_calls calls)"
"$py" -c "r = $full_s / max($day_s, 0.001); print(f'partition pruning: one-day query {r:.0f}x faster than the full scan (target >= 20x): ' + ('ok' if r >= 20 else 'BELOW TARGET'))"
