-- Calls, errors, cost and p95 latency per local calendar day in a time zone.
-- Answers: what did each day look like for the people who run the agents?
-- Days at the edges of :from..:to (UTC partition dates) may be partial in other zones.
-- DuckDB, Spark SQL: define local_date first with the output of homebase query --print-macros duckdb|spark.
-- Parameters:
--   :tz    IANA time zone (default UTC)
--   :from  first UTC date, inclusive (default 1970-01-01)
--   :to    last UTC date, inclusive (default 9999-12-31)
SELECT local_date(ts, :tz) AS day,
       count(*) AS calls,
       sum(CASE WHEN status = 'error' THEN 1 ELSE 0 END) AS errors,
       sum(cost_usd) AS cost_usd,
       percentile(latency_ms, 0.95) AS p95_latency_ms
FROM requests
WHERE date BETWEEN :from AND :to
GROUP BY local_date(ts, :tz)
ORDER BY day;
