"""Return to sender: a workbook and a ready e-mail for each company whose return has problems.

Entry point: :func:`write_feedback`. For each company of the campaign whose file in the input folder was
rejected or accepted with warnings, ``outputs/<campaign>/retours/<company>.xlsx`` holds its figures as
read, in a *fresh* template of the campaign (its own file is never re-saved: that would keep its damage
and drop stored results) with the N−1 reminder column, the cells to review highlighted, and an
"Anomalies" sheet listing every message of that file under the cover text; ``<company>.eml`` is the
e-mail with the workbook attached and ``<company>.txt`` its plain text. When no figure could be read
(another campaign's template, sheet or headings not found), the workbook is the company's blank template:
the cover text says what the workbook holds, never more.

Nothing goes to a company for what is the secretary's to settle (:mod:`pipeline.check.tasks`): two
files of one company in the folder, or a file that is no company's return.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from xlsxwriter.utility import xl_cell_to_rowcol, xl_rowcol_to_cell

from ..check.batch import Checked
from ..check.identity import NAME_OTHER, NAMED
from ..core import form
from ..core.campaign import Campaign
from ..core.columns import records
from ..core.layout import build_layout
from ..core.parallel import started
from ..core.texts import fr
from ..core.texts import labels as L
from ..core.texts.mails import return_mail
from ..core.texts.messages import rendered
from ..core.vocab import EFFECTIF, TOUT, Severity, Status
from .mail import write_mail
from .template import write_template
from .xlsx import OutputBusy, a4, edited_on, paragraph, row_height

FEEDBACK_DIR = "retours"
DUPLICATE = "societe.plusieurs_fichiers"
XLS = "fichier.xls"  # an old .xls, read and checked: the workbook sent back holds its figures as .xlsx
GENERATED_SUFFIXES = (".xlsx", ".txt", ".eml")
WIDTHS = [12, 7, 20, 20, 28, 19, 24]  # a landscape page at 85 %
RANK = {Severity.WARNING: 1, Severity.ERROR: 2}  # how a cell named by several messages is highlighted


@dataclass(frozen=True)
class Round:
    """What the history says about the files being sent back."""

    today: dt.date
    edited: dt.datetime | None = None  # when the check ran (the Anomalies pages' header says it)
    received: dict[str, dt.datetime] = field(default_factory=dict)        # file -> when it arrived
    kept: dict[str, tuple[str, dt.datetime]] = field(default_factory=dict)  # company -> accepted file still used
    previous: dict[str, dict[int, float]] | None = None                   # company -> its N−1 reminder values


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
        for r, m in enumerate(records(messages), start=header + 1):
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


def sent_back(checked: Checked) -> dict[str, str]:
    """Company -> the file sent back to it: its rejected file, or accepted with warnings (not a company left to
    the secretary because of two files, nor a file of its template named after another company: that company's
    figures, perhaps, not to be sent to this one)."""
    named = checked.messages.loc[checked.messages["code"] == NAME_OTHER, "fichier"]
    flagged = checked.fichiers[checked.fichiers["statut"].isin([Status.REJECTED, Status.WARNED])
                               & checked.fichiers["societe"].isin(checked.campaign.company_ids)
                               & ~checked.fichiers["fichier"].isin(checked.en_attente)
                               & ~checked.fichiers["fichier"].isin(named)]
    in_doubt = set(checked.messages.loc[checked.messages["code"] == DUPLICATE, "societe"])
    return {f.societe: f.fichier for f in flagged.itertuples(index=False) if f.societe not in in_doubt}


def returned_contents(checked: Checked) -> dict[str, str]:
    """What the workbook sent back to each company (:func:`sent_back`) holds: "blank", its blank template (no figure
    of its file could be read); "converted", the figures of an .xls whose only error is its format; "figures"."""
    read, only_xls = set(checked.saisies["fichier"]), format_only(checked)
    return {company: "blank" if file not in read else "converted" if file in only_xls else "figures"
            for company, file in sent_back(checked).items()}


def format_only(checked: Checked) -> set[str]:
    """The files whose only error is their .xls format (:data:`XLS`): their figures, read and checked, go back as
    an .xlsx to check and return, nothing to correct."""
    errors = checked.messages[checked.messages["gravite"] == Severity.ERROR]
    return set(errors["fichier"]) - set(errors.loc[errors["code"] != XLS, "fichier"])


def write_feedback(checked: Checked, folder: str | Path, round_: Round) -> list[Path]:
    """Write the return-to-sender workbooks, e-mails and their texts into ``folder``; returns the workbooks."""
    with feedback_started(checked, folder, round_, beside=False) as written:
        return written()


@contextlib.contextmanager
def feedback_started(checked: Checked, folder: str | Path, round_: Round, beside: bool) -> Iterator[Callable]:
    """:func:`write_feedback`, its workbooks asked for later through the function the context gives (it raises
    :class:`OutputBusy` when some were held open). With ``beside``, workers write them while the caller goes on
    (see :func:`~pipeline.core.parallel.started`)."""
    jobs, send_back = _jobs(checked, Path(folder), round_)
    del checked
    with started(send_back, jobs, beside) as results:
        del send_back

        def written() -> list[Path]:
            done = results()
            busy = [p for _, held in done for p in held]
            if busy:
                raise OutputBusy(busy)
            return [path for path, _ in done if path is not None]

        yield written


def _jobs(checked: Checked, folder: Path, round_: Round) -> tuple[list[tuple], Callable]:
    """The companies to send a workbook to, each job with its file's own messages, cells and comments, and the
    function writing one (its workbook and e-mail). A job carries what is its own: a forked worker receives it as a
    copy of its own, let go once written, instead of reaching into the batch's frames it inherited (each page it
    touched there became the worker's: some 17 MB per worker over the 500 returns of 10,000 companies)."""
    campaign = checked.campaign
    _clear(folder)
    latest = sent_back(checked)
    sent = set(latest.values())  # the files sent back only: a frame per file of the batch would be thousands
    converted = format_only(checked)

    def of(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
        return dict(tuple(frame[frame["fichier"].isin(sent)].groupby("fichier", sort=False)))

    no_messages, no_cells, no_notes = checked.messages.iloc[0:0], checked.saisies.iloc[0:0], \
        checked.commentaires.iloc[0:0]
    messages_of = of(checked.messages[checked.messages["code"] != NAMED])  # how the file was attributed: ours
    cells_of = of(checked.saisies)  # headcount, and breakdowns and ETP if asked
    comments_of = of(checked.commentaires)
    contact = dict(zip(campaign.societes["identifiant"], zip(campaign.societes["contact"], campaign.societes["email"])))
    jobs = [(company, file, campaign.raison_sociale(company), contact[company], messages_of.get(file, no_messages),
             cells_of.get(file), comments_of.get(file, no_notes)) for company, file in sorted(latest.items())]

    def send_back(job: tuple) -> tuple[Path | None, list[Path]]:
        """One company's workbook and e-mail: (the workbook, []) or (None, the outputs held open)."""
        company, file, name, to, messages, own, notes = job
        mail = return_mail(campaign, name, file, round_.received.get(file, dt.datetime.combine(round_.today,
                                                                                                 dt.time())),
                           int((messages["gravite"] == Severity.ERROR).sum()),
                           int((messages["gravite"] == Severity.WARNING).sum()), form.SHEET_FEEDBACK,
                           _content(own is not None, messages), round_.kept.get(company), round_.today,
                           converted=file in converted)
        first_sheet = _anomalies_sheet(campaign, messages, mail.sheet_body, name, round_.edited)
        path = folder / f"{company}.xlsx"
        try:
            _write_figures(campaign, company, path, no_cells if own is None else own, notes, messages, first_sheet,
                           None if round_.previous is None else round_.previous.get(company, {}))
        except OutputBusy as err:
            return None, err.paths
        write_mail(folder, company, campaign, mail, [to], [path])
        return path, []

    return jobs, send_back  # a workbook each: across the machine's cores


def _content(figures: bool, messages: pd.DataFrame) -> str:
    """What the workbook holds besides the Anomalies sheet (see :func:`~pipeline.core.texts.mails.return_mail`):
    the figures read, highlighted where a message names a row; or a blank template when none were read."""
    if not figures:
        return "blank"
    return "marked" if (messages["cle"].astype(str) != "").any() else "figures"


def _refs(text: str) -> list[str]:
    """The cells a message names: « E12 », « G12:K12 » (one row), or several of these separated by spaces."""
    out = []
    for part in str(text or "").split():
        first, _, last = part.partition(":")
        try:
            (r0, c0), (r1, c1) = xl_cell_to_rowcol(first), xl_cell_to_rowcol(last or first)
        except (AttributeError, TypeError, ValueError):
            continue
        out += [xl_rowcol_to_cell(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]
    return out


def _marks(own: pd.DataFrame, messages: pd.DataFrame) -> dict:
    """The inputs to highlight: the very cells a message names when they are input cells of its row (a breakdown's
    cells, the ETP cell: keyed (row key, input key); the headcount: keyed by the row key), else the row's headcount.
    Cells are matched through the file as read, so a row inserted by HR still finds its place in the fresh template."""
    target: dict[tuple[str, str], object] = {}
    for cle, cell, mesure, categorie in records(own[["cle", "cellule", "mesure", "categorie"]], named=False):
        key = form.input_key(mesure, categorie)
        target[(cle, cell)] = cle if key == form.input_key(EFFECTIF, TOUT) else (cle, key)
    marks: dict = {}
    for m in records(messages):
        if not m.cle:
            continue
        params = m.params if isinstance(m.params, dict) else {}
        named = [target[(m.cle, ref)] for ref in _refs(m.cellule) + _refs(params.get("cellules", ""))
                 if (m.cle, ref) in target]
        for mark in named or [m.cle]:
            if RANK.get(m.gravite, 0) > RANK.get(marks.get(mark), 0):  # an error outranks a warning on one cell
                marks[mark] = m.gravite
    return marks


def _write_figures(campaign: Campaign, company: str, path: Path, own: pd.DataFrame, notes: pd.DataFrame,
                   messages: pd.DataFrame, first_sheet, previous: dict[int, float] | None) -> None:
    """The company's figures as typed, in a fresh template with its N−1 reminder, cells to review marked."""
    marks = _marks(own, messages)
    comments = notes[notes["source"] == "colonne"].groupby("cle")["texte"].agg("\n".join).to_dict()
    head = (own["mesure"] == EFFECTIF) & (own["categorie"] == TOUT)
    values: dict = dict(zip(own.loc[head, "cle"], own.loc[head, "brut"]))
    values.update({(k, form.input_key(m, c)): v
                   for k, m, c, v in records(own.loc[~head, ["cle", "mesure", "categorie", "brut"]], named=False)})
    write_template(campaign, company, path, values, comments, marks, first_sheet, previous=previous)
