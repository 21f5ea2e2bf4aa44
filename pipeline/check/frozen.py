"""A file's check (:class:`~pipeline.check.workbook.FileCheck`) as bytes and back, exactly.

What :mod:`pipeline.store.checks` keeps so that a file already checked is not read again. :func:`freeze` gives
``None`` for a check that would not come back identical — a value of a type JSON does not give back (a tuple in
a message's parameters, a date): such a file is simply read again next time. The bytes are compressed JSON, never
pickle: reading them back runs no code, whoever wrote them.
"""

from __future__ import annotations

import json
import zlib
from itertools import chain

from ..core.vocab import Severity
from .workbook import FileCheck, Found

FORMAT = 1  # the layout of the frozen list below; part of every cache key (pipeline.store.checks)
MAX_THAWED = 16 * 1024 * 1024  # bytes of JSON a frozen check may hold (some 2 KB for a return's input cells)


def _plain(check: FileCheck) -> list:
    return [check.fichier, check.sha256, check.societe, check.feuille, check.statut, check.total_cell,
            [[m.gravite, m.code, m.params, m.feuille, m.cellule, m.cle] for m in check.messages],
            check.cells, check.comments]


SCALARS = frozenset({str, int, float, bool, type(None)})  # what JSON gives back as it was (NaN and ±inf included)
SEVERITIES = frozenset(map(str, Severity))
CELL, COMMENT = 6, 4  # items of a cell (cellule, cle, mesure, categorie, brut, nombre) and of a comment


def _keeps(check: FileCheck) -> bool:
    """Whether JSON gives ``check`` back as it is: its cells and comments tuples of scalars, each message's
    parameters named by strings and holding scalars or lists of scalars (a tuple would come back a list, a date
    not at all). Checked by type rather than by a round trip: a tenth of the time, for every file read."""
    for rows in (check.cells, check.comments):  # the types of the values taken in C: a return holds some 250
        if not {tuple}.issuperset(map(type, rows)) or not SCALARS.issuperset(map(type, chain.from_iterable(rows))):
            return False
    for m in check.messages:
        if type(m.params) is not dict or not all(type(k) is str for k in m.params):
            return False
        for v in m.params.values():
            if type(v) not in SCALARS and not (type(v) is list and all(type(x) in SCALARS for x in v)):
                return False
    texts = (check.fichier, check.sha256, check.societe, check.feuille, check.statut, check.total_cell)
    return all(type(t) is str for t in texts) and all(
        type(t) is str for m in check.messages for t in (m.gravite, m.code, m.feuille, m.cellule, m.cle))


def _sound(check: FileCheck) -> bool:
    """What a file's check is, before the batch's checks: what JSON keeps (:func:`_keeps`), cells and comments
    of their sizes, messages of a known severity, no status yet (the batch gives it)."""
    return (_keeps(check) and all(len(c) == CELL for c in check.cells)
            and all(len(c) == COMMENT for c in check.comments) and check.statut == ""
            and all(m.gravite in SEVERITIES for m in check.messages))


def _thawed(data: list) -> FileCheck:
    fichier, sha256, societe, feuille, statut, total_cell, messages, cells, comments = data
    return FileCheck(fichier, sha256, societe, feuille, statut, [Found(*m) for m in messages],
                     [tuple(c) for c in cells], [tuple(c) for c in comments], total_cell)


def freeze(check: FileCheck) -> bytes | None:
    """``check`` as bytes that :func:`thaw` turns back into the same check; None when it would not."""
    if not _sound(check):
        return None
    try:
        text = json.dumps(_plain(check), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except (TypeError, ValueError):  # ValueError: a lone surrogate, which UTF-8 cannot hold
        return None
    return zlib.compress(text, 1)


def thaw(data: bytes) -> FileCheck:
    """The check :func:`freeze` gave ``data`` for; a fresh object each time (the batch's checks change it).
    Bytes that are not such a check raise (``ValueError``, ``TypeError``, ``zlib.error``, ``RecursionError``…),
    whatever they hold: a check of the wrong shape would stop the batch's checks further on."""
    inflate = zlib.decompressobj()
    text = inflate.decompress(data, MAX_THAWED)
    if inflate.unconsumed_tail or not inflate.eof:
        raise ValueError("not a frozen check")
    check = _thawed(json.loads(text))
    if not _sound(check):
        raise ValueError("not a file's check")
    return check
