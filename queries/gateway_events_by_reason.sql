-- Gateway events (failovers, rate limits, timeouts, lane errors) by event, reason and provider.
-- Answers: what did the gateway have to handle, and when did it first and last happen?
-- Parameters:
--   :from  first UTC date, inclusive (default 1970-01-01)
--   :to    last UTC date, inclusive (default 9999-12-31)
SELECT event, coalesce(reason, '') AS reason, coalesce(provider, '') AS provider,
       count(*) AS events,
       min(ts) AS first_seen,
       max(ts) AS last_seen
FROM gateway_events
WHERE date BETWEEN :from AND :to
GROUP BY event, coalesce(reason, ''), coalesce(provider, '')
ORDER BY events DESC, event, reason, provider;
