"""suivi.xlsx and relances.txt: where the campaign stands, every submission, and whom to chase."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

from ..compute.status import counts, to_chase
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
from .xlsx import a4, atomic_workbook, formats, row_height


def reminder_text(campaign: Campaign, status: DataFrame[Suivi], drafts: dict[str, tuple[str, Mail]] | None = None,
                  folder: Path | None = None) -> str:
    """relances.txt: the companies to chase, what the secretary settles first, and each company's e-mail
    (``drafts``: company -> (addresses, mail), as :func:`write_reminders` makes them; ``folder``: where they are,
    as the secretary finds it from the project's folder)."""
    chase = to_chase(status)
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
                    feedback: Path, templates: Path, today: dt.date) -> dict[str, tuple[str, Mail]]:
    """One ready e-mail per company to chase in ``folder`` (.eml and .txt): its template attached when nothing
    arrived, the return-to-sender workbook of its rejected file otherwise. Returns company -> (addresses, mail)."""
    _clear_drafts(folder)
    kept_of = {r.societe: dt.datetime.fromisoformat(r.recu_le) for r in latest.itertuples(index=False)}
    drafts = {}
    for r in to_chase(status).itertuples(index=False):
        returned = feedback / f"{r.identifiant}.xlsx"
        template = templates / campaign.template_name(r.identifiant)
        attachment = template if r.statut == CompanyState.MISSING else returned
        mail = reminder_mail(campaign, r.raison_sociale, r.statut, r.dernier_fichier,
                             dt.datetime.fromisoformat(r.recu_le) if r.recu_le else None,
                             kept_of.get(r.identifiant) if r.statut == CompanyState.REJECTED_KEPT else None,
                             returned.is_file(), SHEET_FEEDBACK, today)
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


def write_status(campaign: Campaign, status: DataFrame[Suivi], submissions: DataFrame[Soumissions],
                 path: str | Path, reminders: str = "") -> Path:
    """suivi.xlsx: the dashboard, every submission received, and the reminders."""
    with atomic_workbook(path, title=fr(L.STATUS_TITLE, campagne=campaign.identifiant)) as wb:
        fmt = formats(wb)
        ws = wb.add_worksheet(L.SHEET_STATUS)
        ws.write_string(0, 0, fr(L.STATUS_HEADING, libelle=campaign.libelle), fmt["title"])
        ws.write_string(1, 0, fr(L.STATUS_DEADLINE, date=campaign.date_limite), fmt["subtitle"])
        for i, (k, v) in enumerate(counts(status).items()):
            ws.write_string(3, i, k.capitalize(), fmt["header"])
            ws.write_number(4, i, v, fmt["number"])
        for c, w in enumerate([20, 30, 34, 9, 36, 16, 10, 22, 24, 30]):
            ws.set_column(c, c, w)
        for c, h in enumerate(L.STATUS_HEADINGS):
            ws.write_string(6, c, h, fmt["header"])
        style = {CompanyState.ACCEPTED: fmt["cell"], CompanyState.WARNED: fmt["warning_cell"],
                 CompanyState.MISSING: fmt["error_cell"], CompanyState.REJECTED: fmt["error_cell"],
                 CompanyState.REJECTED_KEPT: fmt["warning_cell"], CompanyState.PENDING: fmt["warning_cell"]}
        for r, row in enumerate(status.itertuples(index=False), start=7):
            values = [row.identifiant, row.raison_sociale, row.statut, row.fichiers_recus, row.dernier_fichier,
                      fr_datetime(row.recu_le), L.YES if row.en_retard else L.NO, row.soumission_retenue, row.contact,
                      row.email]
            for c, v in enumerate(values):
                if c == 3:
                    ws.write_number(r, c, int(v), fmt["number"])
                else:
                    ws.write_string(r, c, str(v), style[CompanyState(row.statut)] if c == 2 else fmt["cell"])
        ws.freeze_panes(7, 2)
        a4(ws, repeat=(6, 6), footer=campaign.libelle)

        ws = wb.add_worksheet(L.SHEET_SUBMISSIONS)
        for c, (h, w) in enumerate(zip(L.SUBMISSIONS_HEADINGS, [7, 22, 40, 18, 18, 28, 13])):
            ws.write_string(0, c, h, fmt["header"])
            ws.set_column(c, c, w)
        for r, s in enumerate(submissions.itertuples(index=False), start=1):
            values = [s.id, s.societe or L.UNIDENTIFIED, s.fichier, fr_datetime(s.recu_le), fr_datetime(s.integre_le), s.statut,
                      s.total_declare]
            for c, v in enumerate(values):
                if c in (0, 6) and v is not None and v == v:
                    ws.write_number(r, c, int(v), fmt["number"])
                else:
                    ws.write_string(r, c, "" if v is None or v != v else str(v), fmt["cell"])
        ws.freeze_panes(1, 0)
        a4(ws, repeat=(0, 0), footer=campaign.libelle)

        ws = wb.add_worksheet(L.SHEET_REMINDERS)
        ws.set_column(0, 0, 120)
        for r, line in enumerate((reminders or reminder_text(campaign, status)).split("\n")):
            ws.write_string(r, 0, line, fmt["wrap"])
            ws.set_row(r, row_height([(line, 120)]))
        a4(ws, landscape=False, footer=campaign.libelle)
    return Path(path)
