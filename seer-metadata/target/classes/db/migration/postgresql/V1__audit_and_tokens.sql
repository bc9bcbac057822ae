-- The audit log: one row per entry, hash-chained (see AuditHashing).
CREATE TABLE audit_entry (
    seq          BIGINT PRIMARY KEY,
    ts_micros    BIGINT NOT NULL,
    actor        TEXT   NOT NULL,
    action       TEXT   NOT NULL,
    subject_type TEXT   NOT NULL,
    subject_id   TEXT   NOT NULL,
    payload      TEXT   NOT NULL,
    prev_hash    BYTEA  NOT NULL,
    hash         BYTEA  NOT NULL
);
CREATE INDEX audit_entry_actor ON audit_entry (actor);
CREATE INDEX audit_entry_action ON audit_entry (action);
CREATE INDEX audit_entry_subject ON audit_entry (subject_type, subject_id);
CREATE INDEX audit_entry_time ON audit_entry (ts_micros);

-- The head of the chain, updated in the same transaction as each batch of entries. Writers lock
-- it (SELECT ... FOR UPDATE) to extend the chain, which serialises appends across processes.
CREATE TABLE audit_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    size      BIGINT NOT NULL,
    last_hash BYTEA  NOT NULL
);
INSERT INTO audit_head (id, size, last_hash) VALUES (1, 0, decode(repeat('00', 32), 'hex'));

-- Merkle tree heads recorded by `seer audit checkpoint`.
CREATE TABLE audit_checkpoint (
    size           BIGINT PRIMARY KEY,
    root_hash      BYTEA  NOT NULL,
    created_micros BIGINT NOT NULL
);

CREATE TABLE api_token (
    id             TEXT   PRIMARY KEY,
    name           TEXT   NOT NULL,
    role           TEXT   NOT NULL,
    token_hash     BYTEA  NOT NULL UNIQUE,
    created_micros BIGINT NOT NULL,
    created_by     TEXT   NOT NULL,
    revoked_micros BIGINT
);
CREATE UNIQUE INDEX api_token_active_name ON api_token (name) WHERE revoked_micros IS NULL;
