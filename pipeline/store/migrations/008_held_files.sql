-- The files the last check of the whole input folder held back (« à départager »), by company: what the web
-- dashboard, which does not read the folder, shows as such. Replaced at each check of the folder; when the tool
-- first saw each content is in pending_arrivals.

CREATE TABLE held_files (
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    company_id  TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    PRIMARY KEY (campaign_id, file_name)
);
