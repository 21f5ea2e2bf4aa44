"""diffusion.xlsx: the published edition, the cells under statistical confidentiality masked."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from ..compute.consolidation import Consolidation
from ..core.texts import fr
from ..core.texts import labels as L
from ..core.vocab import Level
from .breakdowns import write_breakdown_sheets
from .chart import write_chart
from .consolidation import secret_note
from .tables import write_base, write_synthese
from .xlsx import a4, atomic_workbook, edited_on, formats, row_height

NOTE_WIDTH = 72  # a portrait page at 100 %


def write_diffusion(c: Consolidation, path: str | Path, edited: dt.datetime | None = None) -> Path:
    """``edited``: when the edition was made (the pages' header says it)."""
    if c.protection is None:
        raise ValueError("the published edition needs the protection of the table")
    masked = c.protection.masked
    with atomic_workbook(path, title=fr(L.DIFFUSION_TITLE, libelle=c.campaign.libelle), author=L.OBSERVATORY) as wb:
        fmt = formats(wb)
        page = (fr(L.DIFFUSION_PAGE, date=c.campaign.date_arrete), edited_on(edited))
        write_synthese(wb, fmt, c, public=True, page=page)
        write_base(wb, fmt, c, public=True, page=page)
        if not any(n in (Level.FAMILLE, Level.NON_VENTILES) for n, _ in masked):
            write_chart(wb, fmt, replace(c, evolution=None, evolution_raw=None), page)
        if c.campaign.saisie.breakdowns:
            write_breakdown_sheets(wb, fmt, c, page, public=True)
        ws = wb.add_worksheet(L.SHEET_NOTE)
        ws.set_column(0, 0, NOTE_WIDTH)
        for i, line in enumerate(secret_note(c)):
            ws.write_string(i, 0, line, fmt["title"] if i == 0 else fmt["wrap"])
            ws.set_row(i, row_height([(line, NOTE_WIDTH)]) if i else 22)
        a4(ws, *page, c.campaign.libelle, landscape=False, scale=1.0)
    return Path(path)
