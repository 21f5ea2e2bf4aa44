"""The checks of returned files, kept from one run to the next: a file already checked is not read again.

The secretary runs ``controler`` and ``consolider`` again and again while the returns come in, and each run
checks every file of the folder. Reading and checking a return takes some 4 to 8 ms of CPU; a check kept here
is found again from the file's sha256 and thawed (:mod:`pipeline.check.frozen`) in a tenth of a millisecond.

A check is kept under a key made of everything it depends on: the file's name and bytes (sha256), the bytes of
the campaign's file and of its nomenclature's files, and the tool itself — the bytes of every file of the package
and the versions of Python and of the readers' libraries — so that a changed campaign, a new release or an edited
source reads every file again. A check that would not thaw identical is not kept.

A separate SQLite file beside the history (:data:`NAME`), disposable: missing, damaged, locked, unwritable or
written by another version, it is put aside (a damaged one replaced) and the files are read, as without it — it
never stops a run. It holds the companies' figures as the history does: readable by its owner only. After a run
it holds the checks of the files then in that campaign's folder, no more.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sqlite3
import sys
from importlib import metadata
from pathlib import Path

from ..check.frozen import FORMAT
from ..core.campaign import Campaign
from ..core.nomenclature import CORRESPONDENCES_FILE, FAMILLES_FILE, METIERS_FILE
from ..read.folder import Entry, fingerprint
from ..read.xlsx import MAX_FILE

NAME = "cache-controles.sqlite"
SCHEMA = 1  # PRAGMA user_version of the file; another one: the file is left alone
TIMEOUT = 5  # seconds waited for another run's write before going on without the cache
READERS = ("lxml", "python-calamine")  # libraries whose version may change what a file reads as


@functools.cache
def tool_digest() -> bytes:
    """What the tool is: every file of the package (not its bytecode), Python's and the readers' versions."""
    digest = hashlib.sha256(f"{FORMAT}\0{sys.version}\0".encode())
    for name in READERS:
        try:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=?\0".encode())
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


def campaign_digest(campaign: Campaign) -> bytes | None:
    """The bytes of the campaign's file and of its nomenclature's files; None when one cannot be read."""
    digest = hashlib.sha256()
    folder = Path(campaign.nomenclature.source)
    try:
        digest.update(Path(campaign.source).read_bytes() + b"\0")
        for name in (FAMILLES_FILE, METIERS_FILE, CORRESPONDENCES_FILE):
            path = folder / name
            digest.update(name.encode() + b"\0" + (path.read_bytes() if path.exists() else b"-") + b"\0")
    except OSError:
        return None
    return digest.digest()


def _open(path: Path) -> sqlite3.Connection:
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))  # created private, as the history
    conn = sqlite3.connect(path, timeout=TIMEOUT, isolation_level=None)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA):
            raise sqlite3.DatabaseError(f"user_version {version}")
        if version == 0:
            conn.execute("CREATE TABLE IF NOT EXISTS checks (key TEXT PRIMARY KEY, campaign TEXT NOT NULL, "
                         "context TEXT NOT NULL, data BLOB NOT NULL)")
            conn.execute("CREATE INDEX IF NOT EXISTS checks_context ON checks (context)")
            conn.execute(f"PRAGMA user_version = {SCHEMA}")
    except BaseException:
        conn.close()
        raise
    return conn


class CheckCache:
    """The checks kept for one campaign, as :func:`pipeline.check.inputs.check_entries` asks for them
    (:class:`~pipeline.check.inputs.Known`). ``path``: the cache's file."""

    def __init__(self, path: str | Path, campaign: Campaign):
        self.path = Path(path)
        self.campaign_id = campaign.identifiant
        digest = campaign_digest(campaign)
        self.context = None if digest is None else hashlib.sha256(tool_digest() + digest).hexdigest()
        self._seen: set[str] = set()
        self.hits = 0

    def _key(self, name: str, sha256: str) -> str:
        return hashlib.sha256(f"{self.context}\0{name}\0{sha256}".encode("utf-8", "surrogatepass")).hexdigest()

    def _connect(self) -> sqlite3.Connection | None:
        """The cache's file, opened; None when it cannot be used. A file that is not an SQLite database of
        ours (damaged, or another program's under this name) is replaced once."""
        if self.context is None or (self.path.exists() and not self.path.is_file()):
            return None
        for attempt in (1, 2):
            try:
                return _open(self.path)
            except sqlite3.DatabaseError as err:
                if attempt == 2 or isinstance(err, sqlite3.OperationalError):  # locked, unwritable: left alone
                    return None
                try:
                    self.path.unlink()
                except OSError:
                    return None
            except OSError:
                return None
        return None

    def found(self, entries: list[Entry]) -> dict[str, bytes]:
        """The kept check of each entry whose name and bytes were checked before, in this same context."""
        conn = self._connect()
        if conn is None:
            return {}
        try:
            if conn.execute("SELECT 1 FROM checks WHERE context = ? LIMIT 1", (self.context,)).fetchone() is None:
                return {}  # nothing kept yet (a first run): no file hashed for nothing
            keys = {}
            for entry in entries:
                if sha256 := fingerprint(entry, MAX_FILE):
                    keys[self._key(entry.name, sha256)] = entry.name
            rows = conn.execute("SELECT key, data FROM checks WHERE key IN (SELECT value FROM json_each(?))",
                                (json.dumps(list(keys)),)).fetchall()
        except (sqlite3.Error, OSError):
            return {}
        finally:
            conn.close()
        self._seen = {key for key, _ in rows}
        self.hits = len(rows)
        return {keys[key]: data for key, data in rows}

    def keep(self, checks: list[tuple[str, str, bytes]]) -> None:
        """The checks just made kept — (file name, sha256, frozen check) — and those found by :meth:`found`;
        the other checks of this campaign let go (files no longer in its folder, an earlier context)."""
        conn = self._connect()
        if conn is None:
            return
        rows = [(self._key(name, sha256), self.campaign_id, self.context, data) for name, sha256, data in checks]
        keys = json.dumps(sorted(self._seen | {row[0] for row in rows}))
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("DELETE FROM checks WHERE campaign = ? AND key NOT IN (SELECT value FROM json_each(?))",
                         (self.campaign_id, keys))
            conn.executemany("INSERT OR REPLACE INTO checks (key, campaign, context, data) VALUES (?, ?, ?, ?)", rows)
            conn.execute("COMMIT")
        except (sqlite3.Error, OSError):
            if conn.in_transaction:
                conn.rollback()
        finally:
            conn.close()
