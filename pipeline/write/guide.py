"""The « Mode d'emploi » sheet of a company's template: what HR read before filling it in (the texts are
:mod:`pipeline.core.texts.guide`'s), with what changed in the nomenclature since the previous campaign."""

from __future__ import annotations

from ..compute.evolution import groups_between
from ..core import form
from ..core.campaign import Campaign
from ..core.nomenclature import Nomenclature
from ..core.texts import fr
from ..core.texts import labels as L
from ..core.texts.guide import CHANGE_FAMILY, change_items, guide
from ..core.vocab import Change
from .xlsx import Rows, a4, add_format, page_breaks, row_height


def printed(campaign: Campaign, company: str, identity: str) -> tuple[tuple[str, str, str], ...]:
    """What the pages of the guide and of the input sheet print in their header and footer (``a4``'s title, right
    and footer)."""
    return ((company, fr(L.TEMPLATE_RETURN_BY, date=campaign.date_limite), identity),
            (company, campaign.libelle, identity))


def changes(campaign: Campaign) -> list[tuple[Change, list[tuple[str, str]], list[tuple[str, str]]]]:
    """What changed in the nomenclature since the previous campaign (``campaign.nomenclature_precedente``): each
    change of its correspondence table, and each métier that kept its code under a new title, as (change, métiers
    before, métiers now), the métiers as (code, title); none when the nomenclature is the previous one's. In the
    order of the codes, what an old code becomes before what a new métier reusing it is. Computed once per pair of
    nomenclatures (every company's guide says it)."""
    before_nom = campaign.nomenclature_precedente
    if before_nom is None:
        return []
    key = ("guide_changes", before_nom.empreinte)
    if key not in campaign.nomenclature.cache:
        campaign.nomenclature.cache[key] = _changes(before_nom, campaign.nomenclature)
    return campaign.nomenclature.cache[key]


def _changes(before_nom: Nomenclature, now_nom: Nomenclature) -> list:
    before = dict(zip(before_nom.metiers["code_metier"], before_nom.metiers["intitule_metier"]))
    now = dict(zip(now_nom.metiers["code_metier"], now_nom.metiers["intitule_metier"]))
    families = dict(zip(now_nom.familles["code_famille"], now_nom.familles["intitule_famille"]))
    out = []
    for g in groups_between(before_nom, now_nom):
        if g.kind == Change.SAME and before[g.previous[0]].split() == now[g.current[0]].split():
            continue  # the same title, whatever its spaces
        came_from = {c[:2] for c in g.previous}
        out.append((g.kind, [(c, before[c]) for c in g.previous],  # a métier now in another family says which
                    [(c, now[c] + (fr(CHANGE_FAMILY, code=c[:2], famille=families.get(c[:2], ""))
                                   if came_from and c[:2] not in came_from else "")) for c in g.current]))
    return sorted(out, key=lambda change: (min(c for c, _ in change[1] + change[2]), not change[1]))


def change_note(campaign: Campaign) -> list[str]:
    """The tables' note on what changed in the nomenclature since the previous campaign (none when nothing did):
    by code, with the title of a métier that is gone."""
    parts = [fr(L.NOTE_CHANGES[kind], avant=" + ".join(c for c, _ in before), maintenant=" + ".join(c for c, _ in now),
                intitule=now[0][1] if kind == Change.SAME else before[0][1] if before else "")  # new title, or gone
             for kind, before, now in changes(campaign)]
    return [fr(L.NOTE_NOMENCLATURE, campagne=campaign.precedente, changements=" ; ".join(parts))] if parts else []


def guide_items(campaign: Campaign, company: str, previous: dict[int, float] | None) -> list[tuple[str, str]]:
    """The « Mode d'emploi » of a company's template (with its N−1 reminder column when ``previous`` is given)."""
    return guide(campaign, company, campaign.precedente if previous is not None else None,
                 change_items(campaign.precedente, changes(campaign)))


GUIDE_WIDTHS = (3, 70)  # the bullet, the text: a portrait page at 100 %, in Excel and in LibreOffice


def write_guide(wb, fmt, campaign: Campaign, company: str, identity: str, items: list[tuple[str, str]]) -> None:
    """The « Mode d'emploi » sheet: ``items`` (:func:`guide_items`) as titles, sections, paragraphs and bullets."""
    ws = wb.add_worksheet(form.SHEET_GUIDE)
    ws.hide_gridlines(2)
    for c, w in enumerate(GUIDE_WIDTHS):
        ws.set_column(c, c, w)
    section = add_format(wb, {"bold": True, "font_size": 11, "font_color": "#1F4E79", "font_name": "Calibri",
                             "bottom": 1, "bottom_color": "#1F4E79", "valign": "bottom"})
    rows = Rows(ws)
    sections, row = [], 0
    for kind, text in items:
        if kind == "title":
            ws.write_string(row, 1, text, fmt["title"])
            rows.set(row, 22)
        elif kind == "subtitle":
            ws.write_string(row, 1, text, fmt["subtitle_wrap"])
            rows.set(row, row_height([(text, GUIDE_WIDTHS[1])]))
        elif kind == "section":
            sections.append(row)  # a section, from the space above its heading, prints on one page
            rows.set(row, 8)
            row += 1
            ws.write_string(row, 1, text, section)
            rows.set(row, 20)
        else:
            if kind == "item":
                ws.write_string(row, 0, "•", fmt["wrap"])
            ws.write_string(row, 1, text, fmt["wrap"])
            rows.set(row, row_height([(text, GUIDE_WIDTHS[1])]))
        row += 1
    ws.write_string(row + 1, 1, identity, fmt["small"])
    rows.set(row + 1, row_height([(identity, GUIDE_WIDTHS[1])], 8))
    keep = list(zip(sections, [s - 1 for s in sections[1:]] + [row - 1]))
    ws.set_h_pagebreaks(page_breaks(rows.all(row + 1), keep, landscape=False))
    ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})
    a4(ws, *printed(campaign, company, identity)[0], landscape=False, scale=1.0)
