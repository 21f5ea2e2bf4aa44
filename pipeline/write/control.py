"""controle.xlsx: the status of every file of the input folder, every problem with its cell, and the
companies with no file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..check.batch import Checked
from ..core.texts import fr
from ..core.texts import labels as L
from ..core.texts.messages import rendered
from ..core.vocab import Severity, Status
from .xlsx import a4, atomic_workbook, edited_on, formats, paragraph, row_height

FILE_WIDTHS = [36, 16, 24, 16, 8, 13]  # a landscape page at 100 %
PROBLEM_WIDTHS = [20, 12, 9, 7, 12, 28, 18, 24]


def write_control_report(checked: Checked, path: str | Path, edited: dt.datetime | None = None) -> Path:
    """``edited``: when the check ran (the pages' header says it)."""
    path = Path(path)
    campaign = checked.campaign
    title = fr(L.CONTROL_TITLE, campagne=campaign.identifiant)
    with atomic_workbook(path, title=title, author="effectifs") as wb:
        fmt = formats(wb)
        ws = wb.add_worksheet(L.CONTROL_SHEET_FILES)
        last = len(FILE_WIDTHS) - 1
        paragraph(ws, 0, fr(L.CONTROL_HEADING, libelle=campaign.libelle), last, sum(FILE_WIDTHS), fmt["title_wrap"], 14)
        ws.write_string(1, 0, fr(L.CONTROL_SUMMARY, acceptees=len(checked.acceptees), attendues=len(campaign.societes),
                                 manquantes=len(checked.manquantes)), fmt["subtitle"])
        for c, h in enumerate(L.CONTROL_FILE_HEADINGS):
            ws.write_string(3, c, h, fmt["header"])
        style = {Status.ACCEPTED: fmt["cell"], Status.WARNED: fmt["warning_cell"], Status.REJECTED: fmt["error_cell"],
                 Status.IGNORED: fmt["cell"]}
        for r, row in enumerate(checked.fichiers.itertuples(index=False), start=4):
            s = style[Status(row.statut)]
            values = [row.fichier, row.societe, campaign.names.get(row.societe, ""), row.statut]
            for c, v in enumerate(values):
                ws.write_string(r, c, str(v), s)
            ws.write_number(r, 4, int(row.erreurs), fmt["number"])
            ws.write_number(r, 5, int(row.avertissements), fmt["number"])
            ws.set_row(r, row_height(list(zip(values, FILE_WIDTHS))))
        r = 5 + len(checked.fichiers)
        ws.write_string(r, 0, L.CONTROL_MISSING, fmt["label"])
        missing = checked.manquantes
        for i, soc in enumerate(missing.itertuples(index=False), start=r + 1):
            ws.write_string(i, 0, soc.identifiant, fmt["cell"])
            ws.write_string(i, 1, soc.raison_sociale, fmt["cell"])
            ws.set_row(i, row_height([(soc.identifiant, FILE_WIDTHS[0]), (soc.raison_sociale, FILE_WIDTHS[1])]))
        if missing.empty:
            ws.write_string(r + 1, 0, L.NONE, fmt["text"])
        for c, w in enumerate(FILE_WIDTHS):
            ws.set_column(c, c, w)
        ws.freeze_panes(4, 0)
        a4(ws, title, edited_on(edited), campaign.libelle, repeat=(3, 3))

        ws = wb.add_worksheet(L.CONTROL_SHEET_PROBLEMS)
        for c, h in enumerate(L.CONTROL_PROBLEM_HEADINGS):
            ws.write_string(0, c, h, fmt["header"])
        messages = rendered(checked.messages)
        for r, m in enumerate(messages.itertuples(index=False), start=1):
            s = fmt["error_cell"] if m.gravite == Severity.ERROR else \
                fmt["warning_cell"] if m.gravite == Severity.WARNING else fmt["cell"]
            values = [m.fichier, m.societe, m.feuille, m.cellule, m.gravite, m.message, m.attendu, m.action]
            for c, v in enumerate(values):
                ws.write_string(r, c, str(v), s if c == 4 else fmt["cell"])
            ws.set_row(r, row_height(list(zip(values, PROBLEM_WIDTHS))))
        for c, w in enumerate(PROBLEM_WIDTHS):
            ws.set_column(c, c, w)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(messages), 1), len(PROBLEM_WIDTHS) - 1)
        a4(ws, title, edited_on(edited), campaign.libelle, repeat=(0, 0))
    return path
