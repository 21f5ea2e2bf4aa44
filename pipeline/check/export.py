"""A company's HR export, checked: its distinct job titles with their headcount, and what was left out of them
(a total line), said in information lines."""

from __future__ import annotations

import numbers
import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from ..core.errors import UserError
from ..core.models import DataFrame, validate
from ..core.models_titles import IntitulesExport
from ..core.texts import console as C
from ..core.texts import fr
from ..read.export import ExportSheet

TITLE_COLUMNS = ["intitulé de poste", "intitule de poste", "intitulé du poste", "intitulé", "intitule", "poste",
                 "emploi", "libellé emploi", "libelle emploi", "libellé du poste", "fonction", "job title"]
# A headcount column, by its folded name: « Effectif au 01/07/2027 », « Nb de salariés », « Nombre de personnes »,
# « Total », « Headcount »… — and an FTE column, which counts no people: « ETP », « Effectif en ETP », « FTE ».
_PEOPLE = r"(salaries?|personnes?|collaborat(eur|rice)s?|employes?|agents?|individus?|titulaires?)"
COUNT_HEADER = re.compile(rf"effectifs?( .*)?|head ?count( .*)?|nb|nbre|nombre|total|count"
                          rf"|(nb|nbre|nombre|total)( total)?( de| d)? {_PEOPLE}( .*)?")
FTE_HEADER = re.compile(r"\b(etp|fte|e t p|equivalents? temps plein)\b")
# Columns whose numbers are no headcount: identifiers and dates (a per-employee export's « Matricule »).
NOT_A_COUNT = re.compile(r"(matricule|id|identifiant|code|numero|num|n|no|date|annee)\b.*")
TOTAL_TITLE = re.compile(r"^(sous )?total\b")  # « Total », « TOTAL général », « Sous-total Finance »…
NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
HEADER_ROWS = 20  # the header is looked for in the first rows of each sheet


@dataclass(frozen=True)
class ExportTitles:
    titles: DataFrame[IntitulesExport]
    notes: list[str]  # information lines: what was read, and what was left out and why


def fold(text: object) -> str:
    """A header or a title folded: no accents, lower case, punctuation as spaces, words single-spaced."""
    ascii_text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).split())


def number_in(raw: object) -> float | None:
    """The number a cell holds (« 1 234 », « 3,0 », 12.0), or None."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, numbers.Real):
        return float(raw)
    text = str(raw).replace(",", ".").replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    return float(text) if NUMBER.fullmatch(text) else None


def export_titles(sheets: list[ExportSheet], name: str, title_column: str | None = None,
                  count_column: str | None = None, per_employee: bool = False) -> ExportTitles:
    """Distinct titles (``intitule``) with their headcount (``effectif``). Columns are found by name
    (French defaults, or the names given); without a headcount column every row is one employee, but a column of
    numbers not named as a headcount is refused unless ``per_employee`` says each line is one person. A total
    line is left out, and said so; a line with people but no title, or a title with no headcount, is refused."""
    if not any(sheet.rows for sheet in sheets):
        raise UserError(fr(C.EXPORT_EMPTY, nom=name))
    found = _header(sheets, title_column)
    if found is None:
        first = next(sheet.rows[0][1] for sheet in sheets if sheet.rows)
        present = fr(C.EXPORT_COLUMNS, colonnes=", ".join(str(h) for h in first if h not in (None, "")))
        where = fr(C.EXPORT_HEADER_WHERE, n=HEADER_ROWS)
        if title_column:
            raise UserError(fr(C.EXPORT_NO_COLUMN, nom=name, colonne=title_column), [present, where])
        raise UserError(fr(C.EXPORT_NO_TITLES, nom=name), [present, C.EXPORT_NAME_IT, where])
    sheet, at, t = found
    rows = sheet.rows[at:]
    notes = _header_notes(sheets, sheet, at)
    header_line, header_cells = rows[0]
    header = [fold(h) for h in header_cells]

    if per_employee and count_column:
        raise UserError(C.EXPORT_PER_EMPLOYEE_AND_COUNT)
    if count_column:
        if fold(count_column) not in header:
            present = fr(C.EXPORT_COLUMNS, colonnes=", ".join(str(h) for h in header_cells if h not in (None, "")))
            raise UserError(fr(C.EXPORT_NO_COLUMN, nom=name, colonne=count_column), [present])
        c = header.index(fold(count_column))
        if FTE_HEADER.search(header[c]):
            raise _fte_refusal(name, header_cells[c])
    else:
        c = None if per_employee else _count_column(name, header_cells, t, rows[1:])
    records, problems, totals = [], [], []
    for line, r in rows[1:]:
        title = str(r[t]).strip() if t < len(r) and r[t] is not None else ""
        raw = (r[c] if c < len(r) else None) if c is not None else 1
        if TOTAL_TITLE.match(fold(title)):
            totals.append((line, title, raw))
            continue
        if raw is None or str(raw).strip() == "":
            if title:
                problems.append(fr(C.EXPORT_COUNT_MISSING, ligne=line, intitule=title))
            continue
        count = number_in(raw)
        if count is None:
            problems.append(fr(C.EXPORT_COUNT_UNREADABLE, ligne=line, valeur=raw, intitule=title))
        elif not count.is_integer() or count < 0:
            problems.append(fr(C.EXPORT_COUNT_INVALID, ligne=line, valeur=raw, intitule=title))
        elif not title:
            if count:
                problems.append(fr(C.EXPORT_NO_TITLE, ligne=line, personnes=int(count)))
        else:
            records.append((title, int(count)))
    if problems:
        raise UserError(fr(C.EXPORT_BAD_LINES, nom=name, n=len(problems)), problems)
    if not records:
        raise UserError(fr(C.EXPORT_NO_DATA, nom=name, ligne=header_line), [C.EXPORT_NO_DATA_HELP])
    people = sum(n for _, n in records)
    notes += [_total_note(line, title, raw, people if len(totals) == 1 else None, counted=c is not None)
              for line, title, raw in totals]
    df = pd.DataFrame(records, columns=["intitule", "effectif"]).astype({"intitule": str, "effectif": int})
    return ExportTitles(validate(IntitulesExport, df.groupby("intitule", sort=True, as_index=False)["effectif"].sum()),
                        notes)


def _header(sheets: list[ExportSheet], title_column: str | None) -> tuple[ExportSheet, int, int] | None:
    """Where the header is: the first sheet with a title column (the one given, or a usual name) in one of its
    first rows (an SIRH export's title lines, a « Sommaire » sheet before the data); its row, the title column."""
    wanted = [fold(title_column)] if title_column else [fold(w) for w in TITLE_COLUMNS]
    for sheet in sheets:
        for at, (_, cells) in enumerate(sheet.rows[:HEADER_ROWS]):
            header = [fold(h) for h in cells]
            for candidate in wanted:
                if candidate in header:
                    return sheet, at, header.index(candidate)
    return None


def _header_notes(sheets: list[ExportSheet], sheet: ExportSheet, at: int) -> list[str]:
    """What is not read: the lines above the header, the workbook's other sheets."""
    notes = []
    if at:
        where = fr(C.EXPORT_HEADER_SHEET, feuille=sheet.name) if sheet.name is not None else ""
        notes.append(fr(C.EXPORT_HEADER_AT, ligne=sheet.rows[at][0], feuille=where, n=at))
    others = [f"« {s.name} »" for s in sheets if s is not sheet and s.rows]
    if others:
        notes.append(fr(C.EXPORT_OTHER_SHEETS, feuille=sheet.name, n=len(others), feuilles=", ".join(others)))
    return notes


def _total_note(line: int, title: str, raw: object, others: int | None, counted: bool) -> str:
    """The information line of a total line left out; when it is the only one, whether it agrees with the rest."""
    if not counted:
        return fr(C.EXPORT_TOTAL_LEFT, ligne=line, intitule=title)
    figure = number_in(raw)
    note = fr(C.EXPORT_TOTAL_LEFT_COUNT, ligne=line, intitule=title, valeur=raw)
    if others is not None and figure is not None and figure != others:
        note += fr(C.EXPORT_TOTAL_DIFFERS, somme=others)
    return note


def _fte_refusal(name: str, column: object) -> UserError:
    return UserError(fr(C.EXPORT_FTE, nom=name, colonne=column), [C.EXPORT_FTE_HELP, C.EXPORT_FTE_PER_EMPLOYEE])


def _count_column(name: str, cells: list[object], t: int, data: list[tuple[int, list[object]]]) -> int | None:
    """The headcount column found by its name; None when there is none and no other column holds numbers on most
    lines (each line is then one employee). A column of numbers with another name is refused, never ignored."""
    header = [fold(h) for h in cells]
    named = [j for j, h in enumerate(header) if j != t and COUNT_HEADER.fullmatch(h) and not FTE_HEADER.search(h)]
    if len(named) > 1:
        raise UserError(fr(C.EXPORT_COUNT_AMBIGUOUS, nom=name, colonnes=", ".join(f"« {cells[j]} »" for j in named)),
                        [C.EXPORT_COUNT_CHOOSE])
    if named:
        return named[0]
    lines = [r for _, r in data if t < len(r) and str(r[t] or "").strip() and not TOTAL_TITLE.match(fold(r[t]))]
    width = max([len(cells)] + [len(r) for r in lines])
    heads = header + [""] * (width - len(header))
    numeric = [j for j in range(width) if j != t and not NOT_A_COUNT.fullmatch(heads[j])
               and 2 * sum(j < len(r) and number_in(r[j]) is not None for r in lines) > len(lines)]
    counts = [j for j in numeric if not FTE_HEADER.search(heads[j])]
    if counts and heads[counts[0]]:
        column = cells[counts[0]]
        raise UserError(fr(C.EXPORT_NUMBERS_UNNAMED, nom=name, colonne=column),
                        [fr(C.EXPORT_USE_COLUMN, colonne=column), C.EXPORT_USE_PER_EMPLOYEE])
    if counts:
        raise UserError(fr(C.EXPORT_NUMBERS_UNTITLED, nom=name, n=counts[0] + 1),
                        [C.EXPORT_NAME_COUNT, C.EXPORT_USE_PER_EMPLOYEE])
    if numeric:
        raise _fte_refusal(name, cells[numeric[0]])
    return None
