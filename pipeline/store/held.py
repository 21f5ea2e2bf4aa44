"""Files held back beside another file of their company (« à départager »): not submissions until the secretary
removes one, but the history keeps when the tool first saw each content (``pending_arrivals``), so that the
dashboard dates them and the submission recorded once the secretary has chosen keeps that arrival; and which files
the last check of the whole folder held (``held_files``), for the web dashboard, which does not read the folder."""

from __future__ import annotations

import sqlite3

from ..check.batch import Checked


def hold(conn: sqlite3.Connection, campaign_id: str, sha256: str, now: str) -> None:
    """The tool sees this content held back (inside the caller's transaction): its first sighting is kept."""
    conn.execute("INSERT OR IGNORE INTO pending_arrivals (campaign_id, sha256, seen_at) VALUES (?, ?, ?)",
                 (campaign_id, sha256, now))


def first_seen(conn: sqlite3.Connection, campaign_id: str, sha256: str) -> str | None:
    """When the tool first saw this content held back; None if it never was."""
    row = conn.execute("SELECT seen_at FROM pending_arrivals WHERE campaign_id = ? AND sha256 = ?",
                       (campaign_id, sha256)).fetchone()
    return row[0] if row else None


def arrivals(conn: sqlite3.Connection, campaign_id: str) -> dict[str, str]:
    """sha256 -> when the tool first saw it held back, for every such content of the campaign."""
    return dict(conn.execute("SELECT sha256, seen_at FROM pending_arrivals WHERE campaign_id = ?", (campaign_id,)))


def keep_held(conn: sqlite3.Connection, checked: Checked) -> None:
    """The files a check of the whole input folder (``checked``) holds back, in place of the last check's."""
    campaign_id = checked.campaign.identifiant
    rows = [(campaign_id, f.societe, f.fichier, checked.hashes.get(f.fichier, ""))
            for f in checked.fichiers.itertuples(index=False) if f.fichier in checked.en_attente]
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM held_files WHERE campaign_id = ?", (campaign_id,))
        conn.executemany("INSERT INTO held_files (campaign_id, company_id, file_name, sha256) VALUES (?, ?, ?, ?)",
                         rows)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def last_held(conn: sqlite3.Connection, campaign_id: str) -> dict[str, dict[str, tuple[str, str]]]:
    """The files the last check of the whole folder held back (:func:`keep_held`), in the folder's order: company ->
    file -> (when the tool first saw it, "" if never; its content's sha256)."""
    seen = arrivals(conn, campaign_id)
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for company, name, sha256 in conn.execute("SELECT company_id, file_name, sha256 FROM held_files "
                                              "WHERE campaign_id = ? ORDER BY rowid", (campaign_id,)):
        out.setdefault(company, {})[name] = (seen.get(sha256, ""), sha256)
    return out
