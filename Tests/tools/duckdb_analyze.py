"""make bench: DuckDB's share of `homebase analyze` over a lake's requests parts, for the same
run's comparison: totals, per-day and per-group percentiles, and the per agent-day p95.

usage: duckdb_analyze.py LAKE_DIR
"""
import sys, glob, duckdb

files = glob.glob(f"{sys.argv[1]}/tables/requests/*/*.parquet")
con = duckdb.connect()
con.execute("SET threads=2")
con.execute(f"CREATE VIEW r AS SELECT * FROM read_parquet({files!r}, hive_partitioning=true)")
q = "count(*), sum(cost_usd), quantile_cont(latency_ms, [0.5, 0.9, 0.95, 0.99])"
con.execute(f"SELECT CAST(ts AS DATE), {q} FROM r GROUP BY 1").fetchall()
con.execute(f"SELECT agent_id, model, provider, {q} FROM r GROUP BY GROUPING SETS ((agent_id), (model), (provider), ())").fetchall()
con.execute("SELECT CAST(ts AS DATE), agent_id, quantile_cont(latency_ms, 0.95) FROM r GROUP BY 1, 2").fetchall()
