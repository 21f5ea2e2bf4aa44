"""Files the web front keeps, readable by their owner only, under names it makes from what a browser sent."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from pathlib import Path

from ..core.campaign import slug


def owner_only(*paths: Path | None) -> None:
    """Files holding a company's own figures (history, checks kept, internal consolidation, control report, returns,
    templates with their N−1 reminder): readable by their owner only on a shared server (only the published edition
    is meant to be shared). A folder: each file in it. Another user's file (a run under sudo once) is left as its
    owner set it; nothing here raises (it runs while a run stops on an error, which it must not hide)."""
    for path in (p for p in paths if p is not None):
        with contextlib.suppress(OSError):
            for file in (sorted(path.iterdir()) if path.is_dir() else [path]):
                with contextlib.suppress(OSError):
                    if file.is_file():
                        file.chmod(0o600)


def private_dir(path: Path) -> Path:
    """A folder readable by its owner only."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def write_private(path: Path, data: bytes) -> Path:
    """A new file readable by its owner only (never following or replacing an existing one)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    return path


def safe_name(raw: str) -> str:
    """A file name made from what a browser sent: its last part only, ASCII letters, digits, '-' and '_', with a
    short lowercase extension; never empty, never hidden."""
    base = re.split(r"[\\/]", raw or "")[-1]
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    ext = re.sub(r"[^a-z0-9]", "", ext.lower())[:5]
    return (slug(stem, 80) or "fichier") + (f".{ext}" if ext else "")


def aside_path(folder: Path, moment: dt.datetime, name: str) -> Path:
    """Where a file set aside at ``moment`` goes: « 20261129-052000-name », « 20261129-052000-2-name »… when
    several are set aside in one second."""
    path, n = folder / f"{moment:%Y%m%d-%H%M%S}-{name}", 1
    while path.exists():
        n += 1
        path = folder / f"{moment:%Y%m%d-%H%M%S}-{n}-{name}"
    return path
