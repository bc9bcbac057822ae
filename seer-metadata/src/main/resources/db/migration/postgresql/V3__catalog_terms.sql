-- Index terms of catalog entries (see Catalog.filed): what is read again and again, such as a
-- stream partition's recorded position or a view's files, is found without reading every entry.
CREATE TABLE catalog_term (
    kind      TEXT    NOT NULL,
    term      TEXT    NOT NULL,
    term_rank BIGINT  NOT NULL,
    name      TEXT    NOT NULL,
    version   INTEGER NOT NULL,
    PRIMARY KEY (kind, term, name),
    FOREIGN KEY (kind, name, version) REFERENCES catalog_entry (kind, name, version)
);
CREATE INDEX catalog_term_by_rank ON catalog_term (kind, term, term_rank DESC, name);

-- Batches recorded before this migration get the terms Ingestor files new ones under: one per
-- view of the batch, and, for a batch of a stream, its partition ranked by the last offset it holds.
INSERT INTO catalog_term (kind, term, term_rank, name, version)
SELECT DISTINCT e.kind, 'view:' || (v ->> 'view'), 0, e.name, e.version
FROM catalog_entry e, jsonb_array_elements(CASE WHEN jsonb_typeof(e.body::jsonb -> 'views') = 'array'
        THEN e.body::jsonb -> 'views' ELSE '[]'::jsonb END) v
WHERE e.kind = 'ingest_batch' AND v ->> 'view' IS NOT NULL;

INSERT INTO catalog_term (kind, term, term_rank, name, version)
SELECT kind, 'partition:' || (body::jsonb ->> 'source') || '/' || (body::jsonb -> 'lineage' ->> 'topic') || '/'
        || (body::jsonb -> 'lineage' ->> 'partition'),
    (body::jsonb -> 'lineage' ->> 'last_offset')::BIGINT, name, version
FROM catalog_entry
WHERE kind = 'ingest_batch' AND body::jsonb -> 'lineage' ->> 'partition' IS NOT NULL;
