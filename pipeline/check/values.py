"""What one input cell stands for: its number, or why it is not one. Only what the cell itself tells
is judged here (a formula and its stored result, a date or percent format, text standing for a number);
the batch checks judge the number."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re

from ..core.texts import value as shown
from ..core.vocab import Severity
from ..read.xlsx import CellFact, WorkbookFacts

ERROR, WARNING = Severity.ERROR, Severity.WARNING
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
_NUMBER_TEXT = re.compile(r"^[+-]?\d+([.,]\d+)?$")
_FORMAT_NOISE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# An error value as a file stores it, and as a French Excel shows it in the cell (LibreOffice shows most the same)
EXCEL_ERRORS_FR = {"#VALUE!": "#VALEUR!", "#NAME?": "#NOM?", "#NUM!": "#NOMBRE!", "#NULL!": "#NUL!",
                   "#DIV/0!": "#DIV/0!", "#REF!": "#REF!", "#N/A": "#N/A"}
MAX_COMMENT = 2_000


def text_number(text: str) -> float | int | None:
    """The number a text stands for (« 1 179 », « 12,5 », « −4 » with the minus sign); None when it is not one."""
    compact = _SPACES.sub("", text).replace("\u2212", "-")
    if not _NUMBER_TEXT.match(compact):
        return None
    number = float(compact.replace(",", "."))
    return int(number) if number.is_integer() else number


def number_format_kind(code: str) -> str:
    """"date", "percent" or "" for a number format code."""
    return _short_format_kind(code) if len(code) <= 64 else _format_kind(code)


@functools.lru_cache(maxsize=1024)  # the returns of a campaign share their styles
def _short_format_kind(code: str) -> str:
    return _format_kind(code)


def _format_kind(code: str) -> str:
    plain = _FORMAT_NOISE.sub("", code).lower()
    if "%" in plain:
        return "percent"
    if plain != "general" and any(ch in plain for ch in "dmyhs"):
        return "date"
    return ""


def read_value(report, facts: WorkbookFacts, cell: CellFact | None, sheet: str, where: str,
                key: str) -> tuple[bool, object]:
    """(usable, number): ``number`` is what the batch checks see; ``usable`` False when reported."""
    if cell is None:
        return True, None
    if cell.formula is not None:
        formula = shown("=" + cell.formula)
        if "[" in cell.formula:
            report.add(ERROR, "formule.liee", feuille=sheet, cellule=where, cle=key, formule=formula)
            return False, None
        result = cell.value
        if cell.kind == "e":
            report.add(ERROR, "formule.erreur", feuille=sheet, cellule=where, cle=key, formule=formula,
                       erreur=EXCEL_ERRORS_FR.get(str(result).upper(), str(result)))
            return False, None
        if cell.kind in ("s", "str", "inlineStr", "b", "d") or result is None or cell.bad_number \
                or not math.isfinite(result):
            report.add(ERROR, "formule.sans_resultat", feuille=sheet, cellule=where, cle=key, formule=formula)
            return False, None
        report.add(WARNING, "formule.retenue", feuille=sheet, cellule=where, cle=key, formule=formula,
                   valeur=shown(result))
        return True, result
    raw = cell.value
    if cell.kind == "e":
        return True, _Tagged("erreur", raw)
    if cell.kind == "b":
        return True, _Tagged("logique", raw)
    if cell.kind == "d":
        return True, _Tagged("date", raw)
    if cell.bad_number:
        return True, raw
    if isinstance(raw, float) and not math.isfinite(raw):
        return True, _Tagged("non_finie", "NaN" if raw != raw else ("+inf" if raw > 0 else "-inf"))
    if isinstance(raw, str):
        converted = text_number(raw)
        if converted is None:
            return True, None if raw.strip() == "" else raw
        if float(converted).is_integer() and converted >= 0:
            report.add(WARNING, "valeur.texte_lu", feuille=sheet, cellule=where, cle=key, texte=shown(raw),
                       valeur=shown(converted))
        return True, converted
    kind = number_format_kind(facts.number_format(cell.style))
    if kind == "date":
        try:
            return True, _Tagged("date", EXCEL_EPOCH + dt.timedelta(days=float(raw)))
        except (OverflowError, ValueError):
            return True, _Tagged("date", raw)
    if kind == "percent" and not float(raw).is_integer():  # « 5 % » typed: a share, not people
        report.add(ERROR, "valeur.pourcentage_saisi", feuille=sheet, cellule=where, cle=key,
                   affiche=shown(round(float(raw) * 100, 10)))
        return False, None
    if kind == "percent" and float(raw).is_integer():
        report.add(WARNING, "valeur.pourcentage", feuille=sheet, cellule=where, cle=key,
                   affiche=shown(int(raw) * 100), valeur=shown(int(raw)))
    return True, raw


class _Tagged:
    """A value that is not a number for a reason the message names (a date, a boolean, an error)."""

    __slots__ = ("kind", "value")

    def __init__(self, kind: str, value: object):
        self.kind, self.value = kind, value

    def __repr__(self) -> str:
        return f"{self.kind}:{self.value!r}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Tagged) and (self.kind, self.value) == (other.kind, other.value)

    def __hash__(self) -> int:
        return hash((self.kind, repr(self.value)))


def tagged_kind(v: object) -> tuple[str, object] | None:
    return (v.kind, v.value) if isinstance(v, _Tagged) else None


def read_comment(report, cell: CellFact | None, sheet: str, key: str, value_cell: str) -> str:
    """The text of a row's Commentaire cell, cut to :data:`MAX_COMMENT` characters. A number typed there
    (a headcount in the wrong column: 12, or the text "12") is reported with where it belongs."""
    value = None if cell is None else cell.value
    if value is None:
        return ""
    figure = value if isinstance(value, (int, float)) and not isinstance(value, bool) else \
        text_number(value) if isinstance(value, str) else None
    if figure is not None and (not isinstance(figure, float) or math.isfinite(figure)):
        report.add(WARNING, "commentaire.nombre", feuille=sheet, cellule=cell.ref, cle=key, valeur=value,
                   effectif=value_cell)
    text = str(value)
    if len(text) > MAX_COMMENT:
        report.add(WARNING, "commentaire.long", feuille=sheet, cellule=cell.ref, cle=key, n=len(text), max=MAX_COMMENT)
        text = text[:MAX_COMMENT]
    return text
