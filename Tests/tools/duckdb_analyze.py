"""make bench: DuckDB's side of `homebase analyze` over a lake's requests parts, for the same
run's comparison.

usage: duckdb_analyze.py LAKE_DIR [--subset] [--check ANALYSIS_JSON]

By default DuckDB answers the queries equivalent to every row-reading section of analysis.json
(issue 20's "equivalent queries"): totals per window and group, per-day and per-hour series,
errors by class, throughput, percentiles per group, day and agent-day, the slowest sessions,
Pearson and Spearman (average ranks) of cost vs latency per model, retry chains, and the
recommendations' sums (groups, sessions, prompt-caching pairs, right-sizing, failed attempts).
The forecasts, trends, anomaly scores and budgets work on those daily and hourly series (a few
hundred values), so neither side's time depends on the calls there. `--subset` runs only the
three queries earlier benches compared against (totals, per-day and per-group percentiles, per
agent-day p95). With `--check`, the figures both compute exactly are compared with Home Base's
analysis.json and any difference is printed (exit 1): DuckDB is then also an independent check
of the analysis at this scale. The lake is read in UTC, as the bench lakes are analysed.
"""
import glob
import json
import sys
import time

import duckdb

lake = sys.argv[1]
subset = "--subset" in sys.argv
check = sys.argv[sys.argv.index("--check") + 1] if "--check" in sys.argv else None

files = glob.glob(f"{lake}/tables/requests/*/*.parquet")
con = duckdb.connect()
con.execute("SET threads=2")
con.execute("SET TimeZone='UTC'")
con.execute(f"CREATE VIEW r AS SELECT * FROM read_parquet({files!r}, hive_partitioning=true)")
q = "count(*), sum(cost_usd), quantile_cont(latency_ms, [0.5, 0.9, 0.95, 0.99])"
totals = """count(*) AS calls, count(*) FILTER (status = 'error') AS errors, sum(input_tokens), sum(output_tokens),
    sum(cache_read_tokens), sum(cache_write_tokens), sum(total_tokens), sum(cost_usd),
    sum(cache_read_tokens * coalesce(p.saving, 0))"""
results = {}
started = time.perf_counter()


def run(name, sql):
    t = time.perf_counter()
    results[name] = con.execute(sql).fetchall()
    if "--verbose" in sys.argv:
        print(f"  {name}: {time.perf_counter() - t:.2f} s", file=sys.stderr)


if subset:
    run("days", f"SELECT CAST(ts AS DATE), {q} FROM r GROUP BY 1")
    run("groups", f"SELECT agent_id, model, provider, {q} FROM r GROUP BY GROUPING SETS ((agent_id), (model), (provider), ())")
    run("agent days", "SELECT CAST(ts AS DATE), agent_id, quantile_cont(latency_ms, 0.95) FROM r GROUP BY 1, 2")
    sys.exit(0)

# The plan: the analysed days and `now` (the latest call).
now = con.execute("SELECT max(ts), min(ts) FROM r").fetchone()[0]
# Cache savings need a price per model: one row per model the lake names (the join is the work).
con.execute("CREATE TEMP TABLE p AS SELECT DISTINCT model, 1.35e-6 AS saving FROM r")
# Windows: the range, 24 h, 7 d, 30 d and month to date, each per agent, model, provider and overall.
con.execute(f"""CREATE TEMP TABLE w AS SELECT * FROM (VALUES
    ('range', TIMESTAMPTZ '0001-01-01 00:00:00+00'),
    ('24h', TIMESTAMPTZ '{now}' - INTERVAL 24 HOUR),
    ('7d', date_trunc('day', TIMESTAMPTZ '{now}') - INTERVAL 6 DAY),
    ('30d', date_trunc('day', TIMESTAMPTZ '{now}') - INTERVAL 29 DAY),
    ('month_to_date', date_trunc('month', TIMESTAMPTZ '{now}'))) AS t(name, start)""")
# One pass of sums per day, agent, model, provider and error class (and whether the call is in
# the last 24 h): the windows, the per-day and per-group totals, errors by class and the
# generation throughput are then sums over these groups, not over the calls again.
run("sums", f"""CREATE TEMP TABLE g AS SELECT CAST(ts AS DATE) AS d, ts >= TIMESTAMPTZ '{now}' - INTERVAL 24 HOUR AS last24,
    agent_id, model, provider, error_class, {totals}, count(*) FILTER (latency_ms IS NULL) AS no_latency,
    sum(output_tokens) FILTER (latency_ms > 0) AS gen_tokens, sum(latency_ms) FILTER (latency_ms > 0) AS gen_ms
    FROM r LEFT JOIN p USING (model) GROUP BY ALL""")
sums = "sum(calls), sum(errors), sum(no_latency), sum(gen_tokens), sum(gen_ms)"
run("windows", f"""SELECT w.name, agent_id, model, provider, {sums} FROM g JOIN w ON (w.name = '24h' AND g.last24)
        OR (w.name <> '24h' AND g.d >= CAST(w.start AS DATE))
    GROUP BY GROUPING SETS ((w.name, agent_id), (w.name, model), (w.name, provider), (w.name))""")
run("day sums", f"SELECT d, error_class, GROUPING(error_class) AS whole, {sums} FROM g GROUP BY GROUPING SETS ((d), (d, error_class))")
run("group sums", f"""SELECT agent_id, model, provider, error_class, GROUPING(agent_id, model, provider, error_class) AS level, {sums}
    FROM g GROUP BY GROUPING SETS ((agent_id), (model), (provider), (), (agent_id, error_class),
        (model, error_class), (provider, error_class), (error_class))""")
# Percentiles per day and agent-day (the daily p95 series), per group, and per hour with the
# hourly throughput and anomaly series.
run("day percentiles", """SELECT CAST(ts AS DATE) AS d, agent_id, GROUPING(agent_id) AS whole,
    quantile_cont(latency_ms, [0.5, 0.9, 0.95, 0.99]) FROM r GROUP BY GROUPING SETS ((d), (d, agent_id))""")
run("group percentiles", f"SELECT agent_id, model, provider, {q} FROM r GROUP BY GROUPING SETS ((agent_id), (model), (provider), ())")
run("hours", """SELECT date_trunc('hour', ts), count(*), count(*) FILTER (status = 'error'), sum(output_tokens),
    sum(cost_usd), quantile_cont(latency_ms, 0.95) FROM r GROUP BY 1""")
# The slowest sessions by total known latency (ties by session id).
run("slowest", """SELECT session_id, agent_id, count(*) AS calls, sum(latency_ms) AS total, max(latency_ms)
    FROM r GROUP BY session_id, agent_id HAVING sum(latency_ms) > 0 ORDER BY total DESC, session_id LIMIT 10""")
# Pearson and Spearman (ties given their average rank) of cost vs latency per model.
# An average rank is (rank() + count(*)) / 2 over the same ordered window: rank() is the first
# position of the tied values, count(*) with the default frame (up to the last peer) the last.
run("correlation", """WITH x AS (SELECT model, cost_usd AS c, latency_ms AS l FROM r WHERE latency_ms IS NOT NULL),
    k AS (SELECT model, c, l, (rank() OVER wc + count(*) OVER wc) / 2 AS rc, (rank() OVER wl + count(*) OVER wl) / 2 AS rl
        FROM x WINDOW wc AS (PARTITION BY model ORDER BY c), wl AS (PARTITION BY model ORDER BY l))
    SELECT model, count(*), corr(c, l), corr(rc, rl) FROM k GROUP BY model ORDER BY model""")
# Retry chains: each failed call and the calls naming it in retry_of (same session), followed to the end.
run("retries", """WITH RECURSIVE f AS (SELECT session_id, entry_id, ts FROM r WHERE status = 'error'),
    a AS (SELECT session_id, entry_id, retry_of, status, ts FROM r WHERE retry_of IS NOT NULL),
    chain(session_id, head, entry_id, status, ts, depth) AS (
        SELECT session_id, entry_id, entry_id, 'error', ts, 0 FROM f
        UNION ALL
        SELECT a.session_id, chain.head, a.entry_id, a.status, a.ts, chain.depth + 1
        FROM chain JOIN a ON a.session_id = chain.session_id AND a.retry_of = chain.entry_id WHERE chain.depth < 20)
    SELECT count(DISTINCT (session_id, head)), count(*) FILTER (depth > 0), count(*) FILTER (depth > 0 AND status = 'ok')
    FROM chain""")
# The recommendations: sums per agent+provider+model group (with right-sizing's concerned calls),
# per session, the prompt-caching pairs within the TTL, and the failed attempts.
run("rec groups", """SELECT agent_id, provider, model, count(*), sum(cache_read_tokens),
    sum(input_tokens + cache_read_tokens + cache_write_tokens),
    count(*) FILTER (status = 'ok' AND tool_calls = 0 AND output_tokens < 200),
    sum(cost_usd) FILTER (status = 'ok' AND tool_calls = 0 AND output_tokens < 200),
    sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens) FILTER (status = 'ok' AND tool_calls = 0 AND output_tokens < 200)
    FROM r GROUP BY ALL""")
run("rec sessions", """SELECT agent_id, session_id, count(*), sum(cost_usd), min(ts), max(ts), sum(output_tokens), sum(tool_calls)
    FROM r GROUP BY ALL""")
run("rec caching", """WITH c AS (SELECT agent_id, session_id, provider, model, ts, input_tokens,
        lag(ts) OVER s AS prev_ts, lag(input_tokens) OVER s AS prev_input
    FROM r WHERE input_tokens >= 4096 AND cache_read_tokens < 0.2 * (input_tokens + cache_read_tokens + cache_write_tokens)
    WINDOW s AS (PARTITION BY agent_id, session_id ORDER BY ts))
    SELECT agent_id, provider, model, count(*), sum(least(input_tokens, prev_input)) FILTER (ts - prev_ts <= INTERVAL 300 SECOND)
    FROM c GROUP BY ALL""")
run("rec failed", """SELECT agent_id, provider, model, error_class, count(*), sum(cost_usd), sum(latency_ms)
    FROM r WHERE status <> 'ok' GROUP BY ALL""")
print(f"duckdb: {time.perf_counter() - started:.2f} s", file=sys.stderr)

if check:
    a = json.load(open(check))
    problems = []

    def same(what, ours, theirs, tolerance=0.0):
        if ours is None or theirs is None or abs(ours - theirs) > tolerance * max(1.0, abs(theirs)):
            problems.append(f"{what}: homebase {ours}, duckdb {theirs}")

    total = next(row for row in results["group sums"] if row[4] == 15)
    same("calls", a["errors"]["overall"]["calls"], total[5])
    same("errors", a["errors"]["overall"]["errors"], total[6])
    same("calls without latency", a["data_quality"]["calls_without_latency"], total[7])
    for row in results["group sums"]:
        if row[4] == 14 and row[3] is not None:
            same(f"errors of class {row[3]}", a["errors"]["overall"]["by_class"].get(row[3]), row[6])
    for d, agent, whole, quantiles in results["day percentiles"]:
        if whole == 1 and quantiles[2] is not None:
            same(f"p95 of {d}", a["latency"]["by_day"].get(str(d), {}).get("p95"), quantiles[2], 1e-12)
    for (session, agent, calls, latency, longest), ours in zip(results["slowest"], a["latency"]["slowest_sessions"]):
        if (ours["session_id"], ours["agent_id"], ours["calls"]) != (session, agent, calls):
            problems.append(f"slowest session: homebase {ours['session_id']} ({ours['calls']} calls), duckdb {session} ({calls})")
        same(f"total latency of {session}", ours["total_latency_ms"], latency)
    for model, n, pearson, spearman in results["correlation"]:
        ours = a["correlation"]["by_model"].get(model, {})
        same(f"correlation n of {model}", ours.get("n"), n)
        same(f"pearson of {model}", ours.get("pearson"), pearson, 1e-9)
        same(f"spearman of {model}", ours.get("spearman"), spearman, 1e-9)
    chains, attempts, succeeded = results["retries"][0]
    same("retry chains", a["retries"]["chains"], chains)
    same("retry attempts", a["retries"]["retry_attempts"], attempts)
    requests = sum(row[1] for row in results["hours"])
    same("requests", a["throughput"]["overall"]["requests"], requests)
    for problem in problems:
        print(f"DIFFERS: {problem}", file=sys.stderr)
    print(f"check against {check}: {'agrees' if not problems else f'{len(problems)} differences'}", file=sys.stderr)
    sys.exit(1 if problems else 0)
