"""suivi.xlsx and relances.txt: where the campaign stands, every submission, and whom to chase."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

from ..compute.status import by_urgency, counts, to_chase
from ..core.campaign import Campaign
from ..core.form import SHEET_FEEDBACK
from ..core.models import DataFrame, Soumissions, Suivi
from ..core.texts import datetime as fr_datetime
from ..core.texts import fr
from ..core.texts import labels as L
from ..core.texts import mails as M
from ..core.texts.mails import Mail, reminder_mail
from ..core.vocab import CompanyState
from .mail import write_mail
from .xlsx import a4, atomic_workbook, edited_on, formats, paragraph, row_height


def reminder_text(campaign: Campaign, status: DataFrame[Suivi], drafts: dict[str, tuple[str, Mail]] | None = None,
                  folder: Path | None = None) -> str:
    """relances.txt: the companies to chase, what the secretary settles first, and each company's e-mail
    (``drafts``: company -> (addresses, mail), as :func:`write_reminders` makes them; ``folder``: where they are,
    as the secretary finds it from the project's folder)."""
    chase = to_chase(by_urgency(status))
    pending = status[status["statut"] == CompanyState.PENDING]
    if chase.empty and pending.empty:
        return M.REMINDER_NONE
    lines = []
    if len(chase):
        lines.append(M.REMINDER_LIST)
        for r in chase.itertuples(index=False):
            who = " — ".join(x for x in (r.contact, r.email) if x) or M.REMINDER_NO_CONTACT
            lines.append(fr(M.REMINDER_LINE, societe=r.raison_sociale, qui=who, motif=M.REMINDER_REASONS[r.statut]))
    if len(pending):
        lines += ["", M.REMINDER_SECRETARY] + [fr(M.REMINDER_SECRETARY_LINE, societe=r.raison_sociale,
                                                  fichiers=r.dernier_fichier) for r in pending.itertuples(index=False)]
    if drafts and folder is not None:
        lines += ["", fr(M.REMINDER_DRAFTS, dossier=folder)]
    for to, mail in (drafts or {}).values():
        lines += ["", M.REMINDER_SEPARATOR, fr(M.TO_LINE, adresses=to or M.NO_ADDRESS), mail.text.rstrip()]
    return "\n".join(lines) + "\n"


def write_reminders(campaign: Campaign, status: DataFrame[Suivi], latest: DataFrame[Soumissions], folder: Path,
                    feedback: Path, templates: Path, today: dt.date, contents: dict[str, str] | None = None
                    ) -> dict[str, tuple[str, Mail]]:
    """One ready e-mail per company to chase in ``folder`` (.eml and .txt): its template attached when nothing
    arrived, the return-to-sender workbook of its rejected file otherwise (``contents``: what that workbook holds,
    see :func:`~.feedback.returned_contents`). Returns company -> (addresses, mail)."""
    contents = contents or {}
    _clear_drafts(folder)
    kept_of = {r.societe: dt.datetime.fromisoformat(r.recu_le) for r in latest.itertuples(index=False)}
    drafts = {}
    for r in to_chase(by_urgency(status)).itertuples(index=False):
        returned = feedback / f"{r.identifiant}.xlsx"
        template = templates / campaign.template_name(r.identifiant)
        attachment = template if r.statut == CompanyState.MISSING else returned
        mail = reminder_mail(campaign, r.raison_sociale, r.statut, r.dernier_fichier,
                             dt.datetime.fromisoformat(r.recu_le) if r.recu_le else None,
                             kept_of.get(r.identifiant) if r.statut == CompanyState.REJECTED_KEPT else None,
                             returned.is_file(), SHEET_FEEDBACK, today, contents.get(r.identifiant, "figures"))
        write_mail(folder, r.identifiant, campaign, mail, [(r.contact, r.email)],
                   [attachment] if attachment.is_file() else [])
        drafts[r.identifiant] = (r.email, mail)
    return drafts


def _clear_drafts(folder: Path) -> None:
    if folder.is_dir():
        for path in folder.iterdir():
            if path.is_file() and path.suffix in (".eml", ".txt") and not path.name.startswith("."):
                with contextlib.suppress(PermissionError):
                    path.unlink()


# Printed: name to contact (a landscape page at 85 %); after them, for the screen only, the identifier
# and the e-mail address alone (to filter, to copy into a mail).
STATUS_WIDTHS = [22, 18, 8, 22, 14, 7, 13, 28, 16, 30]
PRINTED = 8
STATUS_HEADER = 5  # the row of the dashboard's column headings
SUBMISSION_WIDTHS = [6, 20, 30, 16, 16, 18, 10]
REMINDER_WIDTH = 72  # a portrait page at 100 %


def write_status(campaign: Campaign, status: DataFrame[Suivi], submissions: DataFrame[Soumissions],
                 path: str | Path, edited: dt.datetime | None = None, reminders: str = "") -> Path:
    """suivi.xlsx: the dashboard, every submission received, and the reminders (``reminders``: the text of
    relances.txt). ``edited``: when."""
    title = fr(L.STATUS_TITLE, campagne=campaign.identifiant)
    right = edited_on(edited)
    with atomic_workbook(path, title=title) as wb:
        fmt = formats(wb)
        ws = wb.add_worksheet(L.SHEET_STATUS)
        _dashboard(ws, fmt, campaign, status)
        a4(ws, title, right, campaign.libelle, repeat=(STATUS_HEADER, STATUS_HEADER))

        ws = wb.add_worksheet(L.SHEET_SUBMISSIONS)
        for c, (h, w) in enumerate(zip(L.SUBMISSIONS_HEADINGS, SUBMISSION_WIDTHS)):
            ws.write_string(0, c, h, fmt["header"])
            ws.set_column(c, c, w)
        ws.set_row(0, row_height(list(zip(L.SUBMISSIONS_HEADINGS, SUBMISSION_WIDTHS))))
        for r, s in enumerate(submissions.itertuples(index=False), start=1):
            values = [s.id, campaign.names.get(s.societe, s.societe) if s.societe else L.UNIDENTIFIED, s.fichier,
                      fr_datetime(s.recu_le), fr_datetime(s.integre_le), s.statut, s.total_declare]
            for c, v in enumerate(values):
                if c in (0, 6) and v is not None and v == v:
                    ws.write_number(r, c, int(v), fmt["number"])
                else:
                    ws.write_string(r, c, "" if v is None or v != v else str(v), fmt["cell"])
            ws.set_row(r, row_height([(str(v), w) for v, w in zip(values, SUBMISSION_WIDTHS) if isinstance(v, str)]))
        ws.freeze_panes(1, 0)
        a4(ws, title, right, campaign.libelle, repeat=(0, 0))

        ws = wb.add_worksheet(L.SHEET_REMINDERS)
        ws.set_column(0, 0, REMINDER_WIDTH)
        for r, line in enumerate((reminders or reminder_text(campaign, status)).split("\n")):
            ws.write_string(r, 0, line, fmt["wrap"])
            ws.set_row(r, row_height([(line, REMINDER_WIDTH)]))
        a4(ws, title, right, campaign.libelle, landscape=False)
    return Path(path)


def _dashboard(ws, fmt, campaign: Campaign, status: DataFrame[Suivi]) -> None:
    """Where each company stands, what needs doing first at the top."""
    width = sum(STATUS_WIDTHS[:PRINTED])
    paragraph(ws, 0, fr(L.STATUS_HEADING, libelle=campaign.libelle), PRINTED - 1, width, fmt["title_wrap"], 14)
    ws.write_string(1, 0, fr(L.STATUS_DEADLINE, date=campaign.date_limite), fmt["subtitle"])
    summary = " ; ".join(f"{k} : {v}" for k, v in counts(status).items())
    paragraph(ws, 3, summary[:1].upper() + summary[1:], PRINTED - 1, width, fmt["label_wrap"])
    for c, w in enumerate(STATUS_WIDTHS):
        ws.set_column(c, c, w)
    for c, h in enumerate(L.STATUS_HEADINGS):
        ws.write_string(STATUS_HEADER, c, h, fmt["header"])
    ws.set_row(STATUS_HEADER, row_height(list(zip(L.STATUS_HEADINGS, STATUS_WIDTHS))))
    style = {CompanyState.ACCEPTED: fmt["cell"], CompanyState.WARNED: fmt["warning_cell"],
             CompanyState.MISSING: fmt["error_cell"], CompanyState.REJECTED: fmt["error_cell"],
             CompanyState.REJECTED_KEPT: fmt["warning_cell"], CompanyState.PENDING: fmt["warning_cell"]}
    for r, row in enumerate(by_urgency(status).itertuples(index=False), start=STATUS_HEADER + 1):
        contact = "\n".join(x for x in (row.contact, row.email) if x)
        values = [row.raison_sociale, row.statut, row.fichiers_recus, row.dernier_fichier, fr_datetime(row.recu_le),
                  L.YES if row.en_retard else L.NO, row.soumission_retenue, contact, row.identifiant, row.email]
        for c, v in enumerate(values):
            if c == 2:
                ws.write_number(r, c, int(v), fmt["number"])
            else:
                ws.write_string(r, c, str(v), style[CompanyState(row.statut)] if c == 1 else fmt["cell"])
        ws.set_row(r, row_height([(str(v), w) for v, w in zip(values, STATUS_WIDTHS) if isinstance(v, str)]))
    ws.freeze_panes(STATUS_HEADER + 1, 1)
    ws.print_area(0, 0, STATUS_HEADER + len(status), PRINTED - 1)
