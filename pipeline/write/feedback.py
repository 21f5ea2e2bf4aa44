"""Return to sender: a workbook to e-mail back to each company whose return has problems.

Entry point: :func:`write_feedback`. For each company whose return was rejected or accepted with
warnings, ``outputs/<campaign>/retours/<company>.xlsx`` holds its figures as read, in a *fresh*
template of the campaign (its own file is never re-saved: that would keep its damage and drop
stored results), the cells to review highlighted, and an "Anomalies" sheet listing every message
under a short French cover text; ``<company>.txt`` holds the same cover text for the e-mail.
A file that cannot be tied to a company of the campaign gets an "Anomalies"-only workbook.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import pandas as pd

from ..check.batch import Checked
from ..core import form
from ..core.campaign import Campaign, slug
from ..core.layout import build_layout
from ..core.texts import fr
from ..core.texts import labels as L
from ..core.texts.mails import return_text
from ..core.texts.messages import rendered
from ..core.vocab import EFFECTIF, TOUT, Severity, Status
from .template import write_template
from .xlsx import OutputBusy, a4, atomic_workbook, edited_on, formats, paragraph, row_height

FEEDBACK_DIR = "retours"
DUPLICATE = "societe.plusieurs_fichiers"
GENERATED_SUFFIXES = (".xlsx", ".txt")


WIDTHS = [12, 7, 20, 20, 28, 19, 24]  # a landscape page at 85 %


def _anomalies_sheet(campaign: Campaign, messages: pd.DataFrame, text: str, name: str, edited: dt.datetime | None):
    labels = {row.cle: row.intitule or row.emploi for row in build_layout(campaign.nomenclature) if row.cle}
    messages = rendered(messages)

    def write(wb, fmt) -> None:
        ws = wb.add_worksheet(form.SHEET_FEEDBACK)
        ws.set_tab_color("#C00000")
        widths = WIDTHS
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        ws.write_string(0, 0, L.FEEDBACK_TITLE, fmt["title"])
        paragraphs = [p for p in text.split("\n\n") if p.strip()]
        for i, text_block in enumerate(paragraphs, start=1):
            paragraph(ws, i, text_block, len(widths) - 1, sum(widths), fmt["wrap"])
        header = len(paragraphs) + 2
        for c, h in enumerate(L.FEEDBACK_HEADINGS):
            ws.write_string(header, c, h, fmt["header"])
        ws.set_row(header, row_height(list(zip(L.FEEDBACK_HEADINGS, widths))))
        for r, m in enumerate(messages.itertuples(index=False), start=header + 1):
            style = fmt["error_cell"] if m.gravite == Severity.ERROR else \
                fmt["warning_cell"] if m.gravite == Severity.WARNING else fmt["cell"]
            where = f"{m.fichier} — {m.feuille}!{m.cellule}" if m.cellule else m.fichier
            values = [m.gravite, m.cle, labels.get(m.cle, ""), where, m.message, m.attendu, m.action]
            for c, v in enumerate(values):
                ws.write_string(r, c, str(v), style if c == 0 else fmt["cell"])
            ws.set_row(r, row_height(list(zip(values, widths))))
        ws.freeze_panes(header + 1, 0)
        a4(ws, fr(L.FEEDBACK_PAGE_TITLE, societe=name), edited_on(edited), campaign.libelle, repeat=(header, header))
        ws.activate()

    return write


def _clear(folder: Path) -> None:
    """Remove what an earlier run wrote: a company accepted since must not keep an old return (hidden
    files — another writer's temporary workbook — are not this function's to remove)."""
    if folder.is_dir():
        for path in folder.iterdir():
            if path.is_file() and path.suffix in GENERATED_SUFFIXES and not path.name.startswith("."):
                with contextlib.suppress(PermissionError):  # open in Excel: replaced below, or reported
                    path.unlink()


def write_feedback(checked: Checked, folder: str | Path, edited: dt.datetime | None = None) -> list[Path]:
    """Write the return-to-sender workbooks (and e-mail texts) into ``folder``; returns the workbooks.
    ``edited``: when the check ran (the Anomalies pages' header says it)."""
    campaign, folder = checked.campaign, Path(folder)
    _clear(folder)
    flagged = checked.fichiers[checked.fichiers["statut"].isin([Status.REJECTED, Status.WARNED])]
    known = campaign.company_ids
    # Several files claim one company: which one is right is the secretary's to sort out, and none of them
    # is mailed back (one of them may carry another company's figures).
    in_doubt = set(checked.messages.loc[checked.messages["code"] == DUPLICATE, "societe"])
    groups: dict[str, list[str]] = {}
    for f in flagged.itertuples(index=False):
        if f.societe in in_doubt:
            continue
        key = f.societe if f.societe in known else f"fichier_{slug(f.fichier)}"
        groups.setdefault(key, []).append(f.fichier)
    messages_of = dict(tuple(checked.messages.groupby("fichier", sort=False)))
    cells = checked.saisies
    cells_of = dict(tuple(cells[(cells["mesure"] == EFFECTIF) & (cells["categorie"] == TOUT)]
                          .groupby("fichier", sort=False)))
    comments_of = dict(tuple(checked.commentaires.groupby("fichier", sort=False)))
    written, busy = [], []
    for key, files in sorted(groups.items()):
        messages = pd.concat([messages_of.get(f, checked.messages.iloc[0:0]) for f in files])
        n_err = int((messages["gravite"] == Severity.ERROR).sum())
        n_warn = int((messages["gravite"] == Severity.WARNING).sum())
        name = campaign.raison_sociale(key) if key in known else fr(L.FEEDBACK_UNKNOWN, fichiers=", ".join(files))
        text = return_text(campaign, name, files, n_err, n_warn, form.SHEET_FEEDBACK)
        first_sheet = _anomalies_sheet(campaign, messages, text, name, edited)
        path = folder / f"{key}.xlsx"
        try:
            _write_one(checked, key, files, path, messages, first_sheet, cells_of, comments_of)
        except OutputBusy as err:
            busy += err.paths
            continue
        (folder / f"{key}.txt").write_text(text, encoding="utf-8")
        written.append(path)
    if busy:
        raise OutputBusy(busy)
    return written


def _write_one(checked: Checked, key: str, files: list[str], path: Path, messages: pd.DataFrame, first_sheet,
               cells_of: dict, comments_of: dict) -> None:
    """The company's figures as typed in a fresh template; or, for a file tied to no company, the
    Anomalies sheet alone."""
    campaign, cells = checked.campaign, checked.saisies
    if key in campaign.company_ids:
        own = cells_of.get(files[-1], cells.iloc[0:0])
        notes = comments_of.get(files[-1], checked.commentaires.iloc[0:0])
        marks: dict[str, str] = {}
        for m in messages.itertuples(index=False):
            if m.cle and marks.get(m.cle) != Severity.ERROR:
                marks[m.cle] = m.gravite
        comments = notes[notes["source"] == "colonne"].groupby("cle")["texte"].agg("\n".join).to_dict()
        write_template(campaign, key, path, dict(zip(own["cle"], own["brut"])), comments, marks, first_sheet)
    else:
        with atomic_workbook(path, title=fr(L.FEEDBACK_UNKNOWN_TITLE, fichiers=", ".join(files))) as wb:
            first_sheet(wb, formats(wb))
