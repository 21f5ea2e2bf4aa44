"""The Graphique sheet the internal consolidation and the published edition share: the distribution of the
branch headcount by family (section 1.3 of the cartography) and, internally, its evolution at constant scope."""

from __future__ import annotations

import pandas as pd

from ..compute.consolidation import Consolidation
from ..core.texts import fr
from ..core.texts import labels as L
from ..core.vocab import Level
from .tables import evolution_notes
from .xlsx import HEADCOUNT_FORMAT, a4, paragraph, percent_format, row_height

# A portrait page at 100 %: the table, then its chart (sized to the table's width), on one page each.
CHART_WIDTHS = [44, 13, 13]
# As wide as the table's columns (7 pixels a unit and 5 of padding, as Excel counts them): a chart wider than
# its columns makes LibreOffice print its edge on a page of its own.
CHART_SIZE = {"width": sum(round(w * 7) + 5 for w in CHART_WIDTHS), "height": 440}
CHART_ROWS = 23  # rows of 20 pixels under a chart


def write_chart(wb, fmt, c: Consolidation, page: tuple[str, str] = ("", "")) -> None:
    """Distribution of the branch headcount by family, as in section 1.3 of the cartography."""
    sheet = L.SHEET_CHART
    ws = wb.add_worksheet(sheet)
    ws.write_string(0, 0, L.CHART_TITLE, fmt["title"])
    for col, w in enumerate(CHART_WIDTHS):
        ws.set_column(col, col, w)
    for col, h in enumerate(L.CHART_HEADINGS):
        ws.write_string(2, col, h, fmt["header"])
    ws.set_row(2, row_height(list(zip(L.CHART_HEADINGS, CHART_WIDTHS))))
    rows = c.table[c.table["niveau"].isin([Level.FAMILLE, Level.NON_VENTILES])]
    for i, t in enumerate(rows.itertuples(index=False), start=3):
        name = t.libelle.removeprefix(L.FAMILY_TOTAL_PREFIX) if t.niveau == Level.FAMILLE else L.CHART_NV
        ws.write_string(i, 0, name, fmt["cell"])
        ws.set_row(i, row_height([(name, CHART_WIDTHS[0])]))
        ws.write_number(i, 1, int(t.effectif), fmt["number"])
        ws.write_number(i, 2, float(t.pourcentage), fmt["percent"])
    last = 2 + len(rows)
    chart = wb.add_chart({"type": "pie"})
    chart.add_series({
        "name": L.CHART_SERIES, "categories": [sheet, 3, 0, last, 0], "values": [sheet, 3, 1, last, 1],
        "data_labels": {"percentage": True, "leader_lines": True, "position": "best_fit",
                        "num_format": percent_format(1)},
    })
    chart.set_title({"name": fr(L.CHART_PIE_TITLE, date=c.campaign.date_arrete), "name_font": {"size": 12}})
    chart.set_legend({"position": "bottom", "font": {"size": 9}})
    chart.set_size(CHART_SIZE)
    ws.insert_chart(last + 2, 0, chart)
    evo = c.evolution
    if evo is not None:  # below the pie, on a page of their own: a table of the families then its chart
        top = last + 2 + CHART_ROWS + 1
        ws.set_h_pagebreaks([top])
        ws.write_string(top, 0, fr(L.CHART_EVOLUTION_TITLE, date=evo.previous_date), fmt["title"])
        now = fr(L.AU_DATE, date=c.campaign.date_arrete)
        before = fr(L.AU_DATE, date=evo.previous_date)
        for col, h in enumerate([L.CHART_HEADINGS[0], before, now]):
            ws.write_string(top + 2, col, h, fmt["header"])
        ws.set_row(top + 2, row_height(list(zip([L.CHART_HEADINGS[0], before, now], CHART_WIDTHS))))
        paragraph(ws, top + 1, evolution_notes(c)[0], len(CHART_WIDTHS) - 1, sum(CHART_WIDTHS), fmt["small_wrap"], 8)
        fam = (c.table["niveau"] == Level.FAMILLE).to_numpy()
        evo_rows = c.evolution_rows[fam]
        for i, (t, n, n1) in enumerate(zip(c.table[fam].itertuples(index=False), evo_rows["effectif"],
                                           evo_rows["effectif_n1"]), start=top + 3):
            ws.write_string(i, 0, t.libelle.removeprefix(L.FAMILY_TOTAL_PREFIX), fmt["cell"])
            if pd.isna(n1):
                ws.write_string(i, 1, L.NOT_COMPARABLE, fmt["number"])
            else:
                ws.write_number(i, 1, float(n1), fmt["number"])
            ws.write_number(i, 2, float(n), fmt["number"])
        end = top + 2 + int(fam.sum())
        bars = wb.add_chart({"type": "bar"})  # horizontal: the families' names read across a portrait page
        for col, name in ((1, before), (2, now)):
            bars.add_series({"name": name, "categories": [sheet, top + 3, 0, end, 0],
                             "values": [sheet, top + 3, col, end, col], "gap": 40,
                             "data_labels": {"value": True, "font": {"size": 8}}})
        bars.set_title({"name": L.CHART_BARS_TITLE, "name_font": {"size": 12}})
        bars.set_legend({"position": "bottom"})
        bars.set_y_axis({"reverse": True})  # the families top to bottom, as in the table
        bars.set_x_axis({"num_format": HEADCOUNT_FORMAT})  # « 1 500 » in a French spreadsheet, not « 1500 »
        bars.set_size(CHART_SIZE)
        ws.insert_chart(end + 2, 0, bars)
    a4(ws, *page, c.campaign.libelle, landscape=False, scale=1.0)
