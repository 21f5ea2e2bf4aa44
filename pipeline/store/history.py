"""The history: an SQLite database of campaigns, submissions, accepted figures and consolidations.

Entry points: :func:`connect` (opens the database, applying the migrations of ``migrations/`` in
order), :func:`record` (stores what a check of the input folder saw), :func:`accepted` (every
company's latest accepted submission, with its figures and comments) and :func:`submissions`.

Rules: a file whose content (sha256 of the very bytes checked) is already recorded changes nothing; a
newer file for a company supersedes its previous submission, which stays in the history; a file
rejected only because another file of the same company sits beside it is not recorded until the
secretary removes one.

The SQL schema is private to this module; what it returns are the frames of :mod:`pipeline.core.models`.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

from ..check.batch import Checked
from ..core import models
from ..core.models import DataFrame
from ..core.campaign import OUTPUTS_DIR, Campaign
from ..core.vocab import Status

DEFAULT_NAME = "historique.sqlite"
ACCEPTED_SQL = "('accepté', 'accepté avec avertissements')"


def default_path(root: str | Path) -> Path:
    return Path(root) / OUTPUTS_DIR / DEFAULT_NAME


def _migrations() -> list[tuple[int, str, str]]:
    folder = resources.files("pipeline") / "store" / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            found.append((int(entry.name.split("_", 1)[0]), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def migrate(conn: sqlite3.Connection) -> int:
    """Apply the migrations not applied yet; returns the schema version."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    for number, _name, sql in _migrations():
        if number > version:
            with conn:
                conn.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version = {number};\nCOMMIT;")
            version = number
    return version


def connect(path: str | Path) -> sqlite3.Connection:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = ON")
    migrate(conn)
    return conn


def _now() -> str:
    return dt.datetime.now().replace(microsecond=0).isoformat()


def register_campaign(conn: sqlite3.Connection, campaign: Campaign) -> None:
    conn.execute(
        "INSERT INTO campaigns (id, label, reference_date, deadline, nomenclature, previous_id) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET label = excluded.label, "
        "reference_date = excluded.reference_date, deadline = excluded.deadline, "
        "nomenclature = excluded.nomenclature, previous_id = excluded.previous_id",
        (campaign.identifiant, campaign.libelle, campaign.date_arrete.isoformat(),
         campaign.date_limite.isoformat(), campaign.nomenclature.empreinte, campaign.precedente),
    )
    conn.executemany(
        "INSERT INTO companies (campaign_id, company_id, name) VALUES (?, ?, ?) "
        "ON CONFLICT (campaign_id, company_id) DO UPDATE SET name = excluded.name",
        [(campaign.identifiant, s.identifiant, s.raison_sociale) for s in campaign.societes.itertuples()],
    )


@dataclass(frozen=True)
class Recorded:
    new: list[int]        # ids of the submissions recorded by this run
    unchanged: list[str]  # files already in the history (same content)
    pending: list[str]    # files waiting for a duplicate to be removed


def _messages_json(messages: pd.DataFrame) -> str:
    return json.dumps([dict(feuille=m.feuille, cellule=m.cellule, cle=m.cle, gravite=m.gravite, code=m.code,
                            params=m.params) for m in messages.itertuples(index=False)],
                      ensure_ascii=False, default=str)


def record(conn: sqlite3.Connection, checked: Checked, received: dict[str, str], now: str | None = None) -> Recorded:
    """Store the files a check read, with their status, messages, accepted figures and comments.

    ``received``: file -> when it arrived (ISO).
    """
    campaign = checked.campaign
    now = now or _now()
    known = campaign.company_ids
    declared = checked.declarations.set_index("fichier")["total_declare"].to_dict()
    messages_of = dict(tuple(checked.messages.groupby("fichier", sort=False)))
    figures_of = dict(tuple(checked.chiffres.groupby("societe", sort=False)))
    comments_of = dict(tuple(checked.commentaires.groupby("fichier", sort=False)))
    new, unchanged, pending = [], [], []
    conn.execute("BEGIN")  # one transaction for the batch: a commit per file would cost a sync each
    try:
        register_campaign(conn, campaign)
        for f in checked.fichiers.itertuples(index=False):
            digest = checked.hashes.get(f.fichier)
            if f.statut == Status.IGNORED or not digest:
                continue
            if f.fichier in checked.en_attente:
                pending.append(f.fichier)
                continue
            if conn.execute("SELECT 1 FROM submissions WHERE campaign_id = ? AND sha256 = ?",
                            (campaign.identifiant, digest)).fetchone():
                unchanged.append(f.fichier)
                continue
            total = declared.get(f.fichier)
            sid = conn.execute(
                "INSERT INTO submissions (campaign_id, company_id, file_name, sha256, received_at, ingested_at, "
                "status, declared_total, messages) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (campaign.identifiant, f.societe if f.societe in known else None, f.fichier, digest,
                 received.get(f.fichier, now), now, f.statut, None if total is None else int(total),
                 _messages_json(messages_of.get(f.fichier, checked.messages.iloc[0:0]))),
            ).lastrowid
            if Status(f.statut).accepted:
                figures = figures_of.get(f.societe, checked.chiffres.iloc[0:0])
                conn.executemany(
                    "INSERT INTO figures (submission_id, key, measure, category, value) VALUES (?, ?, ?, ?, ?)",
                    [(sid, r.cle, r.mesure, r.categorie, float(r.valeur)) for r in figures.itertuples(index=False)])
                comments = comments_of.get(f.fichier, checked.commentaires.iloc[0:0])
                conn.executemany("INSERT INTO comments (submission_id, key, cell, source, text) VALUES (?, ?, ?, ?, ?)",
                                 [(sid, r.cle, r.cellule, r.source, r.texte)
                                  for r in comments.itertuples(index=False)])
            new.append(sid)
    except BaseException:
        conn.rollback()
        raise
    conn.commit()
    return Recorded(new, unchanged, pending)


def submissions(conn: sqlite3.Connection, campaign_id: str) -> DataFrame[models.Soumissions]:
    """Every recorded submission of a campaign, oldest first (:class:`~pipeline.core.models.Soumissions`)."""
    df = pd.read_sql_query(
        "SELECT id, company_id AS societe, file_name AS fichier, sha256, received_at AS recu_le, "
        "ingested_at AS integre_le, status AS statut, declared_total AS total_declare, messages "
        "FROM submissions WHERE campaign_id = ? ORDER BY received_at, id", conn, params=(campaign_id,))
    types = {"id": int, "total_declare": float, "societe": object, "fichier": str, "sha256": str, "recu_le": str,
             "integre_le": str, "statut": str, "messages": str}
    return models.validate(models.Soumissions, df.astype(types))


def latest_accepted(conn: sqlite3.Connection, campaign_id: str) -> DataFrame[models.Soumissions]:
    """The submission each company's figures come from: its latest accepted one."""
    subs = submissions(conn, campaign_id)
    ok = subs[subs["statut"].isin([str(s) for s in Status if s.accepted]) & subs["societe"].notna()]
    return ok.groupby("societe").tail(1).sort_values("societe").reset_index(drop=True)


def figures_of(conn: sqlite3.Connection, campaign_id: str, submission_ids: list[int]) -> pd.DataFrame:
    """The figures of submissions (:class:`~pipeline.core.models.Chiffres`, plus ``soumission``)."""
    columns = ["soumission", "campagne", "societe", "cle", "mesure", "categorie", "valeur"]
    if not submission_ids:
        return pd.DataFrame({c: pd.Series(dtype=float if c == "valeur" else int if c == "soumission" else str)
                             for c in columns})
    marks = ",".join("?" * len(submission_ids))
    df = pd.read_sql_query(
        f"SELECT s.id AS soumission, s.campaign_id AS campagne, s.company_id AS societe, f.key AS cle, "
        f"f.measure AS mesure, f.category AS categorie, f.value AS valeur "
        f"FROM figures f JOIN submissions s ON s.id = f.submission_id WHERE s.id IN ({marks}) "
        f"ORDER BY s.company_id, f.key, f.measure, f.category", conn, params=list(submission_ids))
    df = df.astype({"soumission": int, "valeur": float})
    models.validate(models.Chiffres, df.drop(columns="soumission"))
    return df


def comments_of(conn: sqlite3.Connection, submission_ids: list[int]) -> pd.DataFrame:
    columns = ["soumission", "societe", "cle", "cellule", "source", "texte"]
    if not submission_ids:
        return pd.DataFrame(columns=columns)
    marks = ",".join("?" * len(submission_ids))
    return pd.read_sql_query(
        f"SELECT s.id AS soumission, s.company_id AS societe, c.key AS cle, c.cell AS cellule, c.source AS source, "
        f"c.text AS texte "
        f"FROM comments c JOIN submissions s ON s.id = c.submission_id WHERE s.id IN ({marks}) "
        f"ORDER BY s.company_id, c.rowid", conn, params=list(submission_ids))


@dataclass(frozen=True)
class Accepted:
    """What a consolidation is made of: every company's latest accepted submission."""

    campaign_id: str
    chiffres: DataFrame[models.Chiffres]
    retenues: pd.DataFrame      # identifiant, fichier, soumission, recu_le, total_declare
    commentaires: pd.DataFrame  # soumission, societe, cle, cellule, texte

    @property
    def companies(self) -> list[str]:
        return list(self.retenues["identifiant"])


def accepted(conn: sqlite3.Connection, campaign_id: str) -> Accepted:
    latest = latest_accepted(conn, campaign_id)
    ids = [int(i) for i in latest["id"]]
    figures = figures_of(conn, campaign_id, ids).drop(columns="soumission")
    retenues = pd.DataFrame({"identifiant": latest["societe"].astype(str), "fichier": latest["fichier"],
                             "soumission": latest["id"].astype(int), "recu_le": latest["recu_le"],
                             "total_declare": latest["total_declare"]})
    return Accepted(campaign_id, figures.reset_index(drop=True), retenues, comments_of(conn, ids))


def record_consolidation(conn: sqlite3.Connection, campaign_id: str, submission_ids: list[int],
                         branch_total: int) -> int:
    with conn:
        cid = conn.execute("INSERT INTO consolidations (campaign_id, made_at, branch_total) VALUES (?, ?, ?)",
                           (campaign_id, _now(), int(branch_total))).lastrowid
        conn.executemany("INSERT INTO consolidation_sources (consolidation_id, submission_id) VALUES (?, ?)",
                         [(cid, int(s)) for s in submission_ids])
    return cid
