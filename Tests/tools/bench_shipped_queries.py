"""`make bench` part: every shipped query of `queries/` over the bench's requests lake, timed with
homebase (aggregate fast path on, and once with SQLite aggregating) and DuckDB (with homebase's
own `--print-macros duckdb`) on the same files; rows compared by count and first value.

usage: bench_shipped_queries.py HOMEBASE LAKE [TZ]   (prints; never asserts)
"""
import os, re, resource, subprocess, sys, time, csv, io
import duckdb

binary, lake = sys.argv[1], sys.argv[2]
zone = sys.argv[3] if len(sys.argv) > 3 else "Europe/Berlin"
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def timed(cmd, env=None, at_least=1):
    """Best wall and CPU seconds of running cmd (at least once, on while under a second, at most 5), and stdout."""
    best, cpu, spent, done, out = 1e9, 1e9, 0.0, 0, b""
    while done < at_least or (spent < 1.0 and done < 5):
        done += 1
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        run = subprocess.run(cmd, capture_output=True, env=env)
        took = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if run.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)}: exit {run.returncode}: {run.stderr.decode()[-300:]}")
        best, spent, out = min(best, took), spent + took, run.stdout
        cpu = min(cpu, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return best, cpu, out


macros = subprocess.run([binary, "query", "--print-macros", "duckdb"], capture_output=True, check=True).stdout.decode()
con = duckdb.connect()
con.execute("SET threads=2")
con.execute("SET TimeZone='UTC'")
con.execute(macros)
con.execute(f"CREATE VIEW requests AS SELECT * FROM read_parquet('{lake}/tables/requests/*/*.parquet', hive_partitioning=true)")

fast_total = sqlite_total = duck_total = 0.0
for name in sorted(os.listdir(os.path.join(root, "queries"))):
    if not name.endswith(".sql"):
        continue
    path = os.path.join(root, "queries", name)
    sql = open(path).read()
    body = "\n".join(l for l in sql.splitlines() if not l.lstrip().startswith("--"))
    if re.search(r"\bFROM\s+(gateway_events|quarantine|invoices)\b", body):
        continue  # the bench lake holds requests only
    defaults = dict(re.findall(r"--\s+:(\w+)\s.*\(default ([^)]+)\)", sql))
    params = {k: v for k, v in defaults.items()}
    if "tz" in params:
        params["tz"] = zone
    args = [a for k, v in params.items() if k == "tz" for a in ("--param", f"tz={v}")]
    cmd = [binary, "query", "--data", lake, "--format", "csv", "--file", path] + args
    fast, fast_cpu, out = timed(cmd)
    slow, _, _ = timed(cmd, env=dict(os.environ, HOMEBASE_QUERY_FAST_PATH="0"))
    ours = list(csv.reader(io.StringIO(out.decode())))[1:]
    duck_sql = body
    for k in sorted(params, key=len, reverse=True):
        v = params[k]
        literal = v if re.fullmatch(r"-?\d+", v) else "'" + v.replace("'", "''") + "'"
        duck_sql = duck_sql.replace(":" + k, literal)
    t = time.perf_counter()
    theirs = con.execute(duck_sql).fetchall()
    duck = time.perf_counter() - t
    fast_total, sqlite_total, duck_total = fast_total + fast, sqlite_total + slow, duck_total + duck
    agree = len(ours) == len(theirs) and (not ours or str(theirs[0][0]) == ours[0][0])
    print(f"{name[:-4]}: homebase {fast:.2f} s (CPU {fast_cpu:.2f} s), SQLite path {slow:.2f} s, duckdb {duck:.2f} s, "
          f"{len(ours)} rows " + ("(DuckDB the same count and first key)" if agree else f"(DuckDB DIFFERS: {len(theirs)} rows)"))
print(f"shipped queries in all: homebase {fast_total:.1f} s, SQLite path {sqlite_total:.1f} s, duckdb {duck_total:.1f} s")
