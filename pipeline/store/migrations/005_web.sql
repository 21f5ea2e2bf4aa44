-- The web front (pipeline/web): the secretary's account and sessions, each company's private link, the
-- review state of each company's submission, and a log of every login and upload through the web.

CREATE TABLE web_users (
    name          TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,            -- scrypt$n$r$p$salt$hash, never the password
    set_at        TEXT NOT NULL
);

CREATE TABLE web_sessions (
    id_hash    TEXT PRIMARY KEY,            -- sha256 of the cookie's random value
    user_name  TEXT NOT NULL REFERENCES web_users(name),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE company_links (
    id          INTEGER PRIMARY KEY,
    campaign_id TEXT NOT NULL,
    company_id  TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,       -- sha256 of the link's random token, never the token
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE INDEX company_links_by_company ON company_links (campaign_id, company_id);

CREATE TABLE review_states (
    id            INTEGER PRIMARY KEY,      -- the order of the changes; a company's last row is its state
    campaign_id   TEXT NOT NULL,
    company_id    TEXT NOT NULL,
    submission_id INTEGER REFERENCES submissions(id),
    state         TEXT NOT NULL,            -- validé, renvoyé, rouvert
    comment       TEXT NOT NULL DEFAULT '',
    who           TEXT NOT NULL,
    at            TEXT NOT NULL
);
CREATE INDEX review_states_by_company ON review_states (campaign_id, company_id);

CREATE TABLE web_events (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    who         TEXT NOT NULL,              -- a user name, or "societe:<id>"
    campaign_id TEXT,
    company_id  TEXT,
    kind        TEXT NOT NULL,              -- connexion, connexion refusée, dépôt, ...
    detail      TEXT NOT NULL DEFAULT ''
);
