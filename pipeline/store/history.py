"""The history: an SQLite database of campaigns, submissions, accepted figures and consolidations.

Entry points: :func:`connect` (opens the database, applying the migrations of ``migrations/`` in
order), :func:`record` (stores what a check of the input folder saw), :func:`accepted` (every
company's latest accepted submission, with its figures and comments) and :func:`submissions`.

Rules: a file whose content (sha256 of the very bytes checked) is already recorded changes nothing; the
submission that counts for a company is its accepted one that arrived last, in the order the tool saw
files arrive — a correction supersedes the file before it whatever the files' dates, and a content put
back in the folder after another one arrives again (the folder holds the secretary's intent); a file
rejected only because another file of the same company sits beside it is not recorded until the
secretary removes one (:mod:`.held` keeps when it arrived). Every earlier submission stays in the history.

Several runs may share the history: each write is an immediate transaction, and a connection waits for
another run's transaction (``BUSY_TIMEOUT``) before giving up with a message saying to try again.

The SQL schema is private to this module; what it returns are the frames of :mod:`pipeline.core.models`.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sqlite3
from dataclasses import dataclass, field
from importlib import resources
from itertools import repeat
from pathlib import Path

import numpy as np
import pandas as pd

from ..check.batch import Checked, headcounts
from ..core import models
from ..core.campaign import OUTPUTS_DIR, Campaign
from ..core.columns import column_values, object_array, query_columns, text_column
from ..core.errors import UserError
from ..core.models import DataFrame
from ..core.texts import console as C
from ..core.texts import fr
from ..core.vocab import ACCEPTED_STATUSES, Status
from . import held

DEFAULT_NAME = "historique.sqlite"


def default_path(root: str | Path) -> Path:
    return Path(root) / OUTPUTS_DIR / DEFAULT_NAME


@functools.cache  # the package's own files: read once, not at every connection
def _migrations() -> tuple[tuple[int, str, str], ...]:
    folder = resources.files("pipeline") / "store" / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            found.append((int(entry.name.split("_", 1)[0]), entry.name, entry.read_text(encoding="utf-8")))
    return tuple(sorted(found))


def migrate(conn: sqlite3.Connection) -> int:
    """Apply the migrations not applied yet; returns the schema version. Safe when two runs start
    together: the version is read again inside an immediate transaction before each migration."""
    known = _migrations()
    latest = max(n for n, _, _ in known)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > latest:
        raise UserError(fr(C.HISTORY_NEWER, version=version, connue=latest))
    for number, _name, sql in known:
        if number <= version:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if number > version:
                for statement in _statements(sql):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number}")
                version = number
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return version


def _statements(sql: str) -> list[str]:
    """The statements of a migration script, one by one (executescript would commit on its own)."""
    out, current = [], []
    for line in sql.splitlines():
        current.append(line)
        if sqlite3.complete_statement("\n".join(current)):
            statement = "\n".join(current).strip()
            if statement.strip(";").strip():
                out.append(statement)
            current = []
    return out


BUSY_TIMEOUT = 60  # seconds a run waits for another run's transaction on the history


def connect(path: str | Path) -> sqlite3.Connection:
    """The history, migrated. A problem the secretary can act on (locked, damaged, written by a newer
    version, not a file) is a :class:`UserError` saying what to do."""
    path = Path(path)
    if path.exists() and not path.is_file():
        raise UserError(fr(C.HISTORY_NOT_A_FILE, chemin=path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise UserError(fr(C.FOLDER_IS_A_FILE, chemin=path.parent)) from None
    new = not path.exists()
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
    if new:
        path.touch()
        path.chmod(0o600)  # companies' figures: readable by the owner only (pipeline.api keeps the outputs so too)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn)
    except sqlite3.OperationalError as err:
        conn.close()
        if "locked" in str(err) or "busy" in str(err):
            raise UserError(fr(C.HISTORY_LOCKED, chemin=path), [C.HISTORY_LOCKED_HELP]) from None
        raise UserError(fr(C.HISTORY_DAMAGED, chemin=path, erreur=err), [C.HISTORY_DAMAGED_HELP]) from None
    except sqlite3.DatabaseError as err:
        conn.close()
        raise UserError(fr(C.HISTORY_DAMAGED, chemin=path, erreur=err), [C.HISTORY_DAMAGED_HELP]) from None
    except UserError:
        conn.close()
        raise
    return conn


def _now() -> str:
    return dt.datetime.now().replace(microsecond=0).isoformat()


def register_campaign(conn: sqlite3.Connection, campaign: Campaign) -> None:
    """The campaign and its companies (inside the caller's transaction)."""
    conn.execute(
        "INSERT INTO campaigns (id, label, reference_date, deadline, nomenclature, previous_id) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET label = excluded.label, "
        "reference_date = excluded.reference_date, deadline = excluded.deadline, "
        "nomenclature = excluded.nomenclature, previous_id = excluded.previous_id",
        (campaign.identifiant, campaign.libelle, campaign.date_arrete.isoformat(),
         campaign.date_limite.isoformat(), campaign.nomenclature.empreinte, campaign.precedente))
    conn.executemany(
        "INSERT INTO companies (campaign_id, company_id, name) VALUES (?, ?, ?) "
        "ON CONFLICT (campaign_id, company_id) DO UPDATE SET name = excluded.name",
        [(campaign.identifiant, s.identifiant, s.raison_sociale) for s in campaign.societes.itertuples()])


@dataclass(frozen=True)
class Recorded:
    new: list[int]        # ids of the submissions recorded by this run
    unchanged: list[str]  # files already in the history (same content)
    pending: list[str]    # files waiting for a duplicate to be removed
    restored: list[str] = field(default_factory=list)  # of the unchanged, those whose company had sent another since


NO_ROWS = np.empty(0, dtype=np.intp)
MESSAGE_FIELDS = ["feuille", "cellule", "cle", "gravite", "code", "params"]  # what a submission keeps of a message


def messages_json(messages: list[dict]) -> str:
    return json.dumps(messages, ensure_ascii=False, default=str)


def _rows_by(frame: pd.DataFrame, key: str, columns: list[str]) -> dict[object, list[tuple]]:
    """``frame``'s rows as plain tuples of ``columns``, grouped by ``key`` in their order: one pass over the
    columns, not a pandas group (and a namedtuple class) per file."""
    out: dict[object, list[tuple]] = {}
    for k, *row in zip(column_values(frame[key]), *(column_values(frame[c]) for c in columns)):
        out.setdefault(k, []).append(tuple(row))
    return out


def record(conn: sqlite3.Connection, checked: Checked, now: str | None = None) -> Recorded:
    """Store the files a check read, with their status, messages, accepted figures and comments, and the
    arrival of each (``now``: when the tool saw them, ISO; default: now)."""
    campaign = checked.campaign
    now = now or _now()
    known = campaign.company_ids
    declared = dict(zip(checked.declarations["fichier"], checked.declarations["total_declare"]))
    fields = MESSAGE_FIELDS
    messages_of = {f: [dict(zip(fields, m)) for m in rows]
                   for f, rows in _rows_by(checked.messages, "fichier", fields).items()}
    figures = checked.chiffres  # inserted file by file from its columns: no tuple kept per figure
    figure_rows = figures.groupby("societe", sort=False).indices
    key, measure, category = (figures[c].to_numpy(dtype=object) for c in ("cle", "mesure", "categorie"))
    value = figures["valeur"].to_numpy(dtype=float)
    comments_of = _rows_by(checked.commentaires, "fichier", ["cle", "cellule", "source", "texte"])
    new, unchanged, pending, restored = [], [], [], []
    conn.execute("BEGIN IMMEDIATE")  # one transaction for the batch, taken before reading what is known
    try:
        register_campaign(conn, campaign)
        # Each company's latest arrival: SQLite takes a bare column from the row holding the group's MAX(). (Matched
        # against a list of each company's MAX(a.id) instead, the plan went through the whole list for each submission:
        # 0.19 s at the second run of 1,000 companies, 1.5 s at 3,000, 17 s at 10,000.)
        last_arrival = {company: submission for company, submission, _ in conn.execute(
            "SELECT s.company_id, a.submission_id, MAX(a.id) FROM arrivals a JOIN submissions s "
            "ON s.id = a.submission_id WHERE s.campaign_id = ? GROUP BY s.company_id", (campaign.identifiant,))}
        for f in checked.fichiers.itertuples(index=False):
            digest = checked.hashes.get(f.fichier)
            if f.statut == Status.IGNORED or not digest:
                continue
            if f.fichier in checked.en_attente:
                pending.append(f.fichier)
                held.hold(conn, campaign.identifiant, digest, now)
                continue
            company = f.societe if f.societe in known else None
            row = conn.execute("SELECT id FROM submissions WHERE campaign_id = ? AND sha256 = ?",
                               (campaign.identifiant, digest)).fetchone()
            if row is not None:
                unchanged.append(f.fichier)
                if company is not None and last_arrival.get(company) != row[0]:  # put back after another one
                    conn.execute("INSERT INTO arrivals (submission_id, seen_at) VALUES (?, ?)", (row[0], now))
                    if company in last_arrival:  # the company's latest again
                        restored.append(f.fichier)
                    last_arrival[company] = row[0]
                continue
            total = declared.get(f.fichier)
            received = held.first_seen(conn, campaign.identifiant, digest) or now  # it waited beside another file
            sid = conn.execute(
                "INSERT INTO submissions (campaign_id, company_id, file_name, sha256, received_at, ingested_at, "
                "status, declared_total, messages) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (campaign.identifiant, company, f.fichier, digest, received, now, f.statut,
                 None if total is None else int(total), messages_json(messages_of.get(f.fichier, []))),
            ).lastrowid
            conn.execute("INSERT INTO arrivals (submission_id, seen_at) VALUES (?, ?)", (sid, now))
            if company is not None:
                last_arrival[company] = sid
            if Status(f.statut).accepted:
                rows = figure_rows.get(f.societe, NO_ROWS)
                conn.executemany(
                    "INSERT INTO figures (submission_id, key, measure, category, value) VALUES (?, ?, ?, ?, ?)",
                    zip(repeat(sid), key[rows], measure[rows], category[rows], value[rows].tolist()))
                conn.executemany("INSERT INTO comments (submission_id, key, cell, source, text) VALUES (?, ?, ?, ?, ?)",
                                 [(sid, *row) for row in comments_of.get(f.fichier, [])])
            new.append(sid)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return Recorded(new, unchanged, pending, restored)


def _submissions_query(campaign_id: str, company: str | None) -> tuple[str, tuple]:
    """The SQL of :func:`submissions` (of one company when given) and its parameters."""
    return ("SELECT s.id, s.company_id AS societe, s.file_name AS fichier, s.sha256, s.received_at AS recu_le, "
            "s.ingested_at AS integre_le, s.status AS statut, s.declared_total AS total_declare, s.messages, "
            "MAX(a.id) AS arrivee FROM submissions s JOIN arrivals a ON a.submission_id = s.id WHERE s.campaign_id = ?"
            + ("" if company is None else " AND s.company_id = ?") + " GROUP BY s.id ORDER BY arrivee",
            (campaign_id,) if company is None else (campaign_id, company))


def submissions(conn: sqlite3.Connection, campaign_id: str, company: str | None = None) \
        -> DataFrame[models.Soumissions]:
    """Every recorded submission of a campaign (of one company), in the order of their latest arrival
    (:class:`~pipeline.core.models.Soumissions`): a company's last row is what it sent last."""
    sql, params = _submissions_query(campaign_id, company)
    df = pd.read_sql_query(sql, conn, params=params)
    types = {"id": int, "total_declare": float, "societe": object, "fichier": str, "sha256": str, "recu_le": str,
             "integre_le": str, "statut": str, "messages": str, "arrivee": int}
    return models.validate(models.Soumissions, df.astype(types))


def submission_rows(conn: sqlite3.Connection, campaign_id: str, company: str | None = None) -> list[dict]:
    """The rows of :func:`submissions` as they are stored, without a frame: what a web page lists."""
    sql, params = _submissions_query(campaign_id, company)
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def file_names(conn: sqlite3.Connection, campaign_id: str, company: str) -> set[str]:
    """The names of the files a company's recorded submissions came in."""
    return {name for (name,) in conn.execute(
        "SELECT DISTINCT s.file_name FROM submissions s JOIN arrivals a ON a.submission_id = s.id "
        "WHERE s.campaign_id = ? AND s.company_id = ?", (campaign_id, company))}


def latest_accepted(conn: sqlite3.Connection, campaign_id: str) -> DataFrame[models.Soumissions]:
    """The submission each company's figures come from: its accepted one that arrived last."""
    subs = submissions(conn, campaign_id)
    ok = subs[subs["statut"].isin([str(s) for s in ACCEPTED_STATUSES]) & subs["societe"].notna()]
    return ok.groupby("societe").tail(1).sort_values("societe").reset_index(drop=True)


# A list of submission ids as one parameter (a JSON array), not one "?" each: SQLite refuses more than 32,766
# parameters in a statement, i.e. a campaign of more than some 32,000 companies.
IDS = "(SELECT value FROM json_each(?))"


def _id_list(submission_ids: list[int]) -> tuple[str]:
    return (json.dumps([int(i) for i in submission_ids]),)


def figures_of(conn: sqlite3.Connection, campaign_id: str, submission_ids: list[int]) -> pd.DataFrame:
    """The figures of submissions (:class:`~pipeline.core.models.Chiffres`, plus ``soumission``)."""
    columns = ["soumission", "campagne", "societe", "cle", "mesure", "categorie", "valeur"]
    if not submission_ids:
        return pd.DataFrame({c: pd.Series(dtype=float if c == "valeur" else int if c == "soumission" else str)
                             for c in columns})
    ids = _id_list(submission_ids)
    # The campaign and company of each submission read once, not on every figure's row: each row then refers to
    # them, as to one string per row key, measure and category.
    owner = {i: (campagne, societe) for i, campagne, societe in conn.execute(
        f"SELECT id, campaign_id, company_id FROM submissions WHERE id IN {IDS}", ids)}
    found = query_columns(
        conn, f"SELECT s.id AS soumission, f.key AS cle, f.measure AS mesure, f.category AS categorie, "
        f"f.value AS valeur FROM figures f JOIN submissions s ON s.id = f.submission_id WHERE s.id IN {IDS} "
        f"ORDER BY s.company_id, f.key, f.measure, f.category", ids, {"cle", "mesure", "categorie"},
        {"soumission": int, "valeur": float})
    submission, where = np.unique(found["soumission"], return_inverse=True)
    of = [owner[int(i)] for i in submission]
    # Column by column, each read column let go once typed: never the result held twice (a frame built from a dict
    # of columns copies them all unless told not to).
    data = {"soumission": found.pop("soumission"),
            **{name: text_column(object_array([o[i] for o in of])[where]) for i, name in enumerate(columns[1:3])}}
    del of, where
    for name in columns[3:6]:
        values = object_array(found.pop(name))
        data[name] = text_column(values)
        del values
    data["valeur"] = found.pop("valeur")
    df = pd.DataFrame(data, columns=columns, copy=False)
    del data
    models.validate(models.Chiffres, df.drop(columns="soumission"))
    return df


def comments_of(conn: sqlite3.Connection, submission_ids: list[int]) -> DataFrame[models.CommentairesRetenus]:
    columns = ["soumission", "societe", "cle", "cellule", "source", "texte"]
    types = {"soumission": int, **dict.fromkeys(columns[1:], str)}
    if not submission_ids:
        return models.validate(models.CommentairesRetenus, pd.DataFrame(columns=columns).astype(types))
    return models.validate(models.CommentairesRetenus, pd.read_sql_query(
        f"SELECT s.id AS soumission, s.company_id AS societe, c.key AS cle, c.cell AS cellule, c.source AS source, "
        f"c.text AS texte FROM comments c JOIN submissions s ON s.id = c.submission_id WHERE s.id IN {IDS} "
        f"ORDER BY s.company_id, c.rowid", conn, params=_id_list(submission_ids)).astype(types))


@dataclass(frozen=True)
class Accepted:
    """What a consolidation is made of: every company's latest accepted submission."""

    campaign_id: str
    chiffres: DataFrame[models.Chiffres]
    retenues: DataFrame[models.Retenues]
    commentaires: DataFrame[models.CommentairesRetenus]

    @property
    def companies(self) -> list[str]:
        return list(self.retenues["identifiant"])

    @property
    def effectifs(self) -> pd.DataFrame:
        """The headcounts, one row per (company, row key) — the declared total excepted."""
        return headcounts(self.chiffres)


def retained(conn: sqlite3.Connection, campaign: Campaign) -> DataFrame[models.Retenues]:
    """Every expected company's latest accepted submission (a company since removed from the campaign file is
    left out), without its figures."""
    latest = latest_accepted(conn, campaign.identifiant)
    latest = latest[latest["societe"].isin(campaign.company_ids)]
    retenues = pd.DataFrame({"identifiant": latest["societe"].astype(str), "fichier": latest["fichier"].astype(str),
                             "soumission": latest["id"].astype(int), "recu_le": latest["recu_le"].astype(str),
                             "total_declare": latest["total_declare"].astype(float)})
    return models.validate(models.Retenues, retenues.reset_index(drop=True))


def accepted(conn: sqlite3.Connection, campaign: Campaign, retenues: DataFrame[models.Retenues] | None = None
             ) -> Accepted:
    """Every expected company's latest accepted submission, with its figures and comments; ``retenues``: these
    submissions (:func:`retained`) when already read."""
    retenues = retained(conn, campaign) if retenues is None else retenues
    ids = [int(i) for i in retenues["soumission"]]
    figures = figures_of(conn, campaign.identifiant, ids).drop(columns="soumission")
    return Accepted(campaign.identifiant, figures.reset_index(drop=True), retenues, comments_of(conn, ids))


def record_consolidation(conn: sqlite3.Connection, campaign_id: str, submission_ids: list[int],
                         branch_total: int) -> int:
    """The consolidation and its sources, in one transaction (the connection is in autocommit mode: without
    it, every source row would be a commit of its own, a disk sync each)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        cid = conn.execute("INSERT INTO consolidations (campaign_id, made_at, branch_total) VALUES (?, ?, ?)",
                           (campaign_id, _now(), int(branch_total))).lastrowid
        conn.executemany("INSERT INTO consolidation_sources (consolidation_id, submission_id) VALUES (?, ?)",
                         [(cid, int(s)) for s in submission_ids])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return cid
