"""What a campaign's edition was made of: the submissions of its last consolidation. The next campaign compares with
them — its N−1 figures, the previous edition's protection, the groups it publishes edition to edition — and not with
the returns accepted since: a return corrected after the edition, or a company taken out of the campaign file, would
otherwise publish N−1 figures that differ from the edition's, and the difference would reveal what it masked."""

from __future__ import annotations

import sqlite3

from . import history


def published_sources(conn: sqlite3.Connection, campaign_id: str) -> list[int]:
    """The submissions of the campaign's last consolidation; a campaign never consolidated: each company's accepted
    submission that arrived last (:func:`~pipeline.store.history.latest_accepted`)."""
    last = conn.execute("SELECT id FROM consolidations WHERE campaign_id = ? ORDER BY id DESC LIMIT 1",
                        (campaign_id,)).fetchone()
    if last is None:
        return [int(i) for i in history.latest_accepted(conn, campaign_id)["id"]]
    return [int(s) for (s,) in conn.execute("SELECT submission_id FROM consolidation_sources WHERE consolidation_id = ? "
                                            "ORDER BY submission_id", (last[0],))]
