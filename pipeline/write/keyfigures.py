"""« Chiffres clés »: the one-page summary that opens consolidation.xlsx — the branch total, the companies
consolidated, the main métiers, the evolution at constant scope with its chart, and HR's comments.
Every number on it is computed from the consolidation."""

from __future__ import annotations

import pandas as pd

from ..compute.consolidation import Consolidation
from ..core.texts import fr, names
from ..core.texts import labels as L
from ..core.vocab import Level
from .comments import ordered
from .tables import evolution_notes
from .xlsx import BLUE, HEADCOUNT_FORMAT, a4, paragraph, row_height

TOP_METIERS = 5
COMMENTS_SHOWN = 8
WIDTHS = [6, 38, 9, 9, 10]  # a portrait page at 100 %
WIDTH = sum(WIDTHS)


def _cell(c: Consolidation, niveau: Level, code: str = "") -> pd.Series:
    table = c.table
    return table[(table["niveau"] == niveau) & (table["code"] == code)].iloc[0]


def write_key_figures(wb, fmt, c: Consolidation, page: tuple[str, str] = ("", "")) -> None:
    ws = wb.add_worksheet(L.SHEET_KEY_FIGURES)
    sheet = L.SHEET_KEY_FIGURES
    big = wb.add_format({"bold": True, "font_size": 22, "font_color": BLUE, "num_format": HEADCOUNT_FORMAT,
                         "align": "left", "font_name": "Calibri"})
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    campaign = c.campaign
    ws.write_string(0, 0, fr(L.KEY_TITLE, date=campaign.date_arrete), fmt["title"])
    ws.write_string(1, 0, campaign.libelle, fmt["subtitle"])
    branch, nv = _cell(c, Level.BRANCHE), _cell(c, Level.NON_VENTILES, "NV")
    ws.merge_range(3, 0, 3, 1, int(branch["effectif"]), big)
    ws.set_row(3, 32)
    lines = [L.KEY_BRANCH,fr(L.KEY_NV, n=int(nv["effectif"]), part=float(nv["pourcentage"])),
             fr(L.KEY_COMPANIES, n=len(c.retenues), attendues=len(campaign.societes))]
    if c.revues is not None:
        validees = int(c.revues["validee"].sum())
        lines.append(fr(L.KEY_REVIEWED, validees=validees, provisoires=len(c.revues) - validees))
    if len(c.absentes):
        lines.append(fr(L.KEY_ABSENT, societes=names(c.absentes["raison_sociale"])))
    row = 4
    for i, line in enumerate(lines):  # a long list of companies not consolidated wraps within the page
        paragraph(ws, row, line, 4, sum(WIDTHS), fmt["label" if i == 0 else "wrap"])
        row += 1

    row = _section(ws, fmt, row + 1, L.KEY_GROUPS, [L.KEY_GROUP_HEADING, None, L.KEY_COUNT, L.KEY_SHARE])
    groups = c.table[c.table["niveau"].isin([Level.GROUPE, Level.NON_VENTILES])]
    for g in groups.itertuples(index=False):
        ws.merge_range(row, 0, row, 1, g.libelle, fmt["cell"])
        ws.set_row(row, row_height([(g.libelle, WIDTHS[0] + WIDTHS[1])]))
        ws.write_number(row, 2, int(g.effectif), fmt["number"])
        ws.write_number(row, 3, float(g.pourcentage), fmt["percent"])
        row += 1

    row = _section(ws, fmt, row + 1, fr(L.KEY_TOP, n=TOP_METIERS),
                   [L.SYNTHESE_HEADINGS[0], L.SYNTHESE_HEADINGS[1], L.KEY_COUNT, L.KEY_SHARE, L.KEY_COMPANIES_N])
    metiers = c.table[c.table["niveau"] == Level.METIER]
    for m in metiers.sort_values(["effectif", "code"], ascending=[False, True]).head(TOP_METIERS).itertuples():
        ws.write_string(row, 0, m.code, fmt["code"])
        ws.write_string(row, 1, m.libelle, fmt["cell"])
        ws.set_row(row, row_height([(m.libelle, WIDTHS[1])]))
        ws.write_number(row, 2, int(m.effectif), fmt["number"])
        ws.write_number(row, 3, float(m.pourcentage), fmt["percent"])
        ws.write_number(row, 4, int(m.nb_societes), fmt["number"])
        row += 1

    row = _evolution(wb, ws, fmt, c, row + 1, sheet)
    _comments(ws, fmt, c, row + 1)
    a4(ws, *page, campaign.libelle, landscape=False)
    ws.fit_to_pages(1, 1)


def _section(ws, fmt, row: int, title: str, headings: list[str]) -> int:
    ws.write_string(row, 0, title, fmt["label"])
    row += 1
    for col, h in enumerate(headings):
        if h is None:  # the heading on its left spans this column too
            ws.merge_range(row, col - 1, row, col, headings[col - 1], fmt["header"])
        else:
            ws.write_string(row, col, h, fmt["header"])
    ws.set_row(row, 28)
    return row + 1


def _evolution(wb, ws, fmt, c: Consolidation, row: int, sheet: str) -> int:
    evo, rows = c.evolution, c.evolution_rows
    if evo is None:
        text = L.KEY_NO_EVOLUTION if c.evolution_raw is None else evolution_notes(c)[0]
        ws.merge_range(row, 0, row, 4, text, fmt["wrap"])
        ws.set_row(row, row_height([(text, WIDTH)]))
        return row + 1
    ws.write_string(row, 0, fr(L.KEY_EVOLUTION, campagne=evo.previous_id), fmt["label"])
    note = evolution_notes(c)[0]
    ws.merge_range(row + 1, 0, row + 1, 4, note, wb.add_format({"font_size": 8, "font_color": "#7F7F7F",
                                                                "text_wrap": True, "valign": "top",
                                                                "font_name": "Calibri"}))
    ws.set_row(row + 1, row_height([(note, WIDTH)], 8))
    row += 2
    for col, h in enumerate(["", L.KEY_FAMILY, fr(L.AU_DATE, date=evo.previous_date),
                             fr(L.AU_DATE, date=c.campaign.date_arrete), L.EVOLUTION_HEADINGS[1]]):
        ws.write_string(row, col, h, fmt["header"])
    ws.set_row(row, 28)
    first = row + 1
    titles = dict(zip(c.campaign.nomenclature.familles["code_famille"],
                      c.campaign.nomenclature.familles["intitule_famille"]))
    levels = c.table["niveau"].isin([Level.FAMILLE, Level.BRANCHE]).to_numpy()
    for t, e in zip(c.table[levels].itertuples(index=False), rows[levels].itertuples(index=False)):
        row += 1
        total = t.niveau == Level.BRANCHE
        ws.write_string(row, 0, "" if total else t.code, fmt["code"])
        name = L.KEY_BRANCH_ROW if total else titles[t.code]
        ws.write_string(row, 1, name, fmt["total_label" if total else "cell"])
        ws.set_row(row, row_height([(name, WIDTHS[1])]))
        for col, value, style in ((2, e.effectif_n1, "number"), (3, e.effectif, "number"),
                                  (4, e.variation_pct, "percent_change")):
            style = {"number": "total", "percent_change": "total_percent_change"}[style] if total else style
            if pd.isna(value):
                ws.write_string(row, col, L.NOT_COMPARABLE if col == 2 else L.NOT_AVAILABLE, fmt[style])
            else:
                ws.write_number(row, col, float(value), fmt[style])
    last = row - 1  # the chart shows the families, not the branch total
    chart = wb.add_chart({"type": "bar"})
    for col, name in ((2, fr(L.AU_DATE, date=evo.previous_date)), (3, fr(L.AU_DATE, date=c.campaign.date_arrete))):
        chart.add_series({"name": name, "categories": [sheet, first, 0, last, 0],
                          "values": [sheet, first, col, last, col]})
    chart.set_title({"name": L.KEY_CHART_TITLE, "name_font": {"size": 10}})
    chart.set_legend({"position": "bottom"})
    chart.set_y_axis({"reverse": True})
    chart.set_x_axis({"num_format": HEADCOUNT_FORMAT})
    chart.set_size({"width": 500, "height": 260})
    ws.insert_chart(row + 2, 0, chart, {"x_offset": 10})
    return row + 15


def _comments(ws, fmt, c: Consolidation, row: int) -> None:
    comments = ordered(c.campaign, c.commentaires)
    if comments.empty:
        ws.write_string(row, 0, L.KEY_NO_COMMENTS, fmt["label"])
        return
    ws.write_string(row, 0, fr(L.KEY_COMMENTS, n=len(comments)), fmt["label"])
    row += 1
    for m in comments.head(COMMENTS_SHOWN).itertuples(index=False):
        text = fr(L.KEY_COMMENT, societe=m.nom, texte=" ".join(str(m.texte).split()))
        ws.write_string(row, 0, m.cle, fmt["code"])
        ws.merge_range(row, 1, row, 4, text, fmt["cell"])
        ws.set_row(row, row_height([(text, WIDTH - WIDTHS[0])]))
        row += 1
    if len(comments) > COMMENTS_SHOWN:
        ws.write_string(row, 1, fr(L.KEY_MORE_COMMENTS, n=len(comments) - COMMENTS_SHOWN,
                                   feuille=L.SHEET_COMMENTS), fmt["small"])
