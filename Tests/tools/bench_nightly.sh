#!/bin/bash
# `make bench`, nightly part: a year of generated history (about BENCH_NIGHTLY_MB MB of
# transcripts), one full nightly run, then one new day on top of it (the incremental case).
# Prints each stage's time from the run log and the whole run's peak RSS. Prints, never asserts.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=.build/release/homebase
mb=${BENCH_NIGHTLY_MB:-1000}
work=$(mktemp -d /tmp/homebase-bench-nightly.XXXXXX)
trap 'rm -rf "$work"' EXIT
"$bin" generate --out "$work/fleet" --days 365 --agents 8 --calls-per-day 60 --seed 7 --end 2026-06-30 --target-mb "$mb" >/dev/null
bytes=$(du -sb "$work/fleet/openclaw" | cut -f1)
cat > "$work/homebase.json" <<JSON
{"sources": {"openclaw": ["fleet/openclaw"], "gateway_logs": ["fleet/gateway"]},
 "data_dir": "data", "output_dir": "out", "timezone": "Europe/Berlin", "budgets": {"monthly_usd": 500},
 "reports": {"weekly_on": "wednesday"}, "backup": {"dir": "backups"}}
JSON
stages() {  # the stage lines of the last run in the log, with MB/s for ingest
  python3 - "$work/data/logs/nightly.jsonl" "$1" "$2" <<'PY'
import sys, json
lines = [json.loads(l) for l in open(sys.argv[1])]
run = lines[-1]['run']
for l in lines:
    if l['run'] == run:
        extra = f"  ({float(sys.argv[2]) / 1048576 / max(l['seconds'], 1e-9):.0f} MB/s of {float(sys.argv[2]) / 1048576:.0f} MB)" if l['stage'] == 'ingest' and float(sys.argv[2]) > 0 else ''
        print(f"  {sys.argv[3]:<12} {l['stage']:<8} {l['status']:<8} {l['seconds']:7.2f} s{extra}")
PY
}
/usr/bin/time -f "%e %M" -o "$work/t1" "$bin" nightly --config "$work/homebase.json" --today 2026-07-01 --quiet >/dev/null || true
read -r full_s full_kb < <(tail -1 "$work/t1")
echo "nightly over a year of history, $((bytes / 1048576)) MB of transcripts (2 cores, release, page cache warm):"
stages "$bytes" full
echo "  full run     total    ${full_s} s, peak RSS $((full_kb / 1024)) MB"
# One new day: a new agent's sessions for 2026-07-01 land in the state directory.
"$bin" generate --out "$work/day" --days 1 --agents 1 --calls-per-day 60 --seed 99 --end 2026-07-01 >/dev/null
mv "$work/day/openclaw/agents/"* "$work/fleet/openclaw/agents/new-agent"
new_bytes=$(du -sb "$work/fleet/openclaw/agents/new-agent" | cut -f1)
/usr/bin/time -f "%e %M" -o "$work/t2" "$bin" nightly --config "$work/homebase.json" --today 2026-07-02 --quiet >/dev/null || true
read -r inc_s inc_kb < <(tail -1 "$work/t2")
stages "$new_bytes" incremental
echo "  incremental  total    ${inc_s} s, peak RSS $((inc_kb / 1024)) MB ($(python3 -c "print(f'{$inc_s/$full_s*100:.0f}')")% of the full run)"
# A year's retention keeps ~20 archives (7 daily, 4 weekly, 12 monthly by default): every nightly
# lists their manifests at create and at prune. 20 more archives, then one more new day.
if [ -z "${BENCH_SKIP_RETENTION:-}" ]; then
  for _ in $(seq 20); do "$bin" backup create --config "$work/homebase.json" >/dev/null 2>&1 || true; done
  "$bin" generate --out "$work/day3" --days 1 --agents 1 --calls-per-day 60 --seed 98 --end 2026-07-02 >/dev/null
  mv "$work/day3/openclaw/agents/"* "$work/fleet/openclaw/agents/third-agent"
  kept=$(ls "$work/backups/"*.tar.gz | wc -l)
  /usr/bin/time -f "%e %M" -o "$work/t3" "$bin" nightly --config "$work/homebase.json" --today 2026-07-03 --quiet >/dev/null || true
  read -r ret_s ret_kb < <(tail -1 "$work/t3")
  stages 0 "$kept archives"
  echo "  $kept archives  total    ${ret_s} s, peak RSS $((ret_kb / 1024)) MB: one more new day with a year's retention of backups to list (BENCH_SKIP_RETENTION=1 skips)"
fi
