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
  "$(dirname "$bin")/homebase-bench" lake --out "$lake" --rows "$rows" --days "$days" >/dev/null
  touch "$lake/.done"
fi
echo "lake: $rows calls in $days daily parts, $(du -sm "$lake/tables" | cut -f1) MB"

one=$("$py" -c "import datetime; print(datetime.date(2026, 1, 1) + datetime.timedelta(days=min(45, $days - 1)))")
next=$("$py" -c "import datetime; print(datetime.date.fromisoformat('$one') + datetime.timedelta(days=1))")
plain="SELECT count(*) AS calls, sum(cost_usd) AS cost_usd, avg(latency_ms) AS latency_ms FROM requests"
grouped="SELECT model, count(*) AS calls, sum(cost_usd) AS cost_usd, avg(latency_ms) AS latency_ms FROM requests"
queries=("$plain" "$plain WHERE date = '$one'" "$grouped GROUP BY model ORDER BY model" "$grouped WHERE date = '$one' GROUP BY model ORDER BY model"
         "$plain" "$plain WHERE ts >= '$one' AND ts < '$next'")
labels=("full scan, sum/avg" "one day,   sum/avg" "full scan, GROUP BY model" "one day,   GROUP BY model"
        "full scan, sum/avg" "one day by ts range, sum/avg")

cat "$lake"/tables/requests/*/*.parquet > /dev/null   # warm the page cache for both
duck=$("$py" - "$lake" "${queries[@]}" <<'PY'
import sys, time, duckdb
lake = sys.argv[1]
con = duckdb.connect()
con.execute("SET threads=2")
con.execute(f"CREATE VIEW requests AS SELECT * FROM read_parquet('{lake}/tables/requests/*/*.parquet', hive_partitioning=true)")
for sql in sys.argv[2:]:
    t = time.perf_counter()
    rows = con.execute(sql).fetchall()
    calls = sum(r[1] if len(r) == 4 else r[0] for r in rows)
    print(f"{time.perf_counter() - t:.3f} {calls}")
PY
)
seconds=()
for i in 0 1 2 3 4 5; do
  /usr/bin/time -f "%e %M" -o "$lake/time.txt" "$bin" query --data "$lake" --format csv "${queries[$i]}" > "$lake/out.csv"
  read -r s kb < <(tail -1 "$lake/time.txt")
  seconds+=("$s")
  calls=$(awk -F, -v g=$((i / 2 == 1)) 'NR>1 {s += (g ? $2 : $1)} END {print s}' "$lake/out.csv")
  read -r dk_s dk_calls < <(echo "$duck" | sed -n "$((i + 1))p")
  echo "${labels[$i]}: homebase ${s} s, peak RSS $((kb / 1024)) MB, ${calls} calls   duckdb ${dk_s} s, ${dk_calls} calls"
done
for g in 0 2 4; do
  "$py" -c "r = ${seconds[$g]} / max(${seconds[$((g + 1))]}, 0.001); print(f'partition pruning (${labels[$g]#*, }): one day {r:.0f}x faster than the full scan (target >= 20x): ' + ('ok' if r >= 20 else 'BELOW TARGET'))"
done
