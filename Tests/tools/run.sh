#!/bin/bash
# `make run`: the nightly job on samples/ with the release build and samples/homebase.json, then
# where everything went. The samples end on 2026-06-30, so the run acts as on 2026-07-01.
set -uo pipefail
cd "$(dirname "$0")/../.."
bin=.build/release/homebase
data=./homebase-data
# The samples are as of 2026-07-01, so this machine's own samples would fall outside the run's
# window: a week of made-up host samples of "demo-host" feeds the System health section instead
# (appended to the spool; ingest skips the ones already in the lake).
"$bin" sample --config samples/homebase.json --demo-days 7 --demo-end 2026-06-30T22:00:00Z || exit $?
# A secrets-manager inventory as `aws secretsmanager list-secrets` prints it (metadata only; the test
# fixture, since samples/ holds only generated files), for the monthly report's rotation audit
# (docs/credentials.md); every run keeps one more import.
"$bin" credentials import aws --from-json Tests/TestSupport/Fixtures/credentials/aws-list-secrets-1.json --config samples/homebase.json || exit $?
# The generated invoices include one billed in EUR: its exchange rates first (exit 3 would mean bad lines).
"$bin" fx import samples/fx-rates.csv --config samples/homebase.json || exit $?
"$bin" nightly --config samples/homebase.json --today 2026-07-01
status=$?
if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then
  echo "make run: nightly failed (exit $status); see $data/logs/nightly.jsonl" >&2
  exit "$status"
fi
echo
# Invoices against logs; the seeded gaps (samples/invoice-gaps.json) are flagged, so exit 3 is expected.
"$bin" reconcile --config samples/homebase.json --from 2026-05-02 --to 2026-06-30
echo
echo "lake:      $data/tables/{requests,invoice_lines,gateway_events,quarantine,host_samples}/date=YYYY-MM-DD/*.parquet"
echo "catalog:   $data/catalog.sqlite"
echo "analysis:  $data/analysis.json"
for f in "$data"/reports/*/report.html "$data"/reports/*/report.pdf; do [ -e "$f" ] && echo "report:    $f"; done
for f in "$data"/reports/*/report.eml "$data"/reports/alerts/*.eml; do [ -e "$f" ] && echo "e-mail:    $f"; done
ls "$data"/backups/*.tar.gz 2>/dev/null | tail -1 | sed 's/^/backup:    /'
echo "run log:   $data/logs/nightly.jsonl"
echo "try:       $bin query \"SELECT model, count(*), round(sum(cost_usd), 4) FROM requests GROUP BY 1 ORDER BY 3 DESC\" --data $data"
