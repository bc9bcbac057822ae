-- Online models (kind online_logistic): one row per model holding its FTRL-Proximal state, the
-- whole of it (FtrlProximal.save(), base64), rewritten in the transaction that records the
-- feedback it learnt from, so the state and the recorded outcomes never disagree. The snapshot
-- columns say which registered version was made from it last and at how many updates; pending_from
-- is when the first update after that snapshot was learnt (null when there is none). Times are
-- epoch microseconds (seer-core Times).
CREATE TABLE online_models (
    model            TEXT    NOT NULL PRIMARY KEY,
    state            TEXT    NOT NULL,
    updates          BIGINT  NOT NULL,
    created_at       BIGINT  NOT NULL,
    created_by       TEXT    NOT NULL,
    last_learnt_at   BIGINT,
    snapshot_version INTEGER NOT NULL,
    snapshot_updates BIGINT  NOT NULL,
    snapshot_at      BIGINT  NOT NULL,
    pending_from     BIGINT
);
