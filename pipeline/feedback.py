"""Stage 4b — return to sender: a workbook to e-mail back to each company whose file has problems.

Entry point: :func:`write_feedback`. For each company whose return was rejected or accepted with
warnings, ``outputs/<campaign>/retours/<company>.xlsx`` holds its figures as read, in a *fresh*
template of the campaign (its own file is never re-saved: that would keep its damage and drop
stored results), the cells to review highlighted, and an "Anomalies" sheet listing every message
under a short French cover text; ``<company>.txt`` holds the same cover text for the e-mail.
A file that cannot be tied to a company of the campaign gets an "Anomalies"-only workbook.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .campaign import Campaign, slug
from .ingest import ERROR, REJECTED, WARNED, WARNING, IngestResult
from .templates import SHEET_FEEDBACK, build_layout, write_template
from .xlsx import atomic_workbook, formats, row_height

FEEDBACK_DIR = "retours"
GENERATED_SUFFIXES = (".xlsx", ".txt")


def cover_text(campaign: Campaign, company: str, files: list[str], n_errors: int, n_warnings: int) -> str:
    """The short French e-mail that goes with the workbook."""
    counts = [f"{n_errors} erreur(s)" if n_errors else "", f"{n_warnings} avertissement(s)" if n_warnings else ""]
    found = " et ".join(c for c in counts if c)
    names = ", ".join(f"« {f} »" for f in files)
    deadline = campaign.date_limite.strftime("%d/%m/%Y")
    if n_errors:
        verdict = ("Votre fichier n'a pas pu être pris en compte. Merci de corriger le classeur joint et de nous "
                   f"le renvoyer avant le {deadline}.")
    else:
        verdict = ("Votre fichier a bien été pris en compte. Merci de vérifier les points signalés et, si une "
                   f"correction est nécessaire, de nous renvoyer le classeur joint corrigé avant le {deadline}.")
    signature = "\n".join(campaign.contact_parts())
    return (
        f"Objet : effectifs par métier — {campaign.libelle} — {company}\n\n"
        "Bonjour,\n\n"
        f"Merci pour l'envoi de votre fichier {names}. Le contrôle automatique a relevé {found}, détaillés "
        f"dans la feuille « {SHEET_FEEDBACK} » du classeur joint. Ce classeur reprend vos chiffres dans le "
        "modèle de la campagne ; les cellules à revoir y sont surlignées (rouge : erreur, orange : "
        "avertissement).\n\n"
        f"{verdict}\n\n"
        "Cordialement,\n"
        f"{signature}\n"
    )


def _anomalies_sheet(campaign: Campaign, messages: pd.DataFrame, text: str):
    labels = {row.cle: row.intitule or row.emploi for row in build_layout(campaign.nomenclature) if row.cle}

    def write(wb, fmt) -> None:
        ws = wb.add_worksheet(SHEET_FEEDBACK)
        ws.set_tab_color("#C00000")
        widths = [14, 10, 34, 22, 60, 40, 50]
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        ws.write_string(0, 0, "Anomalies relevées dans votre fichier", fmt["title"])
        paragraphs = [p for p in text.split("\n\n") if p.strip()]
        for i, paragraph in enumerate(paragraphs, start=1):
            ws.merge_range(i, 0, i, 6, paragraph, fmt["wrap"])
            ws.set_row(i, row_height([(paragraph, sum(widths))]))
        header = len(paragraphs) + 2
        for c, h in enumerate(["Gravité", "Code", "Ligne", "Cellule dans votre fichier", "Problème", "Attendu",
                               "À faire"]):
            ws.write_string(header, c, h, fmt["header"])
        for r, m in enumerate(messages.itertuples(index=False), start=header + 1):
            style = fmt["error_cell"] if m.gravite == ERROR else fmt["warning_cell"] if m.gravite == WARNING \
                else fmt["cell"]
            where = f"{m.fichier} — {m.feuille}!{m.cellule}" if m.cellule else m.fichier
            values = [m.gravite, m.cle, labels.get(m.cle, ""), where, m.message, m.attendu, m.action]
            for c, v in enumerate(values):
                ws.write_string(r, c, str(v), style if c == 0 else fmt["cell"])
            ws.set_row(r, row_height(list(zip(values, widths))))
        ws.freeze_panes(header + 1, 0)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.activate()

    return write


def _clear(folder: Path) -> None:
    """Remove what an earlier run wrote: a company accepted since must not keep an old return."""
    if folder.is_dir():
        for path in folder.iterdir():
            if path.is_file() and path.suffix in GENERATED_SUFFIXES:
                path.unlink()


def write_feedback(result: IngestResult, folder: str | Path) -> list[Path]:
    """Write the return-to-sender workbooks (and e-mail texts) into ``folder``; returns the workbooks."""
    campaign, folder = result.campaign, Path(folder)
    _clear(folder)
    flagged = result.fichiers[result.fichiers["statut"].isin([REJECTED, WARNED])]
    known = set(campaign.societes["identifiant"])
    written = []
    groups: dict[str, list[str]] = {}
    for f in flagged.itertuples(index=False):
        key = f.societe if f.societe in known else f"fichier_{slug(f.fichier)}"
        groups.setdefault(key, []).append(f.fichier)
    messages_of = dict(tuple(result.messages.groupby("fichier", sort=False)))
    cells_of = dict(tuple(result.saisies.groupby("fichier", sort=False)))
    for key, files in sorted(groups.items()):
        messages = pd.concat([messages_of.get(f, result.messages.iloc[0:0]) for f in files])
        n_err = int((messages["gravite"] == ERROR).sum())
        n_warn = int((messages["gravite"] == WARNING).sum())
        company_name = campaign.raison_sociale(key) if key in known else f"fichier {', '.join(files)}"
        text = cover_text(campaign, company_name, files, n_err, n_warn)
        first_sheet = _anomalies_sheet(campaign, messages, text)
        path = folder / f"{key}.xlsx"
        if key in known:
            cells = cells_of.get(files[-1], result.saisies.iloc[0:0])
            marks = {}
            for m in messages.itertuples(index=False):
                if m.cle and marks.get(m.cle) != ERROR:
                    marks[m.cle] = m.gravite
            write_template(campaign, key, path, dict(zip(cells["cle"], cells["brut"])),
                           dict(zip(cells["cle"], cells["commentaire"])), marks, first_sheet)
        else:
            with atomic_workbook(path, title=f"Anomalies — {', '.join(files)}") as wb:
                first_sheet(wb, formats(wb))
        (folder / f"{key}.txt").write_text(text, encoding="utf-8")
        written.append(path)
    return written
