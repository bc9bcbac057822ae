-- The audit log: one row per entry, hash-chained (see AuditHashing).
CREATE TABLE audit_entry (
    seq          INTEGER PRIMARY KEY,
    ts_micros    INTEGER NOT NULL,
    actor        TEXT    NOT NULL,
    action       TEXT    NOT NULL,
    subject_type TEXT    NOT NULL,
    subject_id   TEXT    NOT NULL,
    payload      TEXT    NOT NULL,
    prev_hash    BLOB    NOT NULL,
    hash         BLOB    NOT NULL
);
CREATE INDEX audit_entry_actor ON audit_entry (actor);
CREATE INDEX audit_entry_action ON audit_entry (action);
CREATE INDEX audit_entry_subject ON audit_entry (subject_type, subject_id);
CREATE INDEX audit_entry_time ON audit_entry (ts_micros);

-- The head of the chain, updated in the same transaction as each batch of entries. Writers lock
-- it to extend the chain; verify compares it with the rows to catch removal of the last entries.
CREATE TABLE audit_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    size      INTEGER NOT NULL,
    last_hash BLOB    NOT NULL
);
INSERT INTO audit_head (id, size, last_hash) VALUES (1, 0, zeroblob(32));

-- Merkle tree heads recorded by `seer audit checkpoint`.
CREATE TABLE audit_checkpoint (
    size           INTEGER PRIMARY KEY,
    root_hash      BLOB    NOT NULL,
    created_micros INTEGER NOT NULL
);

CREATE TABLE api_token (
    id             TEXT    PRIMARY KEY,
    name           TEXT    NOT NULL,
    role           TEXT    NOT NULL,
    token_hash     BLOB    NOT NULL UNIQUE,
    created_micros INTEGER NOT NULL,
    created_by     TEXT    NOT NULL,
    revoked_micros INTEGER
);
CREATE UNIQUE INDEX api_token_active_name ON api_token (name) WHERE revoked_micros IS NULL;
