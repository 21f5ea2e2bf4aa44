"""Storage: the history of campaigns, submissions and figures (SQLite)."""
