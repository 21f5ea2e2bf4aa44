-- Figures in long form: one value per (submission, row key, measure, category), so that a campaign
-- can ask for more than one headcount per row (breakdowns, full-time equivalents). The declared total
-- becomes the row key TOTAL; HR's comments get a table of their own.

ALTER TABLE figures RENAME TO figures_v1;

CREATE TABLE figures (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    key           TEXT NOT NULL,           -- row key: 0102, 0101-1, NV, TOTAL
    measure       TEXT NOT NULL,           -- effectif, …
    category      TEXT NOT NULL,           -- tout, or a category of a breakdown
    value         REAL NOT NULL CHECK (value >= 0),
    PRIMARY KEY (submission_id, key, measure, category)
);

INSERT INTO figures (submission_id, key, measure, category, value)
    SELECT submission_id, key, 'effectif', 'tout', headcount FROM figures_v1;
INSERT INTO figures (submission_id, key, measure, category, value)
    SELECT id, 'TOTAL', 'effectif', 'tout', declared_total FROM submissions
    WHERE declared_total IS NOT NULL AND status IN ('accepté', 'accepté avec avertissements');

CREATE TABLE comments (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    key           TEXT NOT NULL,           -- the row the comment is about
    cell          TEXT NOT NULL DEFAULT '',-- where HR wrote it
    source        TEXT NOT NULL DEFAULT 'colonne', -- colonne (the Commentaire column) or note (a cell's note)
    text          TEXT NOT NULL
);
CREATE INDEX comments_by_submission ON comments (submission_id);

INSERT INTO comments (submission_id, key, cell, text)
    SELECT submission_id, key, '', comment FROM figures_v1 WHERE comment != '';

DROP TABLE figures_v1;
