-- The job-title lexicon: every title a company validated in its review (effectifs remplir) and every decision
-- of the observatory on the lexicon workbook (effectifs lexique --charger). Rows are never updated in place
-- by a company: a new validation of the same title by the same company in the same campaign replaces its row;
-- the observatory's withdrawals stay, so that the history tells who decided what.
-- Written as 006 on its branch; renumbered 004 when merged after 003_arrivals, so that the migrations
-- run in a contiguous sequence (the branch was never released, so no history is at version 6).

CREATE TABLE lexicon (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,            -- the job title, as written
    key         TEXT NOT NULL,            -- the template row it was placed on: 0102, 0101-1, NV
    company_id  TEXT NOT NULL DEFAULT '', -- who validated it ('' for the observatory)
    campaign_id TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL CHECK (source IN ('revue', 'observatoire')),
    status      TEXT NOT NULL DEFAULT 'valide' CHECK (status IN ('valide', 'retiré')),
    recorded_at TEXT NOT NULL,
    UNIQUE (title, company_id, campaign_id, source, key)
);
CREATE INDEX lexicon_by_title ON lexicon (title);
