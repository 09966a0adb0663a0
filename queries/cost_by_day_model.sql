-- Cost, calls and tokens per UTC day, provider and model.
-- Answers: where did the money go each day, and on which model?
-- Parameters:
--   :from  first UTC date, inclusive (default 1970-01-01)
--   :to    last UTC date, inclusive (default 9999-12-31)
SELECT date, provider, model,
       count(*) AS calls,
       sum(input_tokens) AS input_tokens,
       sum(output_tokens) AS output_tokens,
       sum(cache_read_tokens) AS cache_read_tokens,
       sum(cache_write_tokens) AS cache_write_tokens,
       sum(cost_usd) AS cost_usd
FROM requests
WHERE date BETWEEN :from AND :to
GROUP BY date, provider, model
ORDER BY date, provider, model;
