-- Failed calls grouped by their error message (the same text counts once), most frequent first.
-- Answers: what exactly went wrong, how often, for how many agents, and when last?
-- Parameters:
--   :from   first UTC date, inclusive (default 1970-01-01)
--   :to     last UTC date, inclusive (default 9999-12-31)
--   :limit  how many messages (default 10)
SELECT coalesce(error_message, '(no message)') AS message,
       coalesce(error_class, 'unknown') AS error_class,
       count(*) AS errors,
       count(DISTINCT agent_id) AS agents,
       max(ts) AS last_seen
FROM requests
WHERE status = 'error' AND date BETWEEN :from AND :to
GROUP BY coalesce(error_message, '(no message)'), coalesce(error_class, 'unknown')
ORDER BY errors DESC, message, error_class
LIMIT :limit;
