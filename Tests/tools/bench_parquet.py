"""`make bench` Parquet part: pyarrow reads our file (untimed), writes the same table with Snappy
(timed) and reads it back (timed); prints both sides, the ratios and the file sizes. Never asserts."""
import os, sys, time
import pyarrow.parquet as pq

ours_path, ours_report, theirs_path = sys.argv[1], sys.argv[2], sys.argv[3]
ours = dict(line.strip().split('=', 1) for line in open(ours_report) if '=' in line)
rows = int(ours['rows'])
plain_mb = int(ours['plain_bytes']) / 1e6

table = pq.read_table(ours_path)                       # untimed: the same data, via pyarrow
assert table.num_rows == rows, 'pyarrow read %d rows from our file, expected %d' % (table.num_rows, rows)

t0 = time.perf_counter()
pq.write_table(table, theirs_path, compression='snappy')
t1 = time.perf_counter()
back = pq.read_table(theirs_path)
t2 = time.perf_counter()
assert back.num_rows == rows
assert back.equals(table), 'pyarrow round trip differs'

w_ours, r_ours = float(ours['write_seconds']), float(ours['read_seconds'])
w_pa, r_pa = t1 - t0, t2 - t1
size_ours, size_pa = int(ours['file_bytes']), os.path.getsize(theirs_path)

def line(label, seconds):
    return '%-22s %8.3f s %14s rows/s %9.1f MB/s' % (label, seconds, format(int(rows / seconds), ','), plain_mb / seconds)

print('parquet bench: %s rows of the requests shape, %.1f MB as PLAIN values, Snappy' % (format(rows, ','), plain_mb))
print(line('homebase write', w_ours))
print(line('pyarrow write', w_pa))
print(line('homebase read', r_ours))
print(line('pyarrow read', r_pa))
print('write speed ratio (homebase/pyarrow): %.2fx' % (w_pa / w_ours))
print('read speed ratio  (homebase/pyarrow): %.2fx' % (r_pa / r_ours))
print('file size: homebase %s bytes, pyarrow %s bytes, ratio %.3f' % (format(size_ours, ','), format(size_pa, ','), size_ours / size_pa))
