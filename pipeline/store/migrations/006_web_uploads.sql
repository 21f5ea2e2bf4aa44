-- Every upload through a company's private page and what it became. An accepted one is also a submission;
-- a refused one never reaches inputs/ nor the submissions, and is kept here with its messages so that the
-- secretary's dashboard shows a company that tried and failed, with the problems it read.

CREATE TABLE web_uploads (
    id            INTEGER PRIMARY KEY,      -- the order of the uploads; a company's last row is its last upload
    campaign_id   TEXT NOT NULL,
    company_id    TEXT NOT NULL,
    at            TEXT NOT NULL,
    status        TEXT NOT NULL,            -- the check's status: accepté, accepté avec avertissements, rejeté
    refused       INTEGER NOT NULL,         -- 1 when the upload did not become (nor wait to become) a submission
    other_company TEXT,                     -- refused as another company's template: that company
    messages      TEXT NOT NULL DEFAULT '[]', -- a refused upload's messages, as submissions.messages keeps them
    last_arrival  INTEGER NOT NULL DEFAULT 0 -- arrivals.id of the last file the history had seen then (the order
                                             -- of a refusal and a file by e-mail, whatever the clock says)
);
CREATE INDEX web_uploads_by_company ON web_uploads (campaign_id, company_id);
