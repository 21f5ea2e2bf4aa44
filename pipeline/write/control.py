"""controle.xlsx: the status of every file of the input folder, every problem with its cell, the
companies with no file, what the secretary settles (« À régler ») and what HR wrote (« Commentaires »)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from ..check.batch import Checked
from ..check.identity import NAME_OTHER
from ..check.tasks import secretary_tasks
from ..core.models import DataFrame, Taches
from ..core.texts import fr
from ..core.texts import labels as L
from ..core.texts.messages import rendered
from ..core.vocab import Severity, Status, Task
from .comments import write_comments_sheet
from .xlsx import a4, atomic_workbook, edited_on, formats, paragraph, row_height

FILE_WIDTHS = [36, 18, 24, 14, 8, 13]  # a landscape page at 100 %; an identifier of 20 characters on one line
MISSING_COLUMNS = (1, 2)  # the companies with no file: in the files' columns Société and Raison sociale
PROBLEM_WIDTHS = [20, 12, 9, 7, 12, 28, 18, 24]
TASK_WIDTHS = [20, 30, 63]  # a landscape page at 100 %


def write_control_report(checked: Checked, path: str | Path, tasks: DataFrame[Taches] | None = None,
                         edited: dt.datetime | None = None, retenues: pd.DataFrame | None = None) -> Path:
    """``tasks`` (:func:`pipeline.check.tasks.secretary_tasks`) fill the « À régler » sheet; ``edited``: when the
    check ran (the pages' header says it); ``retenues``: the history's retained submissions (a company whose
    accepted file left the folder is listed apart, not « sans retour »)."""
    path = Path(path)
    campaign = checked.campaign
    title = fr(L.CONTROL_TITLE, campagne=campaign.identifiant)
    tasks = tasks if tasks is not None else secretary_tasks(checked)
    with atomic_workbook(path, large=True, title=title, author="effectifs") as wb:
        fmt = formats(wb)
        ws = wb.add_worksheet(L.CONTROL_SHEET_FILES)
        last = len(FILE_WIDTHS) - 1
        paragraph(ws, 0, fr(L.CONTROL_HEADING, libelle=campaign.libelle), last, sum(FILE_WIDTHS), fmt["title_wrap"], 14)
        missing, kept = checked.absent(retenues)
        summary = fr(L.CONTROL_SUMMARY, acceptees=len(checked.acceptees), attendues=len(campaign.societes),
                     manquantes=len(missing))
        ws.write_string(1, 0, summary + (fr(L.CONTROL_SUMMARY_KEPT, n=len(kept)) if len(kept) else ""),
                        fmt["subtitle"])
        if len(tasks):
            ws.write_string(2, 0, fr(L.TASKS_SUMMARY, n=len(tasks), feuille=L.CONTROL_SHEET_TASKS), fmt["alert"])
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
        if missing.empty:
            ws.write_string(r + 1, 0, L.NONE, fmt["text"])
        else:  # in the files' columns, under their headings: company, name
            for c in MISSING_COLUMNS:
                ws.write_string(r + 1, c, L.CONTROL_FILE_HEADINGS[c], fmt["header"])
        for i, soc in enumerate(missing.itertuples(index=False), start=r + 2):
            values = [soc.identifiant, soc.raison_sociale]
            for c, v in zip(MISSING_COLUMNS, values):
                ws.write_string(i, c, v, fmt["cell"])
            ws.set_row(i, row_height([(v, FILE_WIDTHS[c]) for c, v in zip(MISSING_COLUMNS, values)]))
        if len(kept):  # under the list above, in the files' columns: file, company, name, when it arrived
            r += 2 + (len(missing) + 1 if len(missing) else 1)
            ws.write_string(r, 0, L.CONTROL_KEPT, fmt["label"])
            for c, h in enumerate(L.CONTROL_KEPT_HEADINGS):
                ws.write_string(r + 1, c, h, fmt["header"])
            for i, k in enumerate(kept.itertuples(index=False), start=r + 2):
                values = [k.fichier, k.identifiant, k.raison_sociale, fr(L.CONTROL_KEPT_WHEN, recu=k.recu_le)]
                for c, v in enumerate(values):
                    ws.write_string(i, c, v, fmt["cell"])
                ws.set_row(i, row_height(list(zip(values, FILE_WIDTHS))))
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
        if len(tasks):
            _tasks_sheet(wb, fmt, checked, tasks, title, edited, retenues)
        write_comments_sheet(wb, fmt, campaign, checked.commentaires, title, edited_on(edited), with_file=True)
    return path


def task_lines(checked: Checked, tasks: pd.DataFrame, retenues: pd.DataFrame | None = None
               ) -> list[tuple[str, str, str]]:
    """(company, files, what to do) of each task, in French: two files of a company, one of them named after
    another company, say so too; ``retenues``: the history's retained submissions (a company with several files
    whose earlier accepted one still counts is told which)."""
    names = checked.campaign.names
    first_error = rendered(checked.messages[checked.messages["gravite"] == Severity.ERROR]) \
        .drop_duplicates("fichier").set_index("fichier")["message"].to_dict()
    named = checked.messages[checked.messages["code"] == NAME_OTHER]
    other = dict(zip(named["fichier"], named["params"]))  # the file -> the company its name names, and whose it is
    kept = {} if retenues is None else {r.identifiant: r for r in retenues.itertuples(index=False)}

    def action(t) -> str:
        first = t.fichiers[0] if t.fichiers else ""
        if t.tache == Task.SEVERAL_FILES and t.societe in kept:
            text = fr(L.TASK_SEVERAL_KEPT, fichier=kept[t.societe].fichier, recu=kept[t.societe].recu_le)
        else:
            text = fr(L.TASKS[t.tache], motif=first_error.get(first, ""), **other.get(first, {}))
        if t.tache == Task.SEVERAL_FILES:
            text += "".join(" " + fr(L.TASKS_SEVERAL_NAMED, fichier=f, **other[f]) for f in t.fichiers if f in other)
        return text

    return [(names.get(t.societe, ""), ", ".join(t.fichiers), action(t)) for t in tasks.itertuples(index=False)]


def _tasks_sheet(wb, fmt, checked: Checked, tasks: pd.DataFrame, title: str, edited: dt.datetime | None,
                 retenues: pd.DataFrame | None) -> None:
    ws = wb.add_worksheet(L.CONTROL_SHEET_TASKS)
    last = len(TASK_WIDTHS) - 1
    paragraph(ws, 0, L.TASKS_HEADING, last, sum(TASK_WIDTHS), fmt["title_wrap"], 14)
    for c, (h, w) in enumerate(zip(L.TASKS_HEADINGS, TASK_WIDTHS)):
        ws.write_string(2, c, h, fmt["header"])
        ws.set_column(c, c, w)
    lines = task_lines(checked, tasks, retenues)
    for r, values in enumerate(lines, start=3):
        for c, v in enumerate(values):
            ws.write_string(r, c, v, fmt["cell"])
        ws.set_row(r, row_height(list(zip(values, TASK_WIDTHS))))
    ws.freeze_panes(3, 0)
    a4(ws, title, edited_on(edited), checked.campaign.libelle, repeat=(2, 2))
