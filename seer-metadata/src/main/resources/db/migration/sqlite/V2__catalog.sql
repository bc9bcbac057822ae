-- Versioned records of named objects (feature definitions, ingested batches, ...); see Catalog.
CREATE TABLE catalog_entry (
    kind           TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    version        INTEGER NOT NULL,
    body           TEXT    NOT NULL,
    body_hash      TEXT    NOT NULL,
    created_micros INTEGER NOT NULL,
    created_by     TEXT    NOT NULL,
    PRIMARY KEY (kind, name, version)
);
