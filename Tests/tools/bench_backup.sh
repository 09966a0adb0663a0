#!/bin/bash
# `make bench`, backup part: create / verify / restore throughput on the ingest bench's lake,
# its parts replicated up to ~BENCH_BACKUP_MB (default 1000) of Parquet, beside `tar -czf` and
# `sha256sum` on the same files. Prints; never asserts.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=.build/release/homebase
py=.build/pyenv/bin/python
work=${BENCH_DIR:-.build/bench}
target=${BENCH_BACKUP_MB:-1000}
src=$work/lake
if [ ! -f "$src/catalog.sqlite" ]; then echo "no $src: run the ingest bench first"; exit 0; fi
big=$work/backup-lake
rm -rf "$big" "$work/backups" "$work/restored" "$work/tar.tar.gz"
cp -r "$src" "$big"
# Copies of every live part under new names, listed live in the newest snapshot (valid Parquet).
"$py" - "$big" "$target" <<'PY'
import sys, sqlite3, shutil, os
root, target = sys.argv[1], int(sys.argv[2]) << 20
con = sqlite3.connect(root + '/catalog.sqlite')
snap = con.execute('SELECT max(snapshot_id) FROM snapshots').fetchone()[0]
live = con.execute('SELECT table_name, date, path, row_count, byte_size FROM parts WHERE removed_snapshot IS NULL').fetchall()
total, copy = sum(r[4] for r in live), 0
while total < target and live:
    copy += 1
    for table, date, path, rows, size in live:
        new = path.replace('/part-', f'/part-copy{copy}-')
        shutil.copyfile(f'{root}/{path}', f'{root}/{new}')
        con.execute('INSERT INTO parts(table_name, date, path, row_count, byte_size, added_snapshot) VALUES(?,?,?,?,?,?)',
                    (table, date, new, rows, size, snap))
        total += size
con.commit()
print(f'lake: {total >> 20} MB of live parts')
PY
mb=$("$py" -c "import os,sys; print(sum(os.path.getsize(os.path.join(b,f)) for b,_,fs in os.walk(sys.argv[1]) for f in fs) / 1048576)" "$big")
find "$big" -type f -exec cat {} + > /dev/null   # warm the page cache (too many files for one argument list)
rate() { "$py" -c "print(f'{$mb/$1:.0f}')"; }
run() { /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > /dev/null; tail -1 "$work/time.txt"; }
read -r s kb < <(run "$bin" backup create --data "$big" --to "$work/backups")
echo "homebase backup create: ${s} s, $(rate "$s") MB/s, peak RSS $((kb / 1024)) MB, archive $(($(stat -c %s "$work"/backups/*.tar.gz) >> 20)) MB"
read -r s kb < <(run "$bin" backup verify --backups "$work/backups")
echo "homebase backup verify: ${s} s, $(rate "$s") MB/s, peak RSS $((kb / 1024)) MB (re-hash, scratch restore, every part decoded)"
read -r s kb < <(run "$bin" backup restore "$(ls "$work"/backups/*.tar.gz)" --to "$work/restored")
echo "homebase backup restore: ${s} s, $(rate "$s") MB/s, peak RSS $((kb / 1024)) MB"
read -r s kb < <(run tar -czf "$work/tar.tar.gz" -C "$big" .)
echo "tar -czf (GNU tar + gzip -6): ${s} s, $(rate "$s") MB/s, archive $(($(stat -c %s "$work/tar.tar.gz") >> 20)) MB"
read -r s kb < <(run sh -c "find '$big' -type f -print0 | xargs -0 sha256sum")
echo "sha256sum over the files: ${s} s, $(rate "$s") MB/s"
rm -rf "$big" "$work/backups" "$work/restored" "$work/tar.tar.gz"
