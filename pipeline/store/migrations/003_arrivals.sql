-- Which submission counts is decided by the order in which the tool saw files arrive, not by the
-- files' modification times: one row per arrival of a content in a company's folder (a first arrival,
-- or the same content put back after another one). Existing submissions arrive in their former order.

CREATE TABLE arrivals (
    id            INTEGER PRIMARY KEY,     -- the order of arrival
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    seen_at       TEXT NOT NULL            -- when the tool saw it arrive (ISO)
);
CREATE INDEX arrivals_by_submission ON arrivals (submission_id);

INSERT INTO arrivals (submission_id, seen_at)
    SELECT id, ingested_at FROM submissions ORDER BY received_at, id;
