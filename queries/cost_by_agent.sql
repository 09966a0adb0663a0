-- Cost per agent and provider, with cost per call, cache hit ratio and calls nobody could price.
-- Answers: which agent spends what, how well does it use the prompt cache, and what is unpriced?
-- cache_hit_ratio = cache-read tokens / (input + cache-read tokens).
-- Parameters:
--   :from  first UTC date, inclusive (default 1970-01-01)
--   :to    last UTC date, inclusive (default 9999-12-31)
SELECT agent_id, provider,
       count(*) AS calls,
       sum(cost_usd) AS cost_usd,
       sum(cost_usd) / count(*) AS cost_per_call,
       CAST(sum(cache_read_tokens) AS DOUBLE) / nullif(sum(input_tokens) + sum(cache_read_tokens), 0) AS cache_hit_ratio,
       sum(CASE WHEN cost_source = 'unpriced' THEN 1 ELSE 0 END) AS unpriced_calls
FROM requests
WHERE date BETWEEN :from AND :to
GROUP BY agent_id, provider
ORDER BY agent_id, provider;
