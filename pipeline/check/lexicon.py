"""The lexicon workbook, reviewed by the observatory, checked and turned into its decisions: titles added,
codes corrected, lines withdrawn. Codes are read as in a review (:func:`pipeline.check.review.typed_code`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ..core import form
from ..core.campaign import Campaign
from ..core.errors import UserError
from ..core.models import DataFrame, validate
from ..core.models_titles import DecisionsLexique
from ..core.texts import console as C
from ..core.texts import fr
from ..core.texts import matching as M
from ..core.vocab import LexiconStatus
from ..read.xlsx import XmlBroken, XmlRefused, read_workbook, ref
from .identity import prop_text
from .review import typed_code


def _rows(path: Path) -> dict[int, dict[int, object]]:
    facts = read_workbook(path)
    try:
        props = {k: prop_text(v) for k, v in facts.properties.items()}
        if facts.problem or form.PROP_LEXICON not in props:
            raise UserError(fr(C.LEXICON_NOT_ONE, nom=path.name))
        try:
            sheet = facts.sheet(form.SHEET_LEXICON)
        except (XmlRefused, XmlBroken, KeyError, IndexError):
            raise UserError(fr(C.REVIEW_NO_SHEET, nom=path.name, feuille=form.SHEET_LEXICON)) from None
    finally:
        facts.close()
    grid: dict[int, dict[int, object]] = {}
    for cell in sheet.cells:
        grid.setdefault(cell.row, {})[cell.col] = cell.value
    return grid


def lexicon_decisions(campaign: Campaign, path: Path,
                      settle: Callable[[str, str], str | None]) -> DataFrame[DecisionsLexique]:
    """intitule, cle, statut: the observatory's decisions (valide: this title goes on this code; retiré: not
    on this one). Unchanged lines give none."""
    grid = _rows(path)
    header_row = next((r for r in sorted(grid) if form.LEXICON_ORIGIN in grid[r].values()), None)
    header = {v: c for c, v in grid.get(header_row, {}).items()}
    try:
        col_title, col_code, col_origin, col_decision = (
            header[h] for h in (form.LEXICON_TITLE, form.LEXICON_CODE, form.LEXICON_ORIGIN, form.LEXICON_DECISION))
    except KeyError:
        raise UserError(fr(C.REVIEW_NO_HEADER, nom=path.name, ligne=form.LEXICON_HEADER_ROW + 1)) from None
    lignes = campaign.nomenclature.lignes
    known = set(lignes["cle"]) | {form.KEY_NV}
    split = set(lignes.loc[lignes["rang_emploi"] > 0, "code_metier"])
    decisions, problems = [], []
    for r in sorted(k for k in grid if k > header_row):
        row = grid[r]
        title = str(row.get(col_title) or "").strip()
        if not title:
            continue
        origin = typed_code(row.get(col_origin))
        code = typed_code(row.get(col_code))
        decision = str(row.get(col_decision) or M.DECISION_KEEP).strip().lower()
        where = f"{form.SHEET_LEXICON}!{ref(r, col_code)}"
        if decision not in (M.DECISION_KEEP, M.DECISION_DELETE):
            problems.append(fr(C.LEXICON_BAD_DECISION, ou=f"{form.SHEET_LEXICON}!{ref(r, col_decision)}",
                               valeur=decision, intitule=title))
            continue
        if decision == M.DECISION_DELETE:
            if origin:
                decisions.append((title, origin, LexiconStatus.WITHDRAWN))
            continue
        if code in split:
            code = settle(title, code) or code
        if code not in known:
            problems.append(fr(C.REVIEW_UNKNOWN_CODE, ou=where, code=code, intitule=title, feuille=form.SHEET_CODES)
                            if code else fr(C.REVIEW_NO_CODE, ou=where, intitule=title))
            continue
        if code != origin:
            decisions.append((title, code, LexiconStatus.VALID))
            if origin:
                decisions.append((title, origin, LexiconStatus.WITHDRAWN))
    if problems:
        raise UserError(fr(C.LEXICON_INCOMPLETE, nom=path.name), problems)
    return validate(DecisionsLexique, pd.DataFrame([(t, k, str(s)) for t, k, s in decisions],
                                                   columns=["intitule", "cle", "statut"]).astype(str))
