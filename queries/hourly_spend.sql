-- Calls, errors and cost per local hour of the day (0-23) in a time zone.
-- Answers: when in the day does the money go, and when do calls fail?
-- DuckDB, Spark SQL: define local_hour first with the output of homebase query --print-macros duckdb|spark.
-- Parameters:
--   :tz    IANA time zone (default UTC)
--   :from  first UTC date, inclusive (default 1970-01-01)
--   :to    last UTC date, inclusive (default 9999-12-31)
SELECT local_hour(ts, :tz) AS hour,
       count(*) AS calls,
       sum(CASE WHEN status = 'error' THEN 1 ELSE 0 END) AS errors,
       sum(cost_usd) AS cost_usd
FROM requests
WHERE date BETWEEN :from AND :to
GROUP BY local_hour(ts, :tz)
ORDER BY hour;
