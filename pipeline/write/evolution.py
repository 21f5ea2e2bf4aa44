"""The « Évolution brute » sheet of consolidation.xlsx: everything consolidated each campaign compared,
whatever the companies — labelled as such, beside the evolution at constant scope of the Synthèse."""

from __future__ import annotations

from ..compute.consolidation import Consolidation
from ..core.texts import fr
from ..core.texts import labels as L
from ..core.vocab import Level
from .tables import LEVEL_STYLE, label, write_evolution_cells
from .xlsx import a4, paragraph, row_height

WIDTHS = [6, 36, 10, 10, 9, 9, 24]  # a landscape page at 100 %


def write_raw_evolution(wb, fmt, c: Consolidation, page: tuple[str, str] = ("", "")) -> None:
    """Written only when the raw comparison differs from the one at constant scope."""
    raw, rows = c.evolution_raw, c.evolution_raw_rows
    if raw is None or raw is c.evolution:
        return
    ws = wb.add_worksheet(L.SHEET_RAW_EVOLUTION)
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    ws.write_string(0, 0, fr(L.RAW_TITLE, campagne=raw.previous_id), fmt["title"])
    note = fr(L.RAW_NOTE, n=len(c.branch.companies), date=c.campaign.date_arrete,
              n1=len(raw.companies) - len(raw.only_current), date1=raw.previous_date, feuille=L.SHEET_SYNTHESE)
    paragraph(ws, 1, note, len(WIDTHS) - 1, sum(WIDTHS), fmt["wrap"])
    header = 3
    headings = [L.SYNTHESE_HEADINGS[0], L.SYNTHESE_HEADINGS[1], fr(L.ALL_COMPANIES_AU, date=c.campaign.date_arrete),
                fr(L.ALL_COMPANIES_AU, date=raw.previous_date), *L.RAW_HEADINGS_EVOLUTION]
    for col, h in enumerate(headings):
        ws.write_string(header, col, h, fmt["header"])
    ws.set_row(header, row_height(list(zip(headings, WIDTHS))))
    for i, t in enumerate(c.table.itertuples(index=False)):
        r = header + 1 + i
        label_style = fmt[LEVEL_STYLE[t.niveau][0]]
        ws.write_string(r, 0, t.code if t.niveau == Level.METIER else "", fmt["code"] if t.niveau == Level.METIER
                        else label_style)
        ws.write_string(r, 1, label(t, c.campaign), label_style)
        write_evolution_cells(ws, fmt, r, 2, rows.iloc[i], t.niveau, label_style, rows.iloc[i].note)
        ws.set_row(r, row_height([(label(t, c.campaign), WIDTHS[1]), (rows.iloc[i].note, WIDTHS[6])]))
    ws.freeze_panes(header + 1, 0)
    a4(ws, *page, c.campaign.libelle, repeat=(header, header))
