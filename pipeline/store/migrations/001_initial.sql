-- History of the campaigns: who was asked, what they sent, what was accepted and consolidated.
-- Applied once, in order, by pipeline.history.migrate(); PRAGMA user_version holds the last applied.

CREATE TABLE campaigns (
    id             TEXT PRIMARY KEY,
    label          TEXT NOT NULL,
    reference_date TEXT NOT NULL,          -- ISO date of the headcount (date d'arrêté)
    deadline       TEXT NOT NULL,
    nomenclature   TEXT NOT NULL,          -- fingerprint of the nomenclature used
    previous_id    TEXT                    -- the campaign this one follows, if any
);

CREATE TABLE companies (
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    company_id  TEXT NOT NULL,
    name        TEXT NOT NULL,
    PRIMARY KEY (campaign_id, company_id)
);

CREATE TABLE submissions (
    id             INTEGER PRIMARY KEY,
    campaign_id    TEXT NOT NULL REFERENCES campaigns(id),
    company_id     TEXT,                   -- NULL when the file could not be tied to a company
    file_name      TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    received_at    TEXT NOT NULL,          -- the file's modification time, ISO
    ingested_at    TEXT NOT NULL,
    status         TEXT NOT NULL,          -- accepté, accepté avec avertissements, rejeté
    declared_total INTEGER,
    messages       TEXT NOT NULL,          -- JSON list of the messages about this file
    UNIQUE (campaign_id, sha256)
);
CREATE INDEX submissions_by_company ON submissions (campaign_id, company_id);

CREATE TABLE figures (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    key           TEXT NOT NULL,           -- row key: 0102, 0101-1, NV
    code          TEXT NOT NULL,           -- métier code, or NV
    emploi        INTEGER NOT NULL,        -- rank of the emploi rattaché, 0 when the métier is not split
    headcount     INTEGER NOT NULL CHECK (headcount >= 0),
    comment       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (submission_id, key)
);

CREATE TABLE consolidations (
    id           INTEGER PRIMARY KEY,
    campaign_id  TEXT NOT NULL REFERENCES campaigns(id),
    made_at      TEXT NOT NULL,
    branch_total INTEGER NOT NULL
);

CREATE TABLE consolidation_sources (
    consolidation_id INTEGER NOT NULL REFERENCES consolidations(id),
    submission_id    INTEGER NOT NULL REFERENCES submissions(id),
    PRIMARY KEY (consolidation_id, submission_id)
);
