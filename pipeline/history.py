"""Stage 4c — the history: an SQLite database of campaigns, submissions and accepted figures.

Entry points: :func:`connect` (opens the database, applying the migrations of
``pipeline/migrations/`` in order), :func:`record` (stores what an ingestion saw), and
:func:`accepted_result` (the ingestion result to consolidate: the latest accepted submission of each
company, whether or not its file is still in the inputs folder).

Rules: re-ingesting a file with the same content (same sha256) changes nothing; a newer file for a
company supersedes its previous submission, which stays in the history; a file rejected only because
another file of the same company sits beside it is not recorded until the secretary removes one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

import pandas as pd

from .campaign import OUTPUTS_DIR, Campaign
from .ingest import ACCEPTED, IGNORED, WARNED, IngestResult

DEFAULT_NAME = "historique.sqlite"


def default_path(root: str | Path) -> Path:
    return Path(root) / OUTPUTS_DIR / DEFAULT_NAME


def _migrations() -> list[tuple[int, str, str]]:
    folder = resources.files("pipeline") / "migrations"
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
    with conn:
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


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def record(conn: sqlite3.Connection, result: IngestResult, folder: Path, now: str | None = None) -> Recorded:
    """Store the files an ingestion read, with their status, messages and accepted figures."""
    campaign = result.campaign
    register_campaign(conn, campaign)
    now = now or _now()
    known = set(campaign.societes["identifiant"])
    declared = result.declarations.set_index("fichier")["total_declare"].to_dict()
    new, unchanged, pending = [], [], []
    messages_of = dict(tuple(result.messages.groupby("fichier", sort=False)))
    figures_of_company = dict(tuple(result.effectifs.groupby("societe", sort=False)))
    def record_all() -> None:
        for f in result.fichiers.itertuples(index=False):
            path = Path(folder) / f.fichier
            if f.statut == IGNORED or not path.is_file():
                continue
            if f.fichier in result.en_attente:
                pending.append(f.fichier)
                continue
            digest = sha256(path)
            if conn.execute("SELECT 1 FROM submissions WHERE campaign_id = ? AND sha256 = ?",
                            (campaign.identifiant, digest)).fetchone():
                unchanged.append(f.fichier)
                continue
            received = dt.datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0).isoformat()
            own = messages_of.get(f.fichier, result.messages.iloc[0:0])
            messages = own.drop(columns=["fichier", "societe"])
            total = declared.get(f.fichier)
            cursor = conn.execute(
                "INSERT INTO submissions (campaign_id, company_id, file_name, sha256, received_at, ingested_at, "
                "status, declared_total, messages) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (campaign.identifiant, f.societe if f.societe in known else None, f.fichier, digest, received, now,
                 f.statut, None if total is None else int(total),
                 json.dumps(messages.to_dict(orient="records"), ensure_ascii=False)),
            )
            sid = cursor.lastrowid
            if f.statut in (ACCEPTED, WARNED):
                figures = figures_of_company.get(f.societe, result.effectifs.iloc[0:0])
                conn.executemany(
                    "INSERT INTO figures (submission_id, key, code, emploi, headcount, comment) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [(sid, r.cle, r.code_metier, int(r.rang_emploi), int(r.effectif), r.commentaire or "")
                     for r in figures.itertuples(index=False)],
                )
            new.append(sid)

    conn.execute("BEGIN")  # one transaction for the batch: a commit per file would cost a sync each
    try:
        record_all()
    except BaseException:
        conn.rollback()
        raise
    conn.commit()
    return Recorded(new, unchanged, pending)


def submissions(conn: sqlite3.Connection, campaign_id: str) -> pd.DataFrame:
    """Every recorded submission of a campaign, oldest first."""
    return pd.read_sql_query(
        "SELECT id, company_id, file_name, sha256, received_at, ingested_at, status, declared_total, messages "
        "FROM submissions WHERE campaign_id = ? ORDER BY received_at, id", conn, params=(campaign_id,))


def latest_accepted(conn: sqlite3.Connection, campaign_id: str) -> pd.DataFrame:
    """The submission each company's figures come from: its latest accepted one."""
    subs = submissions(conn, campaign_id)
    ok = subs[subs["status"].isin([ACCEPTED, WARNED]) & subs["company_id"].notna()]
    return ok.sort_values(["received_at", "id"]).groupby("company_id").tail(1).sort_values("company_id") \
        .reset_index(drop=True)


def figures_of(conn: sqlite3.Connection, submission_ids: list[int]) -> pd.DataFrame:
    """Figures of submissions, in the ``schemas.EFFECTIFS`` shape (plus the submission id)."""
    if not submission_ids:
        return pd.DataFrame(columns=["soumission", "societe", "cle", "code_metier", "rang_emploi", "effectif",
                                     "commentaire"])
    marks = ",".join("?" * len(submission_ids))
    df = pd.read_sql_query(
        f"SELECT s.id AS soumission, s.company_id AS societe, f.key AS cle, f.code AS code_metier, "
        f"f.emploi AS rang_emploi, f.headcount AS effectif, f.comment AS commentaire "
        f"FROM figures f JOIN submissions s ON s.id = f.submission_id WHERE s.id IN ({marks}) "
        f"ORDER BY s.company_id, f.key", conn, params=list(submission_ids))
    return df.astype({"rang_emploi": int, "effectif": int})


def accepted_result(conn: sqlite3.Connection, result: IngestResult) -> IngestResult:
    """``result`` with its accepted figures replaced by each company's latest accepted submission."""
    latest = latest_accepted(conn, result.campaign.identifiant)
    figures = figures_of(conn, list(latest["id"]))
    effectifs = figures.drop(columns=["soumission"]).reset_index(drop=True)
    sums = figures.assign(nv=figures["code_metier"] == "NV").groupby(["soumission", "nv"])["effectif"].sum() \
        .unstack(fill_value=0).reindex(columns=[False, True], fill_value=0)
    declarations = pd.DataFrame({
        "fichier": latest["file_name"], "societe": latest["company_id"], "feuille": "", "cellule_total": "",
        "ventiles": [int(sums.loc[i, False]) if i in sums.index else 0 for i in latest["id"]],
        "non_ventiles": [int(sums.loc[i, True]) if i in sums.index else 0 for i in latest["id"]],
        "total_declare": latest["declared_total"].astype(int).tolist() if len(latest) else [],
        "soumission": latest["id"].astype(int).tolist(), "recu_le": latest["received_at"].tolist(),
    })
    return replace(result, effectifs=effectifs, declarations=declarations)


def record_consolidation(conn: sqlite3.Connection, campaign_id: str, submission_ids: list[int],
                         branch_total: int) -> int:
    with conn:
        cid = conn.execute("INSERT INTO consolidations (campaign_id, made_at, branch_total) VALUES (?, ?, ?)",
                           (campaign_id, _now(), int(branch_total))).lastrowid
        conn.executemany("INSERT INTO consolidation_sources (consolidation_id, submission_id) VALUES (?, ?)",
                         [(cid, int(s)) for s in submission_ids])
    return cid
