-- Failed calls per error class and provider, and their share of that provider's calls.
-- Answers: what goes wrong, where, and how often relative to the traffic?
-- Parameters:
--   :from  first UTC date, inclusive (default 1970-01-01)
--   :to    last UTC date, inclusive (default 9999-12-31)
WITH calls AS (
    SELECT provider, count(*) AS calls FROM requests WHERE date BETWEEN :from AND :to GROUP BY provider
)
SELECT coalesce(r.error_class, 'unknown') AS error_class, r.provider,
       count(*) AS errors,
       c.calls,
       CAST(count(*) AS DOUBLE) / c.calls AS error_rate
FROM requests r JOIN calls c ON c.provider = r.provider
WHERE r.status = 'error' AND r.date BETWEEN :from AND :to
GROUP BY coalesce(r.error_class, 'unknown'), r.provider, c.calls
ORDER BY errors DESC, error_class, r.provider;
