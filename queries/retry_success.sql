-- Retry chains by the class of their first failure: how many end in a successful call, and after how many attempts.
-- Answers: when a call fails, does retrying help? A chain starts at a failed call that retries nothing
-- and follows retry_of links (the next attempt of the same turn); attempts count the first failure.
-- Chains are followed within the :from..:to window only. Only failed calls and retries are kept for the
-- recursion, and each chain carries its first failure's class, so no step joins every call.
-- Parameters:
--   :from  first UTC date, inclusive (default 1970-01-01)
--   :to    last UTC date, inclusive (default 9999-12-31)
WITH RECURSIVE calls AS (
    SELECT agent_id, session_id, entry_id, retry_of, status, error_class
    FROM requests WHERE date BETWEEN :from AND :to AND (status = 'error' OR retry_of IS NOT NULL)
),
retries AS (
    SELECT agent_id, session_id, entry_id, retry_of, status FROM calls WHERE retry_of IS NOT NULL
),
chain(agent_id, session_id, root, first_error_class, entry_id, status, attempt) AS (
    SELECT agent_id, session_id, entry_id, coalesce(error_class, 'unknown'), entry_id, status, 1
    FROM calls WHERE status = 'error' AND retry_of IS NULL
    UNION ALL
    SELECT c.agent_id, c.session_id, chain.root, chain.first_error_class, c.entry_id, c.status, chain.attempt + 1
    FROM chain JOIN retries c
      ON c.agent_id = chain.agent_id AND c.session_id = chain.session_id AND c.retry_of = chain.entry_id
    WHERE chain.status = 'error' AND chain.attempt < 100
),
chains AS (
    SELECT agent_id, session_id, root, first_error_class, max(attempt) AS attempts,
           min(CASE WHEN status = 'ok' THEN attempt END) AS success_attempt
    FROM chain GROUP BY agent_id, session_id, root, first_error_class
)
SELECT first_error_class,
       count(*) AS chains,
       count(success_attempt) AS succeeded,
       CAST(count(success_attempt) AS DOUBLE) / count(*) AS success_rate,
       avg(CAST(success_attempt AS DOUBLE)) AS attempts_to_success,
       max(attempts) AS longest_chain
FROM chains
GROUP BY first_error_class
ORDER BY chains DESC, first_error_class;
