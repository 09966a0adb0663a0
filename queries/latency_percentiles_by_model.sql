-- Latency percentiles (exact, linear interpolation) per provider and model, in milliseconds.
-- Answers: how fast is each model, typically and in the tail? Calls without a latency are left out.
-- DuckDB, Spark SQL: define percentile first with the output of homebase query --print-macros duckdb|spark.
-- Parameters:
--   :from  first UTC date, inclusive (default 1970-01-01)
--   :to    last UTC date, inclusive (default 9999-12-31)
SELECT provider, model,
       count(*) AS calls,
       percentile(latency_ms, 0.5) AS p50_ms,
       percentile(latency_ms, 0.9) AS p90_ms,
       percentile(latency_ms, 0.95) AS p95_ms,
       percentile(latency_ms, 0.99) AS p99_ms,
       avg(latency_ms) AS mean_ms,
       stddev(latency_ms) AS stddev_ms
FROM requests
WHERE date BETWEEN :from AND :to AND latency_ms IS NOT NULL
GROUP BY provider, model
ORDER BY provider, model;
