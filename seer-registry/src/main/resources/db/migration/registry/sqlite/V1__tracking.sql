-- Experiment tracking: experiments, runs, their parameters, tags and metrics (every logged point,
-- and the latest per key, which search filters and orders on). Times are epoch milliseconds, as
-- MLflow's API carries them. A NaN metric is stored as value 0 with is_nan = 1 (SQLite would turn
-- a NaN into NULL).
CREATE TABLE experiments (
    experiment_id     INTEGER PRIMARY KEY,
    name              TEXT    NOT NULL UNIQUE,
    artifact_location TEXT    NOT NULL,
    lifecycle_stage   TEXT    NOT NULL,
    creation_time     INTEGER NOT NULL,
    last_update_time  INTEGER NOT NULL
);

CREATE TABLE experiment_tags (
    experiment_id INTEGER NOT NULL REFERENCES experiments (experiment_id),
    key           TEXT    NOT NULL,
    value         TEXT    NOT NULL,
    PRIMARY KEY (experiment_id, key)
);

CREATE TABLE runs (
    run_id          TEXT    PRIMARY KEY,
    experiment_id   INTEGER NOT NULL REFERENCES experiments (experiment_id),
    run_name        TEXT    NOT NULL,
    user_id         TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    start_time      INTEGER NOT NULL,
    end_time        INTEGER,
    lifecycle_stage TEXT    NOT NULL,
    artifact_uri    TEXT    NOT NULL,
    parent_run_id   TEXT    REFERENCES runs (run_id),
    provenance      TEXT
);
CREATE INDEX runs_by_experiment ON runs (experiment_id, start_time DESC, run_id);
CREATE INDEX runs_by_parent ON runs (parent_run_id);

CREATE TABLE params (
    run_id TEXT NOT NULL REFERENCES runs (run_id),
    key    TEXT NOT NULL,
    value  TEXT NOT NULL,
    PRIMARY KEY (run_id, key)
);
CREATE INDEX params_by_key_value ON params (key, value);

CREATE TABLE tags (
    run_id TEXT NOT NULL REFERENCES runs (run_id),
    key    TEXT NOT NULL,
    value  TEXT NOT NULL,
    PRIMARY KEY (run_id, key)
);
CREATE INDEX tags_by_key_value ON tags (key, value);

CREATE TABLE metrics (
    run_id    TEXT    NOT NULL REFERENCES runs (run_id),
    key       TEXT    NOT NULL,
    value     REAL    NOT NULL,
    is_nan    INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    step      INTEGER NOT NULL,
    PRIMARY KEY (run_id, key, step, timestamp, value, is_nan)
);

CREATE TABLE latest_metrics (
    run_id    TEXT    NOT NULL REFERENCES runs (run_id),
    key       TEXT    NOT NULL,
    value     REAL    NOT NULL,
    is_nan    INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    step      INTEGER NOT NULL,
    PRIMARY KEY (run_id, key)
);
CREATE INDEX latest_metrics_by_key_value ON latest_metrics (key, value);
