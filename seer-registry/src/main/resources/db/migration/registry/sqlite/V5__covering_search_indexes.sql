-- Run search reads only keys, values and run ids. These indexes carry them, so SQLite answers a
-- search from the index alone (a "covering index") without a lookup in the table per run. The
-- primary keys (run_id, key) stay as they are: on SQLite the table's own index serves them.
DROP INDEX latest_metrics_by_key_value;
CREATE INDEX latest_metrics_by_key_value ON latest_metrics (key, value, is_nan, run_id);

DROP INDEX params_by_key_value;
CREATE INDEX params_by_key_value ON params (key, value, run_id);

DROP INDEX tags_by_key_value;
CREATE INDEX tags_by_key_value ON tags (key, value, run_id);
