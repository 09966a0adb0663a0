-- The most expensive sessions: calls, tokens, cost and the first and last call of each.
-- Answers: which conversations cost the most, and when did they run?
-- Parameters:
--   :from   first UTC date, inclusive (default 1970-01-01)
--   :to     last UTC date, inclusive (default 9999-12-31)
--   :limit  how many sessions (default 20)
SELECT agent_id, session_id,
       count(*) AS calls,
       sum(total_tokens) AS total_tokens,
       sum(cost_usd) AS cost_usd,
       min(ts) AS first_call,
       max(ts) AS last_call
FROM requests
WHERE date BETWEEN :from AND :to
GROUP BY agent_id, session_id
ORDER BY cost_usd DESC, agent_id, session_id
LIMIT :limit;
