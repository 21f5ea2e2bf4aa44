"""A review workbook of the job-title assistant, filled by HR, checked and turned into the figures of the
company's template (headcount per row key, a comment listing the titles placed on each row) and into the
titles HR confirmed, for the lexicon.

Codes are read as HR type them: 103, "103" and "0103" are the same code; "nv" is NV; the code of a métier
split into emplois ("0101") is accepted when the title settles the emploi, otherwise a message offers the
emplois.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..core import form
from ..core.campaign import Campaign
from ..core.errors import UserError
from ..core.models import DataFrame, validate
from ..core.models_titles import IntitulesCodes
from ..core.texts import console as C
from ..core.texts import fr
from ..core.texts import matching as M
from ..read.xlsx import XmlBroken, XmlRefused, read_workbook, ref
from .identity import prop_text

NOT_VENTILATED = ("nv", "non ventilé", "non ventile", "non ventilés", "non ventiles")
TYPED = re.compile(r"^(\d{1,4})(?:\s*[-.]\s*(\d))?$")


@dataclass(frozen=True)
class Reviewed:
    company: str
    values: dict[str, int]          # headcount per row key of the template, and TOTAL
    comments: dict[str, str]        # per row key: the titles placed on it
    titles: DataFrame[IntitulesCodes]  # what HR confirmed, for the lexicon


def typed_code(value: object) -> str:
    """A code as HR typed it, written the template's way: 103, "103 ", "0103" -> "0103"; "101-2" -> "0101-2"."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = f"{int(value)}" if float(value).is_integer() else str(value)
    text = str(value or "").strip()
    if text.lower() in NOT_VENTILATED:
        return form.KEY_NV
    found = TYPED.match(text)
    if found:
        return found.group(1).zfill(4) + (f"-{found.group(2)}" if found.group(2) else "")
    return text.upper() if text.lower() == form.KEY_NV.lower() else text


def _grid(campaign: Campaign, path: Path) -> tuple[str, dict[int, dict[int, object]]]:
    facts = read_workbook(path)
    try:
        if facts.problem:
            raise UserError(fr(C.REVIEW_UNREADABLE, chemin=path))
        props = {k: prop_text(v) for k, v in facts.properties.items()}
        if form.PROP_REVIEW not in props or props.get(form.PROP_CAMPAIGN) != campaign.identifiant:
            raise UserError(fr(C.REVIEW_NOT_ONE, nom=path.name, campagne=campaign.identifiant))
        if form.SHEET_REVIEW not in [s.name for s in facts.sheets]:
            raise UserError(fr(C.REVIEW_NO_SHEET, nom=path.name, feuille=form.SHEET_REVIEW))
        try:
            sheet = facts.sheet(form.SHEET_REVIEW)
        except (XmlRefused, XmlBroken):
            raise UserError(fr(C.REVIEW_UNREADABLE, chemin=path)) from None
    finally:
        facts.close()
    grid: dict[int, dict[int, object]] = {}
    for cell in sheet.cells:
        grid.setdefault(cell.row, {})[cell.col] = cell.value
    return props.get(form.PROP_COMPANY, ""), grid


def review_to_values(campaign: Campaign, path: Path, settle: Callable[[str, str], str | None]) -> Reviewed:
    """``settle(title, code)``: the emploi row a title points to within a split métier, or None."""
    company, grid = _grid(campaign, path)
    header_row = next((r for r in sorted(grid) if form.REVIEW_KEPT in grid[r].values()), None)
    header = {v: c for c, v in grid.get(header_row, {}).items()}
    try:
        col_title, col_count, col_kept = (header[h] for h in (form.REVIEW_TITLE, form.REVIEW_COUNT, form.REVIEW_KEPT))
    except KeyError:
        raise UserError(fr(C.REVIEW_NO_HEADER, nom=path.name, ligne=form.REVIEW_HEADER_ROW + 1)) from None
    lignes = campaign.nomenclature.lignes
    known = set(lignes["cle"]) | {form.KEY_NV}
    split = {code: list(zip(rows["cle"], rows["intitule_emploi"]))
             for code, rows in lignes[lignes["rang_emploi"] > 0].groupby("code_metier")}
    values: dict[str, int] = {}
    placed: dict[str, list[str]] = {}
    confirmed, problems = [], []
    for r in sorted(k for k in grid if k > header_row):
        row = grid[r]
        title = row.get(col_title)
        if title in (None, ""):
            continue
        title = str(title)
        key = typed_code(row.get(col_kept))
        where = f"{form.SHEET_REVIEW}!{ref(r, col_kept)}"
        if not key:
            problems.append(fr(C.REVIEW_NO_CODE, ou=where, intitule=title))
            continue
        if key in split:
            settled = settle(title, key)
            if settled is None:
                choice = M.EMPLOI_OR.join(fr(M.EMPLOI_CHOICE, cle=k, emploi=e) for k, e in split[key])
                problems.append(fr(M.EMPLOI_UNSETTLED, ou=where, code=key, choix=choice, intitule=title))
                continue
            key = settled
        if key not in known:
            problems.append(fr(C.REVIEW_UNKNOWN_CODE, ou=where, code=key, intitule=title, feuille=form.SHEET_CODES))
            continue
        count = row.get(col_count)
        if not isinstance(count, (int, float)) or isinstance(count, bool) or count < 0 or not float(count).is_integer():
            problems.append(fr(C.REVIEW_BAD_COUNT, ou=f"{form.SHEET_REVIEW}!{ref(r, col_count)}", valeur=count,
                               intitule=title))
            continue
        values[key] = values.get(key, 0) + int(count)
        placed.setdefault(key, []).append(f"{title} ({int(count)})")
        confirmed.append((title, key))
    if problems:
        raise UserError(fr(C.REVIEW_INCOMPLETE, nom=path.name), problems)
    values[form.KEY_TOTAL] = sum(values.values())
    comments = {k: fr(C.REVIEW_COMMENT, intitules=", ".join(v))[:1000] for k, v in placed.items()}
    return Reviewed(company, values, comments,
                    validate(IntitulesCodes, pd.DataFrame(confirmed, columns=["intitule", "cle"]).astype(str)))
