"""What an input folder holds: one :class:`Entry` per name, whatever it is."""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path


@dataclass(frozen=True)
class Entry:
    """One entry of a folder. ``name`` is printable whatever bytes the file system holds (a name
    made on Windows and unpacked elsewhere is shown as Windows wrote it); ``path`` opens it."""

    name: str
    path: Path
    kind: str          # "file", "dir", or "other" (broken link, pipe, device)
    size: int = 0
    mtime: float = 0.0

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()


def display_name(raw: str) -> str:
    """A file name as its author wrote it: bytes that are not UTF-8 (kept by Python as surrogate
    escapes) are read as Windows-1252, the encoding of French Windows archives."""
    try:
        raw.encode("utf-8")
        return raw
    except UnicodeEncodeError:
        data = raw.encode("utf-8", "surrogateescape")
        return data.decode("cp1252", "replace")


def entries(folder: Path) -> list[Entry]:
    """Every entry of ``folder`` (not recursive), sorted by name as a person would."""
    out = []
    for item in os.scandir(folder):
        path = Path(item.path)
        try:
            if item.is_dir():
                kind, stat = "dir", None
            elif item.is_file():
                kind, stat = "file", item.stat()
            else:
                kind, stat = "other", None
        except OSError:
            kind, stat = "other", None
        out.append(Entry(display_name(item.name), path, kind, stat.st_size if stat else 0,
                         stat.st_mtime if stat else 0.0))
    # Two names the file system tells apart may read the same (« abimé.xlsx » in UTF-8 and in Windows-1252; two bytes
    # that Windows-1252 leaves undefined): those not in UTF-8 are then shown with their bytes escaped, so that every
    # entry keeps a name of its own.
    seen = Counter(e.name for e in out)
    out = [replace(e, name=os.fsencode(e.path.name).decode("utf-8", "backslashreplace"))
           if seen[e.name] > 1 and e.name != e.path.name else e for e in out]
    return sorted(out, key=lambda e: (e.name.lower(), e.name))


def fingerprint(entry: Entry, limit: int) -> str:
    """The sha256 of a file that is not read as a workbook (so that it is recorded once); "" when it is
    not a regular file or is larger than ``limit`` bytes."""
    if entry.kind != "file" or entry.size > limit:
        return ""
    try:
        return hashlib.sha256(entry.path.read_bytes()).hexdigest()
    except OSError:
        return ""
