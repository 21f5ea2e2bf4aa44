"""controle.xlsx: the status of every file of the input folder, every problem with its cell, and the
companies with no file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..check.batch import Checked
from ..check.tasks import secretary_tasks
from ..core.texts import fr
from ..core.texts import labels as L
from ..core.texts.messages import rendered
from ..core.vocab import Severity, Status
from .comments import write_comments_sheet
from .xlsx import a4, atomic_workbook, formats, row_height


def write_control_report(checked: Checked, path: str | Path, tasks: pd.DataFrame | None = None) -> Path:
    """controle.xlsx; ``tasks`` (:func:`pipeline.check.tasks.secretary_tasks`) fill the « À régler » sheet."""
    path = Path(path)
    campaign = checked.campaign
    with atomic_workbook(path, title=fr(L.CONTROL_TITLE, campagne=campaign.identifiant), author="effectifs") as wb:
        fmt = formats(wb)
        ws = wb.add_worksheet(L.CONTROL_SHEET_FILES)
        ws.write_string(0, 0, fr(L.CONTROL_HEADING, libelle=campaign.libelle), fmt["title"])
        ws.write_string(1, 0, fr(L.CONTROL_SUMMARY, acceptees=len(checked.acceptees), attendues=len(campaign.societes),
                                 manquantes=len(checked.manquantes)), fmt["subtitle"])
        for c, h in enumerate(L.CONTROL_FILE_HEADINGS):
            ws.write_string(3, c, h, fmt["header"])
        style = {Status.ACCEPTED: fmt["cell"], Status.WARNED: fmt["warning_cell"], Status.REJECTED: fmt["error_cell"],
                 Status.IGNORED: fmt["cell"]}
        for r, row in enumerate(checked.fichiers.itertuples(index=False), start=4):
            s = style[Status(row.statut)]
            for c, v in enumerate([row.fichier, row.societe, campaign.names.get(row.societe, ""), row.statut]):
                ws.write_string(r, c, str(v), s)
            ws.write_number(r, 4, int(row.erreurs), fmt["number"])
            ws.write_number(r, 5, int(row.avertissements), fmt["number"])
        r = 5 + len(checked.fichiers)
        ws.write_string(r, 0, L.CONTROL_MISSING, fmt["label"])
        missing = checked.manquantes
        for i, soc in enumerate(missing.itertuples(index=False), start=r + 1):
            ws.write_string(i, 0, soc.identifiant, fmt["cell"])
            ws.write_string(i, 1, soc.raison_sociale, fmt["cell"])
        if missing.empty:
            ws.write_string(r + 1, 0, L.NONE, fmt["text"])
        for c, w in enumerate([44, 22, 30, 26, 9, 14]):
            ws.set_column(c, c, w)
        ws.freeze_panes(4, 0)
        a4(ws, repeat=(3, 3), footer=fr(L.CONTROL_TITLE, campagne=campaign.identifiant))

        ws = wb.add_worksheet(L.CONTROL_SHEET_PROBLEMS)
        widths = [36, 18, 12, 9, 14, 60, 40, 50]
        for c, h in enumerate(L.CONTROL_PROBLEM_HEADINGS):
            ws.write_string(0, c, h, fmt["header"])
        messages = rendered(checked.messages)
        for r, m in enumerate(messages.itertuples(index=False), start=1):
            s = fmt["error_cell"] if m.gravite == Severity.ERROR else \
                fmt["warning_cell"] if m.gravite == Severity.WARNING else fmt["cell"]
            values = [m.fichier, m.societe, m.feuille, m.cellule, m.gravite, m.message, m.attendu, m.action]
            for c, v in enumerate(values):
                ws.write_string(r, c, str(v), s if c == 4 else fmt["cell"])
            ws.set_row(r, row_height(list(zip(values, widths))))
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(messages), 1), len(widths) - 1)
        a4(ws, repeat=(0, 0), footer=fr(L.CONTROL_TITLE, campagne=campaign.identifiant))
        _tasks_sheet(wb, fmt, checked, tasks if tasks is not None else secretary_tasks(checked))
        write_comments_sheet(wb, fmt, campaign, checked.commentaires,
                             fr(L.CONTROL_TITLE, campagne=campaign.identifiant), with_file=True)
    return path


def task_lines(checked: Checked, tasks: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(company, files, what to do) of each task, in French."""
    names = checked.campaign.names
    first_error = rendered(checked.messages[checked.messages["gravite"] == Severity.ERROR]) \
        .drop_duplicates("fichier").set_index("fichier")["message"].to_dict()
    return [(names.get(t.societe, ""), ", ".join(t.fichiers),
             fr(L.TASKS[t.tache], motif=first_error.get(t.fichiers[0], "") if t.fichiers else ""))
            for t in tasks.itertuples(index=False)]


def _tasks_sheet(wb, fmt, checked: Checked, tasks: pd.DataFrame) -> None:
    ws = wb.add_worksheet(L.CONTROL_SHEET_TASKS)
    widths = [26, 40, 90]
    ws.write_string(0, 0, L.TASKS_HEADING, fmt["title"])
    for c, (h, w) in enumerate(zip(L.TASKS_HEADINGS, widths)):
        ws.write_string(2, c, h, fmt["header"])
        ws.set_column(c, c, w)
    lines = task_lines(checked, tasks)
    for r, values in enumerate(lines, start=3):
        for c, v in enumerate(values):
            ws.write_string(r, c, v, fmt["cell"])
        ws.set_row(r, row_height(list(zip(values, widths))))
    if not lines:
        ws.write_string(3, 0, L.TASKS_NONE, fmt["text"])
    ws.freeze_panes(3, 0)
    a4(ws, repeat=(2, 2), footer=fr(L.CONTROL_TITLE, campagne=checked.campaign.identifiant))
