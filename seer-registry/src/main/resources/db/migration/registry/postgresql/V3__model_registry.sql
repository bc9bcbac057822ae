-- The model registry: registered models, their immutable versions, checks recorded on a version
-- (the promotion gate's statistical comparison is the first), aliases with every move kept, and
-- which aliases are protected. V2 is left to the search indexes.
CREATE TABLE registered_models (
    name             TEXT    PRIMARY KEY,
    description      TEXT    NOT NULL,
    creation_time    BIGINT  NOT NULL,
    last_update_time BIGINT  NOT NULL
);

CREATE TABLE registered_model_tags (
    name  TEXT NOT NULL REFERENCES registered_models (name),
    key   TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (name, key)
);

CREATE TABLE model_versions (
    name             TEXT    NOT NULL REFERENCES registered_models (name),
    version          BIGINT  NOT NULL,
    creation_time    BIGINT  NOT NULL,
    last_update_time BIGINT  NOT NULL,
    description      TEXT    NOT NULL,
    user_id          TEXT    NOT NULL,
    source           TEXT    NOT NULL,
    run_id           TEXT    REFERENCES runs (run_id),
    status           TEXT    NOT NULL,
    details          TEXT    NOT NULL,
    PRIMARY KEY (name, version)
);
CREATE INDEX model_versions_by_run ON model_versions (run_id);

CREATE TABLE model_version_tags (
    name    TEXT    NOT NULL,
    version BIGINT  NOT NULL,
    key     TEXT    NOT NULL,
    value   TEXT    NOT NULL,
    PRIMARY KEY (name, version, key),
    FOREIGN KEY (name, version) REFERENCES model_versions (name, version)
);

CREATE TABLE model_version_checks (
    name        TEXT    NOT NULL,
    version     BIGINT  NOT NULL,
    check_name  TEXT    NOT NULL,
    passed      BOOLEAN NOT NULL,
    detail      TEXT    NOT NULL,
    recorded_at BIGINT  NOT NULL,
    actor       TEXT    NOT NULL,
    PRIMARY KEY (name, version, check_name),
    FOREIGN KEY (name, version) REFERENCES model_versions (name, version)
);

CREATE TABLE model_aliases (
    name    TEXT    NOT NULL REFERENCES registered_models (name),
    alias   TEXT    NOT NULL,
    version BIGINT  NOT NULL,
    PRIMARY KEY (name, alias),
    FOREIGN KEY (name, version) REFERENCES model_versions (name, version)
);

CREATE TABLE alias_moves (
    seq      BIGSERIAL PRIMARY KEY,
    name     TEXT    NOT NULL REFERENCES registered_models (name),
    alias    TEXT    NOT NULL,
    version  BIGINT,
    moved_at BIGINT  NOT NULL,
    actor    TEXT    NOT NULL,
    reason   TEXT    NOT NULL,
    grounds  TEXT    NOT NULL
);
CREATE INDEX alias_moves_by_alias ON alias_moves (name, alias, moved_at, seq);

CREATE TABLE protected_aliases (
    name       TEXT    NOT NULL REFERENCES registered_models (name),
    alias      TEXT    NOT NULL,
    check_name TEXT    NOT NULL,
    PRIMARY KEY (name, alias)
);
