-- Latency percentiles (exact, linear interpolation) per provider and model, in milliseconds.
-- Answers: how fast is each model, typically and in the tail? Calls without a latency are left out.
-- DuckDB: percentile(x, p) is quantile_cont(x, p / 100.0) (see homebase query --duckdb-macros).
-- Parameters:
--   :from  first UTC date, inclusive (default 1970-01-01)
--   :to    last UTC date, inclusive (default 9999-12-31)
SELECT provider, model,
       count(*) AS calls,
       percentile(latency_ms, 50) AS p50_ms,
       percentile(latency_ms, 90) AS p90_ms,
       percentile(latency_ms, 95) AS p95_ms,
       percentile(latency_ms, 99) AS p99_ms,
       avg(latency_ms) AS mean_ms,
       stddev(latency_ms) AS stddev_ms
FROM requests
WHERE date BETWEEN :from AND :to AND latency_ms IS NOT NULL
GROUP BY provider, model
ORDER BY provider, model;
