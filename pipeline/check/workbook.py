"""Checks of one returned workbook: its facts (:mod:`pipeline.read.xlsx`) in, messages and raw input
cells out.

Entry point: :func:`check_workbook`. Rows are found by their code and columns by their heading, never
by position. Values are not judged here beyond what only the cell can tell (a formula, a date or
percent format, text standing for a number): the whole batch's raw cells are then checked at once
with pandera (:mod:`pipeline.check.batch`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core import form
from ..core.campaign import Campaign
from ..core.layout import LayoutRow
from ..core.texts import fr
from ..core.texts import value as shown
from ..core.texts.messages import (
    NATURE_IMAGE,
    NATURE_OTHER,
    NATURE_PDF,
    QUOTED,
    SIZE_MB,
    UNREADABLE,
)
from ..core.vocab import Level, Role, Severity
from ..read.xlsx import CellFact, SheetFacts, WorkbookFacts, XmlBroken, XmlRefused, ref
from .identity import attribute_by_name, check_identity, identity_of
from .plan import Plan, norm, plan_of
from .values import MAX_COMMENT, read_comment, read_value

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
MAX_ADDED_ROW_MESSAGES = 20  # per file; beyond, one summary message

@dataclass
class Found:
    """A message: a catalogue code, its parameters, where, and how serious."""

    gravite: str
    code: str
    params: dict
    feuille: str = ""
    cellule: str = ""
    cle: str = ""


@dataclass
class FileCheck:
    """What one entry of the input folder became, before the batch-wide checks."""

    fichier: str
    sha256: str = ""
    societe: str = ""
    feuille: str = ""
    statut: str = ""                 # set here only for entries decided at once (ignored ones)
    messages: list[Found] = field(default_factory=list)
    cells: list[tuple] = field(default_factory=list)     # (cellule, cle, mesure, categorie, brut, nombre)
    comments: list[tuple] = field(default_factory=list)  # (cle, cellule, texte, source)
    total_cell: str = ""

    def add(self, gravite: str, code: str, feuille: str = "", cellule: str = "", cle: str = "",
            **params) -> None:
        self.messages.append(Found(str(gravite), code, params, feuille, cellule, cle))

    @property
    def has_errors(self) -> bool:
        return any(m.gravite == ERROR for m in self.messages)


def _norm_value(v: object) -> str:
    return norm(v) if isinstance(v, str) else ""


CONTAINER_CODES = {"vide": "fichier.vide", "ole": "fichier.ole", "pas_zip": "fichier.pas_zip",
                   "zip_illisible": "fichier.zip_illisible", "volumineux": "fichier.volumineux",
                   "trop_gros": "fichier.trop_gros", "macros": "fichier.macros",
                   "pas_classeur": "fichier.pas_classeur", "xml_dangereux": "fichier.xml_dangereux",
                   "strict": "fichier.strict", "illisible": "fichier.illisible", "chiffre": "fichier.chiffre",
                   "xls_illisible": "fichier.xls_illisible", "opendocument": "fichier.pas_classeur"}


def _nature(head: bytes) -> str:
    if head.startswith(b"%PDF"):
        return NATURE_PDF
    if head[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1", b"GIF8"):
        return NATURE_IMAGE
    return NATURE_OTHER


def check_workbook(facts: WorkbookFacts, campaign: Campaign) -> FileCheck:
    """Every check that one file alone allows."""
    report = FileCheck(facts.name, facts.sha256)
    if facts.problem:
        params = {"nature": _nature(facts.head)} if facts.problem == "pas_zip" else {}
        if facts.problem == "trop_gros":
            params = {"taille": fr(SIZE_MB, taille=round(facts.size / 1024 / 1024))}
        if facts.problem == "illisible":
            params = {"erreur": UNREADABLE}
        report.add(ERROR, CONTAINER_CODES[facts.problem], **params)
        attribute_by_name(report, campaign)  # its name is all that says whose it is
        return report
    try:
        if facts.external_links:
            report.add(WARNING, "fichier.liaisons")
        company = check_identity(report, identity_of(facts), campaign)
        if company is None:
            return report
        report.societe = company
        sheet, header = _find_input_sheet(report, facts)
        if sheet is not None:
            report.feuille = sheet.name
            _read_input_sheet(report, facts, sheet, campaign, header)
        if facts.format == "xls":
            report.add(ERROR, "fichier.xls")
    except XmlRefused:
        report.messages = []
        report.add(ERROR, "fichier.xml_dangereux")
    except XmlBroken:
        report.messages = []
        report.add(ERROR, "fichier.zip_illisible")
    return report


_Header = tuple[int, list[CellFact]]


def _find_input_sheet(report: FileCheck, facts: WorkbookFacts) -> tuple[SheetFacts | None, _Header | None]:
    """The input sheet, and its headings row when looking for the sheet found it already."""
    names = [s.name for s in facts.sheets if s.part]
    if names.count(form.SHEET_INPUT) > 1:
        report.add(ERROR, "feuille.double", n=names.count(form.SHEET_INPUT), saisie=form.SHEET_INPUT)
        return None, None
    if form.SHEET_INPUT in names:
        others = [n for n in names if n not in form.TEMPLATE_SHEETS]
        if others:
            report.add(WARNING, "feuille.ajoutee", n=len(others), feuilles=", ".join(others), saisie=form.SHEET_INPUT)
        return facts.sheet(form.SHEET_INPUT), None
    sheets = [facts.sheet(n) for n in names if n not in (form.SHEET_GUIDE, form.SHEET_FEEDBACK)]
    candidates = [(s, h) for s, h in ((s, _header_row(s)) for s in sheets) if h is not None]
    if len(candidates) == 1:
        sheet, header = candidates[0]
        report.add(WARNING, "feuille.renommee", feuille=sheet.name, nom=sheet.name, saisie=form.SHEET_INPUT)
        return sheet, header
    report.add(ERROR, "feuille.introuvable", saisie=form.SHEET_INPUT,
               presentes=", ".join(s.name for s in facts.sheets))
    return None, None


_CODE, _VALUE_WORD = norm("Code"), "effectif"


def _header_row(sheet: SheetFacts) -> tuple[int, list[CellFact]] | None:
    """The headings row: the first of the top rows with a « Code » heading and an « Effectif… » one."""
    rows: dict[int, list[CellFact]] = {}
    limit, last, group = form.HEADER_SEARCH_ROWS, None, []
    for c in sheet.cells:
        if c.row <= limit and isinstance(c.value, str):
            if c.row != last:  # a row's cells come one after the other
                last = c.row
                group = rows.get(last)
                if group is None:
                    group = rows[last] = []
            group.append(c)
    for r in sorted(rows):
        texts = [norm(c.value) for c in rows[r]]
        if _CODE in texts and any(t.startswith(_VALUE_WORD) for t in texts):
            return r, sorted(rows[r], key=lambda c: c.col)
    return None


def _find_header(report: FileCheck, sheet: SheetFacts, plan: Plan,
                 found_row: _Header | None) -> tuple[int, dict[str, int]] | None:
    """(row, {column key: column number}) of the headings row (``found_row``: when already found). Columns are
    found by their heading; an input column by its exact heading, or by its first word when no other column
    could be it."""
    found_row = found_row or _header_row(sheet)
    if found_row is None:
        return None
    r, cells = found_row
    texts = [(cell, norm(cell.value)) for cell in cells]  # the headings row holds text only
    found: dict[str, int] = {}
    for key, heading in plan.fixed:
        hit = next((cell.col for cell, text in texts if text == heading), None)
        if hit is not None:
            found[key] = hit
    if form.CODE not in found:
        return None
    headings = plan.headings
    for column, heading, prefix in plan.inputs:
        exact = [cell for cell, text in texts if text == heading]
        alike = [cell for cell, text in texts if text.startswith(prefix) and (text == heading or text not in headings)]
        chosen = exact if len(exact) == 1 else alike if not exact and len(alike) == 1 else []
        if not chosen:
            report.add(ERROR, "colonne.ambigue", feuille=sheet.name, cellule=ref(r, (exact or alike)[0].col),
                       entetes=", ".join(fr(QUOTED, texte=c.value) for c in (exact or alike)),
                       attendue=column.heading)
            return None
        found[column.key] = chosen[0].col
        for other in alike:
            if other is not chosen[0]:
                report.add(WARNING, "colonne.ajoutee", feuille=sheet.name, cellule=other.ref, entete=shown(other.value),
                           lue=chosen[0].value)
    return r, found


def _key_of(value: object) -> tuple[str, bool]:
    """The row key in a code cell, and whether it came from a number (Excel drops leading zeros)."""
    if isinstance(value, bool) or value is None:
        return "", False
    if isinstance(value, (int, float)) and float(value).is_integer():
        return f"{int(value):04d}", True
    return str(value).strip(), False


class _Grid:
    """The sheet's cells by row, then by column."""

    def __init__(self, sheet: SheetFacts):
        self.rows: dict[int, dict[int, CellFact]] = {}
        rows, last, by_col = self.rows, None, None
        for c in sheet.cells:  # a row's cells come one after the other
            if c.row != last:
                last = c.row
                by_col = rows.get(last)
                if by_col is None:
                    by_col = rows[last] = {}
            by_col[c.col] = c

    def get(self, row: int, col: int | None) -> CellFact | None:
        return self.rows.get(row, {}).get(col) if col else None


def _read_input_sheet(report: FileCheck, facts: WorkbookFacts, sheet: SheetFacts, campaign: Campaign,
                      found_row: _Header | None = None) -> None:
    name = sheet.name
    plan = plan_of(campaign)
    header = _find_header(report, sheet, plan, found_row)
    if header is None:
        if not report.has_errors:
            report.add(ERROR, "entete.introuvable", feuille=name)
        return
    header_row, columns = header
    grid = _Grid(sheet)
    # An .xls keeps no formula that calamine gives: a total's stored result would look typed.
    found = _scan_rows(report, grid, name, header_row, columns, plan, facts.format != "xls")
    value_cols = [(c, columns[c.key]) for c, _, _ in plan.inputs]
    merged, last = {}, max(grid.rows, default=0)  # rows past the last one with content hold no input
    for r0, c0, r1, c1 in sheet.merged:
        for _, col in value_cols:
            if c0 <= col <= c1 and r1 > header_row:
                for r in range(max(r0, header_row + 1), min(r1, last) + 1):
                    merged[(r, col)] = f"{ref(r0, c0)}:{ref(r1, c1)}"
    for key, row_def in plan.rows:
        rows = found.get(key, [])
        if not rows:
            report.add(ERROR, "ligne.introuvable", feuille=name, cle=key, intitule=row_def.intitule or row_def.emploi)
            continue
        if len(rows) > 1:
            cells = ", ".join(ref(r, columns[form.CODE]) for r in rows)
            report.add(ERROR, "ligne.double", feuille=name, cellule=ref(rows[1], columns[form.CODE]), cle=key,
                       n=len(rows), cellules=cells)
            continue
        r = rows[0]
        by_col = grid.rows.get(r, {})
        for column, col in value_cols:
            if row_def.niveau == Level.DECLARE and not column.is_headcount:
                continue  # the declared total is a headcount only
            where = ref(r, col)
            if (r, col) in merged:
                report.add(ERROR, "cellule.fusionnee", feuille=name, cellule=where, cle=key, zone=merged[(r, col)])
                continue
            cell = by_col.get(col) if col else None
            usable, number = read_value(report, facts, cell, name, where, key)
            if not usable:
                continue
            report.cells.append((where, key, column.mesure, column.categorie, _raw(cell), number))
        if row_def.niveau == Level.DECLARE:
            report.total_cell = ref(r, value_cols[0][1])
        _comments(report, grid, sheet, name, r, columns, key, ref(r, value_cols[0][1]) if value_cols else "")
        if row_def.niveau in (Level.METIER, Level.EMPLOI):
            _check_title(report, grid, name, r, columns, row_def)


def _raw(cell: CellFact | None) -> object:
    """What the cell holds, as the user sees it in the formula bar."""
    if cell is None:
        return None
    if cell.formula is not None:
        return "=" + cell.formula
    return cell.value


def _scan_rows(report: FileCheck, grid: _Grid, sheet: str, header_row: int, columns: dict[str, int],
               plan: Plan, formulas_known: bool = True) -> dict[str, list[int]]:
    """Every row below the headings: the rows of each input key, and what HR added or typed elsewhere."""
    col_code, col_title = columns[form.CODE], columns.get(form.TITLE)
    value_col = columns[form.input_key("effectif", "tout")]
    inputs, structure_keys, structure_labels = plan.input_keys, plan.structure_keys, plan.structure_labels
    found: dict[str, list[int]] = {}
    added = {ERROR: 0, WARNING: 0}
    for r in sorted(grid.rows):
        if r <= header_row:
            continue
        by_col = grid.rows[r]
        code_cell = by_col.get(col_code)
        key, from_number = _key_of(code_cell.value if code_cell is not None else None)
        if key in inputs:
            found.setdefault(key, []).append(r)
            if from_number:
                report.add(WARNING, "code.nombre", feuille=sheet, cellule=code_cell.ref, cle=key,
                           valeur=shown(code_cell.value))
            continue
        values = [c for _, c in sorted(by_col.items()) if _has_content(c)]
        if not values:
            continue
        value_cell = by_col.get(value_col)
        label = _norm_value(by_col[col_title].value) if col_title in by_col else ""
        ours = structure_keys.get(key) if key else structure_labels.get(label)
        if ours is not None:
            if formulas_known:
                _check_structure_value(report, sheet, ours, value_cell)
            continue
        with_number = value_cell is not None and _has_content(value_cell) and value_cell.formula is None
        gravity = ERROR if with_number else WARNING
        added[gravity] += 1
        if added[ERROR] + added[WARNING] > MAX_ADDED_ROW_MESSAGES:
            continue
        content = " | ".join(shown(_raw(c)) for c in values[:8])
        if with_number:
            report.add(ERROR, "ligne.ajoutee_effectif", feuille=sheet, cellule=value_cell.ref, contenu=content)
        else:
            report.add(WARNING, "ligne.ajoutee", feuille=sheet, cellule=ref(r, 1), contenu=content)
    extra = added[ERROR] + added[WARNING] - MAX_ADDED_ROW_MESSAGES
    if extra > 0:
        report.add(ERROR if added[ERROR] > MAX_ADDED_ROW_MESSAGES else WARNING, "lignes.ajoutees_autres",
                   feuille=sheet, n=extra, avec_effectif=added[ERROR])
    return found


def _has_content(cell: CellFact | None) -> bool:
    if cell is None:
        return False
    if cell.formula is not None:
        return True
    return cell.value is not None and str(cell.value).strip() != ""


def _comments(report: FileCheck, grid: _Grid, sheet: SheetFacts, name: str, r: int, columns: dict[str, int],
              key: str, value_cell: str) -> None:
    cell = grid.get(r, columns.get(form.COMMENT))
    text = read_comment(report, cell, name, key, value_cell)
    if text.strip():
        report.comments.append((key, cell.ref, text, "colonne"))
    for (nr, nc), note in sheet.notes.items():
        if nr == r and note:
            report.comments.append((key, ref(nr, nc), note[:MAX_COMMENT], "note"))


def _check_title(report: FileCheck, grid: _Grid, sheet: str, r: int, columns: dict[str, int],
                 row_def: LayoutRow) -> None:
    """Titles edited by HR: the code decides, the change is reported."""
    expected = row_def.intitule if row_def.rang_emploi == 0 else row_def.emploi
    col = columns.get(form.TITLE if row_def.rang_emploi == 0 else form.EMPLOI)
    if not col:
        return
    cell = grid.get(r, col)
    actual = cell.value if cell is not None else None
    if _norm_value(actual) != norm(expected):
        report.add(WARNING, "intitule.modifie", feuille=sheet, cellule=ref(r, col), cle=row_def.cle,
                   actuel=shown(actual), attendu=expected)


def _check_structure_value(report: FileCheck, sheet: str, row: LayoutRow, cell: CellFact | None) -> None:
    """A heading or total row of the template: a value typed there is reported, never used."""
    if cell is None or not _has_content(cell) or cell.formula is not None:
        return
    code = "valeur.sur_titre" if row.role == Role.TITRE else "valeur.sur_total"
    report.add(WARNING, code, feuille=sheet, cellule=cell.ref, valeur=shown(cell.value), intitule=row.intitule)
