-- Failed calls per error class and provider, and their share of that provider's calls.
-- Answers: what goes wrong, where, and how often relative to the traffic?
-- Both sides are aggregated before the join (calls per provider, errors per class and provider).
-- Parameters:
--   :from  first UTC date, inclusive (default 1970-01-01)
--   :to    last UTC date, inclusive (default 9999-12-31)
WITH calls AS (
    SELECT provider, count(*) AS calls FROM requests WHERE date BETWEEN :from AND :to GROUP BY provider
),
errors AS (
    SELECT coalesce(error_class, 'unknown') AS error_class, provider, count(*) AS errors
    FROM requests WHERE status = 'error' AND date BETWEEN :from AND :to
    GROUP BY coalesce(error_class, 'unknown'), provider
)
SELECT e.error_class, e.provider, e.errors, c.calls, CAST(e.errors AS DOUBLE) / c.calls AS error_rate
FROM errors e JOIN calls c ON c.provider = e.provider
ORDER BY e.errors DESC, e.error_class, e.provider;
