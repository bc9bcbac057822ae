-- The retraining loop (issue 18): one policy per deployment, replaced as a whole by a put, and
-- every run it made, so a restart knows the last run (the schedule and the cooldown count from
-- it). Triggers are alert rule ids joined by commas ('*': any rule on the deployment's figures).
-- Durations are seconds; times are epoch microseconds (seer-core Times); optional values null.
CREATE TABLE retraining_policies (
    deployment         TEXT    NOT NULL PRIMARY KEY,
    triggers           TEXT    NOT NULL,
    every_seconds      BIGINT,
    lookback_seconds   BIGINT  NOT NULL,
    action             TEXT    NOT NULL,
    challenger_percent INTEGER NOT NULL,
    min_rows           INTEGER NOT NULL,
    cooldown_seconds   BIGINT  NOT NULL,
    set_at             BIGINT  NOT NULL,
    set_by             TEXT    NOT NULL
);

CREATE TABLE retraining_runs (
    id            TEXT    NOT NULL PRIMARY KEY,
    deployment    TEXT    NOT NULL,
    trigger_name  TEXT    NOT NULL,
    started_at    BIGINT  NOT NULL,
    finished_at   BIGINT,
    status        TEXT    NOT NULL,
    dataset       TEXT,
    run_id        TEXT,
    model_version TEXT,
    gate_passed   INTEGER,
    outcome       TEXT    NOT NULL,
    error         TEXT    NOT NULL
);

CREATE INDEX retraining_runs_by_deployment ON retraining_runs (deployment, started_at);
