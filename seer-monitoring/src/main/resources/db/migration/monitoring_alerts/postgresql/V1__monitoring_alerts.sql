-- Alerts of the monitor: the rules, each deployment's rule states (AlertEvaluator's byte form, one
-- row per deployment, replaced as a whole with each evaluated window), the figures of every
-- evaluated window (for /metrics and reports), every change of phase (the history of
-- `seer alerts list`), and the concept-drift detectors carried from window to window. Times are
-- epoch microseconds (Seer's stored unit, as the windows'); a NO_DATA figure has a NULL value.
CREATE TABLE monitoring_alert_rules (
    id          TEXT             NOT NULL PRIMARY KEY,
    figure      TEXT             NOT NULL,
    comparison  TEXT             NOT NULL,
    threshold   DOUBLE PRECISION NOT NULL,
    for_windows INTEGER          NOT NULL,
    severity    TEXT             NOT NULL,
    created_by  TEXT             NOT NULL,
    created_at  BIGINT           NOT NULL
);

CREATE TABLE monitoring_alert_states (
    deployment TEXT   NOT NULL PRIMARY KEY,
    states     BYTEA  NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE monitoring_figures (
    deployment   TEXT             NOT NULL,
    window_start BIGINT           NOT NULL,
    window_end   BIGINT           NOT NULL,
    name         TEXT             NOT NULL,
    value        DOUBLE PRECISION,
    status       TEXT             NOT NULL,
    PRIMARY KEY (deployment, window_start, name)
);

CREATE INDEX monitoring_figures_by_end ON monitoring_figures (deployment, window_end);

CREATE TABLE monitoring_alert_events (
    seq          BIGSERIAL PRIMARY KEY,
    deployment   TEXT             NOT NULL,
    rule_id      TEXT             NOT NULL,
    figure       TEXT             NOT NULL,
    from_phase   TEXT             NOT NULL,
    to_phase     TEXT             NOT NULL,
    value        DOUBLE PRECISION,
    comparison   TEXT             NOT NULL,
    threshold    DOUBLE PRECISION NOT NULL,
    for_windows  INTEGER          NOT NULL,
    severity     TEXT             NOT NULL,
    window_start BIGINT           NOT NULL,
    window_end   BIGINT           NOT NULL,
    at           BIGINT           NOT NULL,
    -- 0 until handed to the delivery (log, audit, webhooks, retraining): an outbox, so a server
    -- stopped between the commit and the delivery delivers it at its next evaluation or start
    delivered    INTEGER          NOT NULL DEFAULT 0
);
CREATE INDEX monitoring_alert_events_undelivered ON monitoring_alert_events (delivered, seq);

CREATE TABLE monitoring_detector_states (
    deployment  TEXT    NOT NULL,
    detector    TEXT    NOT NULL,
    state       BYTEA  NOT NULL,
    fed_through BIGINT  NOT NULL,
    detected    INTEGER NOT NULL,
    PRIMARY KEY (deployment, detector)
);
