-- Quarantined input lines by reason: how many, from how many files, and one file to look at.
-- Answers: what input could not be read, and where is it?
-- Parameters:
--   :from  first UTC date, inclusive (default 1970-01-01)
--   :to    last UTC date, inclusive (default 9999-12-31)
SELECT reason,
       count(*) AS lines,
       count(DISTINCT source_file) AS files,
       min(source_file) AS example_file
FROM quarantine
WHERE date BETWEEN :from AND :to
GROUP BY reason
ORDER BY lines DESC, reason;
