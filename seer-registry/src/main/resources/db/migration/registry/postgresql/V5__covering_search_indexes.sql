-- Run search reads only keys, values and run ids. These indexes carry them, so a search is
-- answered from the indexes without a visit to the table per run: a page ordered by a metric
-- walks latest_metrics (key, value) in order and checks each run's filters through the
-- (run_id, key) keys. Over 100,000 runs that took search from about 32 to about 20 ms
-- (docs/BENCHMARKS.md, issue 14). They replace the narrower indexes, so a write updates as
-- many indexes as before.
DROP INDEX latest_metrics_by_key_value;
CREATE INDEX latest_metrics_by_key_value ON latest_metrics (key, value) INCLUDE (run_id, is_nan);
ALTER TABLE latest_metrics DROP CONSTRAINT latest_metrics_pkey,
    ADD CONSTRAINT latest_metrics_pkey PRIMARY KEY (run_id, key) INCLUDE (value, is_nan);

DROP INDEX params_by_key_value;
CREATE INDEX params_by_key_value ON params (key, value) INCLUDE (run_id);
ALTER TABLE params DROP CONSTRAINT params_pkey,
    ADD CONSTRAINT params_pkey PRIMARY KEY (run_id, key) INCLUDE (value);

DROP INDEX tags_by_key_value;
CREATE INDEX tags_by_key_value ON tags (key, value) INCLUDE (run_id);
ALTER TABLE tags DROP CONSTRAINT tags_pkey,
    ADD CONSTRAINT tags_pkey PRIMARY KEY (run_id, key) INCLUDE (value);
