-- A run's artifacts: each path inside the run names one object of the content-addressed store.
-- The path is a key, never a file name: the file is named by its SHA-256.
CREATE TABLE run_artifacts (
    run_id  TEXT    NOT NULL REFERENCES runs (run_id),
    path    TEXT    NOT NULL,
    sha256  TEXT    NOT NULL,
    bytes   BIGINT  NOT NULL,
    created BIGINT  NOT NULL,
    PRIMARY KEY (run_id, path)
);
