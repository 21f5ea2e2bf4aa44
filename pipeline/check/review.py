"""A review workbook of the job-title assistant, filled by HR, checked and turned into the figures of the
company's template (headcount per row key, and a comment listing the titles placed on each row)."""

from __future__ import annotations

from pathlib import Path

from ..core import form
from ..core.campaign import Campaign
from ..core.errors import UserError
from ..core.texts import console as C
from ..core.texts import fr
from ..read.xlsx import XmlBroken, XmlRefused, read_workbook, ref
from .identity import prop_text


def review_to_values(campaign: Campaign, path: Path) -> tuple[str, dict[str, int], dict[str, str]]:
    """(company, headcount per row key of the template, comment per row key)."""
    facts = read_workbook(path)
    try:
        if facts.problem:
            raise UserError(fr(C.REVIEW_UNREADABLE, chemin=path))
        props = {k: prop_text(v) for k, v in facts.properties.items()}
        if form.PROP_REVIEW not in props or props.get(form.PROP_CAMPAIGN) != campaign.identifiant:
            raise UserError(fr(C.REVIEW_NOT_ONE, nom=path.name, campagne=campaign.identifiant))
        company = props.get(form.PROP_COMPANY, "")
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
    header_row = form.REVIEW_HEADER_ROW + 1
    header = {v: c for c, v in grid.get(header_row, {}).items()}
    try:
        col_title, col_count, col_kept = (header[h] for h in (form.REVIEW_TITLE, form.REVIEW_COUNT, form.REVIEW_KEPT))
    except KeyError:
        raise UserError(fr(C.REVIEW_NO_HEADER, nom=path.name, ligne=header_row)) from None
    known = set(campaign.nomenclature.lignes["cle"]) | {form.KEY_NV}
    values: dict[str, int] = {}
    placed: dict[str, list[str]] = {}
    problems = []
    for r in sorted(k for k in grid if k > header_row):
        row = grid[r]
        title = row.get(col_title)
        if title in (None, ""):
            continue
        kept = row.get(col_kept)
        key = f"{int(kept):04d}" if isinstance(kept, (int, float)) and not isinstance(kept, bool) else \
            str(kept or "").strip()
        key = form.KEY_NV if key.lower() in ("nv", "non ventilé", "non ventile") else key
        where = f"{form.SHEET_REVIEW}!{ref(r, col_kept)}"
        if not key:
            problems.append(fr(C.REVIEW_NO_CODE, ou=where, intitule=title))
            continue
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
    if problems:
        raise UserError(fr(C.REVIEW_INCOMPLETE, nom=path.name), problems)
    values[form.KEY_TOTAL] = sum(values.values())
    comments = {k: fr(C.REVIEW_COMMENT, intitules=", ".join(v))[:1000] for k, v in placed.items()}
    return company, values, comments
