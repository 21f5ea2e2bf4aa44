"""Stage 6 — where the campaign stands: per company, what was received, accepted, late or missing.

Entry points: :func:`campaign_status` (the dashboard as a frame, from the history), :func:`reminder_text`
(the companies to chase and the e-mail to send them) and :func:`write_status` (``suivi.xlsx``).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pandas as pd

from . import history
from .campaign import Campaign
from .ingest import ACCEPTED, REJECTED, WARNED
from .xlsx import atomic_workbook, formats, row_height

MISSING = "manquant"
PENDING = "à départager (plusieurs fichiers)"
REJECTED_KEPT = "rejeté (soumission précédente retenue)"
COLUMNS = ["identifiant", "raison_sociale", "statut", "fichiers_recus", "dernier_fichier", "recu_le", "en_retard",
           "soumission_retenue", "contact", "email"]
HEADINGS = ["Identifiant", "Raison sociale", "Statut", "Fichiers reçus", "Dernier fichier", "Reçu le", "En retard",
            "Soumission retenue", "Contact", "Courriel"]


def campaign_status(campaign: Campaign, conn: sqlite3.Connection, today: dt.date | None = None,
                    pending: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """One row per expected company. ``pending``: company -> files waiting for a duplicate to go."""
    today = today or dt.date.today()
    pending = pending or {}
    subs = history.submissions(conn, campaign.identifiant)
    latest_ok = history.latest_accepted(conn, campaign.identifiant).set_index("company_id")
    subs_of = dict(tuple(subs.groupby("company_id", sort=False)))
    rows = []
    for soc in campaign.societes.itertuples(index=False):
        own = subs_of.get(soc.identifiant, subs.iloc[0:0])
        last = own.iloc[-1] if len(own) else None
        if soc.identifiant in pending:
            statut = PENDING
        elif last is None:
            statut = MISSING
        elif last["status"] == REJECTED and soc.identifiant in latest_ok.index:
            statut = REJECTED_KEPT
        else:
            statut = last["status"]
        received = dt.datetime.fromisoformat(last["received_at"]) if last is not None else None
        late = (received.date() > campaign.date_limite) if received else today > campaign.date_limite
        kept = latest_ok.loc[soc.identifiant] if soc.identifiant in latest_ok.index else None
        rows.append(dict(
            identifiant=soc.identifiant, raison_sociale=soc.raison_sociale, statut=statut,
            fichiers_recus=len(own) + len(pending.get(soc.identifiant, [])),
            dernier_fichier=", ".join(pending[soc.identifiant]) if soc.identifiant in pending
            else (last["file_name"] if last is not None else ""),
            recu_le=received.strftime("%d/%m/%Y %H:%M") if received else "",
            en_retard="oui" if late else "non",
            soumission_retenue=f"n° {int(kept['id'])} du {dt.datetime.fromisoformat(kept['received_at']):%d/%m/%Y}"
            if kept is not None else "",
            contact=soc.contact, email=soc.email,
        ))
    return pd.DataFrame(rows, columns=COLUMNS)


def counts(status: pd.DataFrame) -> dict[str, int]:
    s = status["statut"]
    return {
        "attendues": len(status),
        "reçues": int((s != MISSING).sum()),
        "acceptées": int((s == ACCEPTED).sum()),
        "acceptées avec avertissements": int((s == WARNED).sum()),
        "rejetées": int(s.isin([REJECTED, REJECTED_KEPT]).sum()),
        "à départager": int((s == PENDING).sum()),
        "manquantes": int((s == MISSING).sum()),
        "en retard": int((status["en_retard"] == "oui").sum()),
    }


def to_chase(status: pd.DataFrame) -> pd.DataFrame:
    """Companies to remind: nothing received, or their latest file rejected, or two files to sort out."""
    return status[status["statut"].isin([MISSING, REJECTED, REJECTED_KEPT, PENDING])]


def reminder_text(campaign: Campaign, status: pd.DataFrame) -> str:
    chase = to_chase(status)
    if chase.empty:
        return "Aucune relance à faire : toutes les sociétés attendues ont un fichier accepté.\n"
    reasons = {MISSING: "aucun fichier reçu", REJECTED: "dernier fichier rejeté",
               REJECTED_KEPT: "dernier fichier rejeté (le précédent, accepté, est retenu)",
               PENDING: "plusieurs fichiers reçus : lequel retenir ?"}
    lines = ["Sociétés à relancer :"]
    for r in chase.itertuples(index=False):
        who = " — ".join(x for x in (r.contact, r.email) if x) or "contact à compléter dans le fichier de campagne"
        lines.append(f"- {r.raison_sociale} ({who}) : {reasons[r.statut]}")
    emails = [e for e in chase["email"] if e]
    deadline = campaign.date_limite.strftime("%d/%m/%Y")
    lines += [
        "",
        f"Destinataires (en copie cachée) : {'; '.join(emails) if emails else '(aucune adresse connue)'}",
        "",
        f"Objet : relance — effectifs par métier — {campaign.libelle}",
        "",
        "Bonjour,",
        "",
        f"Sauf erreur de notre part, nous n'avons pas encore de fichier exploitable de votre société pour la "
        f"campagne « {campaign.libelle} » (effectifs permanents au {campaign.date_arrete.strftime('%d/%m/%Y')}). "
        f"La date limite de retour est fixée au {deadline}.",
        "",
        "Si vous avez reçu de notre part un classeur d'anomalies, il suffit de le corriger et de nous le renvoyer ; "
        "sinon, merci de remplir le modèle qui vous a été adressé et de nous le retourner au format .xlsx.",
        "",
        "Cordialement,",
        "\n".join(campaign.contact_parts()),
    ]
    return "\n".join(lines) + "\n"


def console_lines(campaign: Campaign, status: pd.DataFrame) -> list[str]:
    c = counts(status)
    lines = [f"Campagne {campaign.identifiant} — date limite {campaign.date_limite:%d/%m/%Y}",
             " ; ".join(f"{k} : {v}" for k, v in c.items())]
    widths = [28, 38, 8, 17, 10]
    head = ["Société", "Statut", "Fichiers", "Dernier reçu", "En retard"]
    lines.append("  ".join(h.ljust(w) for h, w in zip(head, widths)) + "Contact")
    for r in status.itertuples(index=False):
        cells = [r.raison_sociale, r.statut, str(r.fichiers_recus), r.recu_le, r.en_retard]
        lines.append("  ".join(str(v)[:w].ljust(w) for v, w in zip(cells, widths))
                     + " — ".join(x for x in (r.contact, r.email) if x))
    return lines


def write_status(campaign: Campaign, status: pd.DataFrame, submissions: pd.DataFrame, path: str | Path) -> Path:
    """suivi.xlsx: the dashboard, every submission received, and the reminders."""
    with atomic_workbook(path, title=f"Suivi de la campagne {campaign.identifiant}") as wb:
        fmt = formats(wb)
        ws = wb.add_worksheet("Suivi")
        ws.write_string(0, 0, f"Suivi de la campagne — {campaign.libelle}", fmt["title"])
        ws.write_string(1, 0, f"Date limite de retour : {campaign.date_limite:%d/%m/%Y}", fmt["subtitle"])
        for i, (k, v) in enumerate(counts(status).items()):
            ws.write_string(3, i, k.capitalize(), fmt["header"])
            ws.write_number(4, i, v, fmt["number"])
        widths = [20, 30, 34, 9, 36, 16, 10, 22, 24, 30]
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        for c, h in enumerate(HEADINGS):
            ws.write_string(6, c, h, fmt["header"])
        style = {ACCEPTED: fmt["cell"], WARNED: fmt["warning_cell"], MISSING: fmt["error_cell"],
                 REJECTED: fmt["error_cell"], REJECTED_KEPT: fmt["warning_cell"], PENDING: fmt["warning_cell"]}
        for r, row in enumerate(status.itertuples(index=False), start=7):
            for c, v in enumerate(row):
                if c == 3:
                    ws.write_number(r, c, int(v), fmt["number"])
                else:
                    ws.write_string(r, c, str(v), style[row.statut] if c == 2 else fmt["cell"])
        ws.freeze_panes(7, 2)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)

        ws = wb.add_worksheet("Soumissions")
        heads = ["N°", "Société", "Fichier", "Reçu le", "Intégré le", "Statut", "Total déclaré"]
        for c, (h, w) in enumerate(zip(heads, [7, 22, 40, 18, 18, 28, 13])):
            ws.write_string(0, c, h, fmt["header"])
            ws.set_column(c, c, w)
        for r, s in enumerate(submissions.itertuples(index=False), start=1):
            values = [s.id, s.company_id or "(non identifiée)", s.file_name, s.received_at.replace("T", " "),
                      s.ingested_at.replace("T", " "), s.status, s.declared_total]
            for c, v in enumerate(values):
                if c in (0, 6) and v is not None and v == v:
                    ws.write_number(r, c, int(v), fmt["number"])
                else:
                    ws.write_string(r, c, "" if v is None or v != v else str(v), fmt["cell"])
        ws.freeze_panes(1, 0)

        ws = wb.add_worksheet("Relances")
        ws.set_column(0, 0, 120)
        for r, line in enumerate(reminder_text(campaign, status).split("\n")):
            ws.write_string(r, 0, line, fmt["wrap"])
            ws.set_row(r, row_height([(line, 120)]))
    return Path(path)
