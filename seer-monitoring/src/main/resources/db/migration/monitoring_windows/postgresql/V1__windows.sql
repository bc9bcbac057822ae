-- Closed windows of each deployment's answered predictions, and the references they are compared
-- with. A window is written once and never changed (a window rebuilt from the log after a restart
-- finds its first copy and leaves it). Times are epoch microseconds; columns are the watched
-- columns' JSON ({"features": [...], "output": "SCORE"}); profile and reservoir are the byte forms
-- of Profile and Reservoir (versioned, checksummed).
CREATE TABLE monitoring_windows (
    deployment   TEXT   NOT NULL,
    window_start BIGINT NOT NULL,
    window_end   BIGINT NOT NULL,
    row_count    BIGINT NOT NULL,
    columns_json TEXT   NOT NULL,
    profile      BYTEA  NOT NULL,
    reservoir    BYTEA  NOT NULL,
    PRIMARY KEY (deployment, window_start)
);

-- References by id (what they were built from, e.g. churn_train:3/train@churn:2): replaced whole
-- when saved again. scores and outcomes are the labelled rows of a binary classifier (CBPE's fit),
-- as big-endian doubles, or NULL.
CREATE TABLE monitoring_references (
    id           TEXT   NOT NULL PRIMARY KEY,
    columns_json TEXT   NOT NULL,
    profile      BYTEA  NOT NULL,
    reservoir    BYTEA  NOT NULL,
    scores       BYTEA,
    outcomes     BYTEA
);
