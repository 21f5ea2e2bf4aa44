"""The checks of returned files, kept from one run to the next: a file already checked is not read again.

The secretary runs ``controler`` and ``consolider`` again and again while the returns come in, and each run
checks every file of the folder. Reading and checking a return takes some 4 to 8 ms of CPU; a check kept here
is found again from the file's sha256 and thawed (:mod:`pipeline.check.frozen`) in a tenth of a millisecond.

A check is kept under a key made of everything it depends on: the file's name and bytes (sha256), the campaign
as the run loaded it (every field of it and of its nomenclature, taken from the objects in memory rather than from
their files, which may have changed since), and the tool itself — the bytes of every file of the package and the
versions of Python, libxml2 and the readers' libraries — so that a changed campaign, a new release or an edited
source reads every file again. A check that would not thaw identical is not kept; kept bytes that do not thaw as
a check of that very file are not used (the file is read).

A separate SQLite file beside the history (:data:`NAME`), disposable: missing, damaged, locked or unwritable, it is
put aside (a damaged one replaced) and the files are read, as without it — it never stops a run; one written by
another version of this module is left as it is. It holds the companies' figures as the history does: readable by
its owner only, the rows let go overwritten. After a run it holds, for that campaign, the checks of the files then
in its folder; those made by another version of the tool are let go, whatever their campaign.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import sqlite3
import sys
from importlib import metadata
from pathlib import Path

import pandas as pd
from lxml import etree

from ..check.frozen import FORMAT
from ..core.campaign import Campaign
from ..read.folder import Entry, fingerprint
from ..read.xlsx import MAX_FILE

NAME = "cache-controles.sqlite"
SCHEMA = 1  # PRAGMA user_version of the file; another one (another version of this module): left alone
TIMEOUT = 1  # seconds waited for another run's write (a few ms, 0.5 s at 10,000 files) before going without
COLUMNS = ["key", "campaign", "tool", "context", "data"]
READERS = ("lxml", "python-calamine")  # libraries whose version may change what a file reads as


@functools.cache
def tool_digest() -> str | None:
    """What the tool is: every file of the package (not its bytecode), the versions of Python, of the readers'
    libraries and of the libxml2 lxml runs on; None when a file of the package cannot be read (no cache then)."""
    digest = hashlib.sha256(f"{FORMAT}\0{sys.version}\0libxml2={etree.LIBXML_VERSION}\0".encode())
    for name in READERS:
        try:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=?\0".encode())
    package = Path(__file__).resolve().parents[1]
    try:
        for path in sorted(package.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    except OSError:
        return None
    return digest.hexdigest()


def _feed(digest, value: object) -> None:
    if isinstance(value, pd.DataFrame):
        digest.update(value.to_json(orient="split", date_format="iso", default_handler=repr).encode())
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.compare:  # a dataclass's own caches are left out of its comparisons (Nomenclature.cache)
                digest.update(f.name.encode() + b"=")
                _feed(digest, getattr(value, f.name))
    else:
        digest.update(repr(value).encode("utf-8", "surrogatepass"))
    digest.update(b"\0")


def campaign_digest(campaign: Campaign) -> str:
    """Every field of the campaign as the checks see it — its companies, breakdowns, nomenclature (every field of
    those too): the objects in memory, not the files, which may have changed since they were loaded."""
    digest = hashlib.sha256()
    _feed(digest, campaign)
    return digest.hexdigest()


class _Foreign(Exception):
    """The cache's file is of another version of the tool: left as it is."""


def _open(path: Path) -> sqlite3.Connection:
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))  # created private, as the history
    conn = sqlite3.connect(path, timeout=TIMEOUT, isolation_level=None)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA):
            raise _Foreign(version)
        conn.execute("PRAGMA secure_delete = ON")  # the companies' figures of a check let go are overwritten
        if version == 0:
            conn.execute("CREATE TABLE IF NOT EXISTS checks (key TEXT PRIMARY KEY, campaign TEXT NOT NULL, "
                         "tool TEXT NOT NULL, context TEXT NOT NULL, data BLOB NOT NULL)")
            conn.execute("CREATE INDEX IF NOT EXISTS checks_context ON checks (context)")
            conn.execute(f"PRAGMA user_version = {SCHEMA}")
        if [row[1] for row in conn.execute("PRAGMA table_info(checks)")] != COLUMNS:
            raise sqlite3.DatabaseError("a table of checks of another shape")  # replaced, as a damaged file
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
        self.tool = tool_digest()
        self.context = None if self.tool is None else hashlib.sha256(
            f"{self.tool}\0{campaign_digest(campaign)}".encode()).hexdigest()
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
            except _Foreign:
                return None
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
        rows = [(self._key(name, sha256), self.campaign_id, self.tool, self.context, data)
                for name, sha256, data in checks]
        keys = json.dumps(sorted(self._seen | {row[0] for row in rows}))
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("DELETE FROM checks WHERE (campaign = ? AND key NOT IN (SELECT value FROM json_each(?))) "
                         "OR tool != ?", (self.campaign_id, keys, self.tool))
            conn.executemany("INSERT OR REPLACE INTO checks (key, campaign, tool, context, data) "
                             "VALUES (?, ?, ?, ?, ?)", rows)
            conn.execute("COMMIT")
        except (sqlite3.Error, OSError):
            if conn.in_transaction:
                conn.rollback()
        finally:
            conn.close()
