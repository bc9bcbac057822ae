-- Deployments: the current form of each (one row, replaced as a whole on each change) and every
-- revision it has had, so "what was deployed at time T" has an answer. Specs are the Deployment
-- codec's JSON; times are epoch milliseconds. A removed deployment leaves a revision whose spec is
-- NULL and no current row.
CREATE TABLE deployments (
    name     TEXT   NOT NULL PRIMARY KEY,
    revision BIGINT NOT NULL,
    spec     TEXT   NOT NULL
);

CREATE TABLE deployment_revisions (
    name       TEXT   NOT NULL,
    revision   BIGINT NOT NULL,
    spec       TEXT,
    changed_at BIGINT NOT NULL,
    changed_by TEXT   NOT NULL,
    PRIMARY KEY (name, revision)
);
