"""The web front's part of the history: the secretary's accounts and sessions, each company's private link,
the review states and the log of logins and uploads (tables of ``migrations/005_web.sql``), and what each
upload through a company's page became (``006_web_uploads.sql``).

Secrets are never stored: a password as its scrypt hash, a session cookie and a company link as the sha256
of their random value (256 bits: a fast hash is enough for a value nobody chose). Every write is one
short immediate transaction.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import secrets
import sqlite3
from dataclasses import dataclass

import pandas as pd

from ..core.models import validate
from ..core.models_review import Revues
from ..core.vocab import ACCEPTED_STATUSES, ReviewState
from .history import MESSAGE_FIELDS, messages_json

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SESSION_HOURS = 12


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${key.hex()}"


def password_matches(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, key = stored.split("$")
        if kind != "scrypt":
            return False
        found = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                               dklen=len(key) // 2)
    except ValueError:
        return False
    return hmac.compare_digest(found.hex(), key)


def set_password(conn: sqlite3.Connection, name: str, password: str) -> None:
    hashed = hash_password(password)
    with conn:
        conn.execute("INSERT INTO web_users (name, password_hash, set_at) VALUES (?, ?, ?) ON CONFLICT (name) "
                     "DO UPDATE SET password_hash = excluded.password_hash, set_at = excluded.set_at",
                     (name, hashed, _now().isoformat()))
        conn.execute("DELETE FROM web_sessions WHERE user_name = ?", (name,))  # a new password ends every session


@functools.cache
def _dummy() -> str:
    """A hash to compare with when the user is unknown, so that a wrong name takes as long as a wrong password
    (made on first use: scrypt costs ~80 ms, which every command importing this module would pay)."""
    return hash_password(secrets.token_hex(8))


def check_login(conn: sqlite3.Connection, name: str, password: str) -> bool:
    row = conn.execute("SELECT password_hash FROM web_users WHERE name = ?", (name,)).fetchone()
    ok = password_matches(password, row[0] if row else _dummy())
    return bool(row) and ok


def has_users(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM web_users LIMIT 1").fetchone() is not None


def open_session(conn: sqlite3.Connection, name: str) -> str:
    """A new session of ``name``: the cookie's value (only its hash is stored)."""
    value = secrets.token_urlsafe(32)
    now = _now()
    with conn:
        conn.execute("DELETE FROM web_sessions WHERE expires_at < ?", (now.isoformat(),))
        conn.execute("INSERT INTO web_sessions (id_hash, user_name, created_at, expires_at) VALUES (?, ?, ?, ?)",
                     (digest(value), name, now.isoformat(), (now + dt.timedelta(hours=SESSION_HOURS)).isoformat()))
    return value


def session_user(conn: sqlite3.Connection, value: str) -> str | None:
    if not value:
        return None
    row = conn.execute("SELECT user_name, expires_at FROM web_sessions WHERE id_hash = ?", (digest(value),)).fetchone()
    if row is None or row[1] < _now().isoformat():
        return None
    return row[0]


def close_session(conn: sqlite3.Connection, value: str) -> None:
    with conn:
        conn.execute("DELETE FROM web_sessions WHERE id_hash = ?", (digest(value or ""),))


@dataclass(frozen=True)
class Link:
    campaign_id: str
    company_id: str
    expires_at: str
    revoked: bool

    def usable(self, now: dt.datetime | None = None) -> bool:
        return not self.revoked and (now or _now()).isoformat() <= self.expires_at


def new_link(conn: sqlite3.Connection, campaign_id: str, company_id: str, expires: dt.datetime) -> str:
    """A new private link token for a company (its earlier links revoked): the token, shown once."""
    token = secrets.token_urlsafe(32)
    now = _now().isoformat()
    with conn:
        conn.execute("UPDATE company_links SET revoked_at = ? WHERE campaign_id = ? AND company_id = ? "
                     "AND revoked_at IS NULL", (now, campaign_id, company_id))
        conn.execute("INSERT INTO company_links (campaign_id, company_id, token_hash, created_at, expires_at) "
                     "VALUES (?, ?, ?, ?, ?)", (campaign_id, company_id, digest(token), now, expires.isoformat()))
    return token


def revoke_links(conn: sqlite3.Connection, campaign_id: str, company_id: str) -> int:
    with conn:
        return conn.execute("UPDATE company_links SET revoked_at = ? WHERE campaign_id = ? AND company_id = ? "
                            "AND revoked_at IS NULL", (_now().isoformat(), campaign_id, company_id)).rowcount


def link_of(conn: sqlite3.Connection, token: str) -> Link | None:
    """The link a token opens; None when unknown. The lookup is by the token's hash (an index on a value the
    visitor cannot steer), then the hashes are compared in constant time."""
    wanted = digest(token or "")
    row = conn.execute("SELECT campaign_id, company_id, expires_at, revoked_at, token_hash FROM company_links "
                       "WHERE token_hash = ?", (wanted,)).fetchone()
    if row is None or not hmac.compare_digest(row[4], wanted):
        return None
    return Link(row[0], row[1], row[2], row[3] is not None)


def log(conn: sqlite3.Connection, who: str, kind: str, campaign_id: str | None = None, company_id: str | None = None,
        detail: str = "") -> None:
    with conn:
        conn.execute("INSERT INTO web_events (at, who, campaign_id, company_id, kind, detail) VALUES (?, ?, ?, ?, ?, ?)",
                     (_now().isoformat(), who, campaign_id, company_id, kind, detail))


def recent(conn: sqlite3.Connection, who: str, kind: str, minutes: int) -> int:
    """How many times ``who`` did ``kind`` in the last ``minutes``."""
    since = (_now() - dt.timedelta(minutes=minutes)).isoformat()
    return conn.execute("SELECT COUNT(*) FROM web_events WHERE who = ? AND kind = ? AND at >= ?",
                        (who, kind, since)).fetchone()[0]


def events(conn: sqlite3.Connection, limit: int = 200) -> list[sqlite3.Row]:
    return conn.execute("SELECT at, who, campaign_id, company_id, kind, detail FROM web_events "
                        "ORDER BY id DESC LIMIT ?", (limit,)).fetchall()


@dataclass(frozen=True)
class Review:
    state: str
    comment: str
    who: str
    at: str
    submission_id: int | None


def set_review(conn: sqlite3.Connection, campaign_id: str, company_id: str, state: str, who: str,
               submission_id: int | None = None, comment: str = "") -> None:
    with conn:
        conn.execute("INSERT INTO review_states (campaign_id, company_id, submission_id, state, comment, who, at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (campaign_id, company_id, submission_id, state, comment, who, _now().isoformat()))


def kept_submissions(conn: sqlite3.Connection, campaign_id: str, company_id: str | None = None) -> dict[str, int]:
    """Each company's (one company's) submission whose figures count: the id of its accepted submission that arrived
    last, as :func:`~.history.latest_accepted` has it, in one query instead of the campaign's submissions as a frame
    (a company's page asks it at each upload). SQLite takes a bare column from the row of the group's ``MAX``."""
    accepted = [str(s) for s in ACCEPTED_STATUSES]
    rows = conn.execute(
        "SELECT s.company_id, s.id, MAX(a.id) FROM submissions s JOIN arrivals a ON a.submission_id = s.id "
        f"WHERE s.campaign_id = ? AND s.company_id IS NOT NULL AND s.status IN ({', '.join('?' * len(accepted))})"
        + ("" if company_id is None else " AND s.company_id = ?") + " GROUP BY s.company_id",
        (campaign_id, *accepted) if company_id is None else (campaign_id, *accepted, company_id)).fetchall()
    return {company: submission for company, submission, _ in rows}


def reviews(conn: sqlite3.Connection, campaign_id: str, company_id: str | None = None) -> dict[str, Review]:
    """Each company's (one company's) current review state, its last change, when it still holds: a submission sent
    back is no longer so once the company has sent an accepted one since."""
    rows = conn.execute("SELECT company_id, state, comment, who, at, submission_id FROM review_states WHERE id IN "
                        "(SELECT MAX(id) FROM review_states WHERE campaign_id = ?"
                        + ("" if company_id is None else " AND company_id = ?") + " GROUP BY company_id)",
                        (campaign_id,) if company_id is None else (campaign_id, company_id)).fetchall()
    kept = kept_submissions(conn, campaign_id, company_id) if rows else {}
    return {r[0]: Review(r[1], r[2], r[3], r[4], r[5]) for r in rows
            if r[1] != ReviewState.SENT_BACK or kept.get(r[0]) == r[5]}


def review_frame(conn: sqlite3.Connection, campaign_id: str) -> pd.DataFrame | None:
    """Each company's current review state as a frame (models_review.Revues), for the consolidation; None when
    there is none."""
    states = reviews(conn, campaign_id)
    if not states:
        return None
    return validate(Revues, pd.DataFrame(
        [dict(identifiant=c, etat=str(r.state), soumission=float("nan") if r.submission_id is None
              else float(r.submission_id), par=r.who, le=r.at) for c, r in states.items()],
        columns=["identifiant", "etat", "soumission", "par", "le"]))


def review_history(conn: sqlite3.Connection, campaign_id: str, company_id: str) -> list[Review]:
    rows = conn.execute("SELECT state, comment, who, at, submission_id FROM review_states WHERE campaign_id = ? "
                        "AND company_id = ? ORDER BY id", (campaign_id, company_id)).fetchall()
    return [Review(*r) for r in rows]


@dataclass(frozen=True)
class Upload:
    """An upload through a company's private page: when, its status, whether it was refused (and as whose
    template), and a refused upload's messages (JSON, as ``submissions.messages``)."""

    at: str
    status: str
    refused: bool
    other_company: str | None
    messages: str
    last_arrival: int   # the last arrival in the history when it was recorded: later arrivals came after it


def record_upload(conn: sqlite3.Connection, campaign_id: str, company_id: str, status: str, refused: bool,
                  messages: pd.DataFrame | None = None, other_company: str | None = None, at: str | None = None) -> None:
    """What a company's upload became (``at``: ISO, default now); a refused one with its messages (a
    ``Messages`` frame)."""
    kept = [] if messages is None or not refused else [
        dict(zip(MESSAGE_FIELDS, m)) for m in zip(*(messages[c] for c in MESSAGE_FIELDS))]
    with conn:
        conn.execute("INSERT INTO web_uploads (campaign_id, company_id, at, status, refused, other_company, messages, "
                     "last_arrival) VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(id), 0) FROM arrivals))",
                     (campaign_id, company_id, at or _now().isoformat(), status, int(refused), other_company,
                      messages_json(kept)))


def last_uploads(conn: sqlite3.Connection, campaign_id: str) -> dict[str, Upload]:
    """Each company's last upload through its private page."""
    rows = conn.execute("SELECT company_id, at, status, refused, other_company, messages, last_arrival FROM web_uploads "
                        "WHERE id IN (SELECT MAX(id) FROM web_uploads WHERE campaign_id = ? GROUP BY company_id)",
                        (campaign_id,)).fetchall()
    return {r[0]: Upload(r[1], r[2], bool(r[3]), r[4], r[5], r[6]) for r in rows}
