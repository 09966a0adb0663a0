-- Cost and calls per local month and provider in a time zone.
-- Answers: what does each provider cost us per month?
-- DuckDB, Spark SQL: define local_month first with the output of homebase query --print-macros duckdb|spark.
-- Parameters:
--   :tz    IANA time zone (default UTC)
--   :from  first UTC date, inclusive (default 1970-01-01)
--   :to    last UTC date, inclusive (default 9999-12-31)
SELECT local_month(ts, :tz) AS month, provider,
       count(*) AS calls,
       sum(cost_usd) AS cost_usd
FROM requests
WHERE date BETWEEN :from AND :to
GROUP BY local_month(ts, :tz), provider
ORDER BY month, provider;
