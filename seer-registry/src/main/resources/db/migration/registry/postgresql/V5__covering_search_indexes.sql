-- Run search reads only keys, values and run ids. These indexes carry them, so a search is
-- answered from the indexes without a visit to the table per run: a page ordered by a metric
-- walks latest_metrics (key, value) in order and checks each run's metric filters through the
-- (run_id, key) key. Over 100,000 runs that took search from about 32 to about 20 ms
-- (docs/BENCHMARKS.md, issue 14). They replace the narrower indexes, so a write updates as
-- many indexes as before.
DROP INDEX latest_metrics_by_key_value;
CREATE INDEX latest_metrics_by_key_value ON latest_metrics (key, value) INCLUDE (run_id, is_nan);
ALTER TABLE latest_metrics DROP CONSTRAINT latest_metrics_pkey,
    ADD CONSTRAINT latest_metrics_pkey PRIMARY KEY (run_id, key) INCLUDE (value, is_nan);

-- A parameter's value may hold 6,000 characters and a tag's 8,000; a B-tree entry holds about
-- 2,700 bytes, so an index on the whole value refused to store a long one (V1's did). These
-- index the first 200 characters (at most 800 bytes); a search for a value compares that prefix
-- through the index and then the whole value (RunSqlCompiler).
DROP INDEX params_by_key_value;
CREATE INDEX params_by_key_value ON params (key, left(value, 200)) INCLUDE (run_id);

DROP INDEX tags_by_key_value;
CREATE INDEX tags_by_key_value ON tags (key, left(value, 200)) INCLUDE (run_id);
