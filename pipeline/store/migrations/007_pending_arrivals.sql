-- A file held back because another file of the same company sits beside it (« à départager ») is not a submission
-- until the secretary removes one of them: when the tool first saw each such content is kept here, so that the
-- dashboard dates it (and tells whether it came on time), and so that the submission recorded once the secretary
-- has chosen keeps this arrival rather than the day of the choice.

CREATE TABLE pending_arrivals (
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    sha256      TEXT NOT NULL,
    seen_at     TEXT NOT NULL,            -- when the tool first saw this content in the folder (ISO)
    PRIMARY KEY (campaign_id, sha256)
);
