"""A file's check (:class:`~pipeline.check.workbook.FileCheck`) as bytes and back, exactly.

What :mod:`pipeline.store.checks` keeps so that a file already checked is not read again. :func:`freeze` gives
``None`` for a check that would not come back identical — a value of a type JSON does not keep (a tuple in a
message's parameters, a date), a float that JSON would turn into an integer: such a file is simply read again
next time. The bytes are compressed JSON, never pickle: reading them back runs no code, whoever wrote them.
"""

from __future__ import annotations

import json
import zlib

from .workbook import FileCheck, Found

FORMAT = 1  # the layout of the frozen list below; part of every cache key (pipeline.store.checks)
MAX_THAWED = 16 * 1024 * 1024  # bytes of JSON a frozen check may hold (some 5 KB for a template's ~200 cells)


def _plain(check: FileCheck) -> list:
    return [check.fichier, check.sha256, check.societe, check.feuille, check.statut, check.total_cell,
            [[m.gravite, m.code, m.params, m.feuille, m.cellule, m.cle] for m in check.messages],
            check.cells, check.comments]


def _exact(a: object, b: object) -> bool:
    """Equal and of the same types all the way down (``1 == 1.0 == True`` for Python, not here)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(map(_exact, a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(_exact(a[k], b[k]) for k in a)
    if isinstance(a, float) and a != a:  # NaN
        return b != b
    return a == b


def _thawed(data: list) -> FileCheck:
    fichier, sha256, societe, feuille, statut, total_cell, messages, cells, comments = data
    return FileCheck(fichier, sha256, societe, feuille, statut, [Found(*m) for m in messages],
                     [tuple(c) for c in cells], [tuple(c) for c in comments], total_cell)


def freeze(check: FileCheck) -> bytes | None:
    """``check`` as bytes that :func:`thaw` turns back into the same check; None when it would not."""
    plain = _plain(check)
    try:
        text = json.dumps(plain, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):
        return None
    if not _exact(_plain(_thawed(json.loads(text))), plain):
        return None
    return zlib.compress(text.encode("utf-8"), 1)


def thaw(data: bytes) -> FileCheck:
    """The check :func:`freeze` gave ``data`` for; a fresh object each time (the batch's checks change it).
    Bytes that are not such a check raise (``ValueError``, ``TypeError``, ``zlib.error``…)."""
    inflate = zlib.decompressobj()
    text = inflate.decompress(data, MAX_THAWED)
    if inflate.unconsumed_tail or not inflate.eof:
        raise ValueError("not a frozen check")
    return _thawed(json.loads(text))
