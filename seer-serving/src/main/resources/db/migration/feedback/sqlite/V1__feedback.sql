-- Feedback joined to its prediction: one row per labelled prediction (the primary key is what
-- makes the same feedback count once), holding a copy of what live metrics need of the
-- prediction (deployment, arm, model version, output kind and output), so metrics read this
-- table alone whatever backs the prediction log. Times are epoch microseconds (seer-core Times);
-- output is a JSON array of numbers; entity is the canonical JSON of the keys when the feedback
-- named an entity instead of an id.
CREATE TABLE feedback (
    prediction_id TEXT   NOT NULL PRIMARY KEY,
    deployment    TEXT   NOT NULL,
    arm           TEXT   NOT NULL,
    model         TEXT   NOT NULL,
    model_version INTEGER NOT NULL,
    output_kind   TEXT   NOT NULL,
    output        TEXT   NOT NULL,
    predicted_at  BIGINT NOT NULL,
    outcome       REAL NOT NULL,
    observed_at   BIGINT NOT NULL,
    source        TEXT   NOT NULL,
    entity        TEXT,
    recorded_at   BIGINT NOT NULL,
    recorded_by   TEXT   NOT NULL
);

-- Live metrics and the per-outcome stream read one deployment (and arm) over a range of prediction times.
CREATE INDEX feedback_by_deployment_time ON feedback (deployment, predicted_at);
CREATE INDEX feedback_by_arm_time ON feedback (deployment, arm, predicted_at);
