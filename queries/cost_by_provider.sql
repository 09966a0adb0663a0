-- Calls, tokens by type (input, output, cache read, cache write) and cost per provider.
-- Answers: where does the money go, and which kind of token makes up each provider's traffic?
-- Parameters:
--   :from  first UTC date, inclusive (default 1970-01-01)
--   :to    last UTC date, inclusive (default 9999-12-31)
SELECT provider,
       count(*) AS calls,
       sum(input_tokens) AS input_tokens,
       sum(output_tokens) AS output_tokens,
       sum(cache_read_tokens) AS cache_read_tokens,
       sum(cache_write_tokens) AS cache_write_tokens,
       sum(cost_usd) AS cost_usd
FROM requests
WHERE date BETWEEN :from AND :to
GROUP BY provider
ORDER BY cost_usd DESC, provider;
