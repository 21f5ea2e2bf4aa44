"""The job-title lexicon in the history (table ``lexicon``, migration 004).

Entry points: :func:`recorded` (every row, :class:`~pipeline.core.models_titles.Lexique`), :func:`record_review`
(the titles a company validated: they replace what the same company validated in the same campaign) and
:func:`record_decisions` (the observatory's: a title placed on a code, or withdrawn from it).
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pandas as pd

from ..core import models
from ..core.models import DataFrame
from ..core.models_titles import Lexique
from ..core.vocab import LexiconSource


def recorded(conn: sqlite3.Connection) -> DataFrame[Lexique]:
    df = pd.read_sql_query(
        "SELECT title AS intitule, key AS cle, company_id AS societe, campaign_id AS campagne, source, "
        "status AS statut, recorded_at AS enregistre_le FROM lexicon ORDER BY id", conn)
    return models.validate(Lexique, df.astype(str))


def now() -> str:
    return dt.datetime.now().replace(microsecond=0).isoformat()


def record_review(conn: sqlite3.Connection, rows: DataFrame[Lexique]) -> int:
    """Store a company's validated titles; returns how many rows were written."""
    replaced = [(str(LexiconSource.REVIEW), r.societe, r.campagne, r.intitule) for r in rows.itertuples(index=False)]
    _write(conn, "DELETE FROM lexicon WHERE source = ? AND company_id = ? AND campaign_id = ? AND title = ?",
           replaced, rows)
    return len(rows)


def record_decisions(conn: sqlite3.Connection, rows: DataFrame[Lexique]) -> int:
    """Store the observatory's decisions: a (title, code) placed replaces its withdrawal, and the reverse."""
    replaced = [(str(LexiconSource.OBSERVATORY), r.intitule, r.cle) for r in rows.itertuples(index=False)]
    _write(conn, "DELETE FROM lexicon WHERE source = ? AND title = ? AND key = ?", replaced, rows)
    return len(rows)


def _write(conn: sqlite3.Connection, delete: str, replaced: list[tuple], rows: pd.DataFrame) -> None:
    """One immediate transaction: the rows replaced go, the new ones come."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.executemany(delete, replaced)
        _insert(conn, rows)
    except BaseException:
        conn.rollback()
        raise
    conn.commit()


def _insert(conn: sqlite3.Connection, rows: pd.DataFrame) -> None:
    conn.executemany(
        "INSERT INTO lexicon (title, key, company_id, campaign_id, source, status, recorded_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(r.intitule, r.cle, r.societe, r.campagne, r.source, r.statut, r.enregistre_le)
         for r in rows.itertuples(index=False)])
