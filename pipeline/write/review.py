"""The review workbook of the job-title assistant: one row per title, the proposal, and an unlocked
« Code retenu » for HR to confirm or correct."""

from __future__ import annotations

from pathlib import Path


from ..core import form
from ..core.campaign import Campaign
from ..core.models import DataFrame, Propositions
from ..core.texts import fr
from ..core.texts import labels as L
from .xlsx import a4, atomic_workbook, formats, paragraph, row_height


REVIEW_WIDTHS = [20, 7, 7, 16, 12, 8, 12, 14, 14, 8, 13]  # a landscape page at 80 %
CODES_WIDTHS = [7, 36, 34]  # a portrait page at 100 %


def write_review(campaign: Campaign, company_id: str, proposals: DataFrame[Propositions], path: str | Path) -> Path:
    nom = campaign.nomenclature
    titles = dict(zip(nom.metiers["code_metier"], nom.metiers["intitule_metier"]))
    company = campaign.raison_sociale(company_id)
    with atomic_workbook(path, title=fr(L.REVIEW_WORKBOOK_TITLE, societe=company)) as wb:
        wb.set_custom_property(form.PROP_CAMPAIGN, campaign.identifiant, "text")
        wb.set_custom_property(form.PROP_COMPANY, company_id, "text")
        wb.set_custom_property(form.PROP_REVIEW, "1", "text")
        fmt = formats(wb)
        ws = wb.add_worksheet(form.SHEET_REVIEW)
        codes = wb.add_worksheet(form.SHEET_CODES)
        widths = REVIEW_WIDTHS
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        last = len(widths) - 1
        paragraph(ws, 0, fr(L.REVIEW_HEADING, societe=company), last, sum(widths), fmt["title_wrap"], 14)
        paragraph(ws, 1, L.REVIEW_HELP, last, sum(widths), fmt["subtitle_wrap"])
        paragraph(ws, 2, fr(L.REVIEW_CODES_HELP, campagne=campaign.identifiant, feuille=form.SHEET_CODES), last,
                  sum(widths), fmt["note"], 8)
        header = form.REVIEW_HEADER_ROW
        for c, h in enumerate(form.REVIEW_HEADINGS):
            ws.write_string(header, c, h, fmt["header"])
        ws.set_row(header, row_height(list(zip(form.REVIEW_HEADINGS, widths))))
        rows = [(r.cle, titles[r.code_metier], r.intitule_emploi) for r in nom.lignes.itertuples(index=False)]
        rows.append((form.KEY_NV, L.NOT_VENTILATED_TITLE, ""))
        for c, h in enumerate(L.REVIEW_CODES_HEADINGS):
            codes.write_string(0, c, h, fmt["header"])
        for r, row in enumerate(rows, start=1):
            for c, text in enumerate(row):
                codes.write_string(r, c, str(text), fmt["cell"])
            codes.set_row(r, row_height([(str(t), w) for t, w in zip(row, CODES_WIDTHS)]))
        for c, w in enumerate(CODES_WIDTHS):
            codes.set_column(c, c, w)
        title = fr(L.REVIEW_WORKBOOK_TITLE, societe=company)
        a4(codes, title, "", campaign.libelle, landscape=False, repeat=(0, 0))
        validation = {"validate": "list", "source": f"={form.SHEET_CODES}!$A$2:$A${len(rows) + 1}",
                      "error_title": L.REVIEW_VALIDATION_TITLE, "error_message": L.REVIEW_VALIDATION}
        unsure = wb.add_format({"bg_color": "#FFD966", "border": 1, "border_color": "#A6A6A6", "font_size": 10,
                                "text_wrap": True, "valign": "top"})
        for i, p in enumerate(proposals.itertuples(index=False), start=header + 1):
            style = unsure if p.a_verifier else fmt["cell"]
            values = [p.intitule, p.effectif, p.cle, p.metier, p.emploi, p.confiance, p.a_verifier,
                      p.alternative_1, p.alternative_2]
            for c, v in enumerate(values):
                if c == 1:
                    ws.write_number(i, c, int(v), fmt["number"])
                elif c == 5:
                    ws.write_number(i, c, float(v), fmt["percent"])
                else:
                    ws.write_string(i, c, str(v), style)
            ws.write_string(i, form.COL_KEPT, "" if p.a_verifier else p.cle, fmt["input_text"])
            ws.data_validation(i, form.COL_KEPT, i, form.COL_KEPT, validation)
            ws.write_string(i, form.COL_KEPT + 1, "", fmt["input_text"])
            ws.set_row(i, row_height([(str(v), w) for v, w in zip(values, widths) if isinstance(v, str)]))
        ws.freeze_panes(header + 1, 1)
        ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True, "format_columns": True,
                        "autofilter": True, "sort": False})
        ws.autofilter(header, 0, header + max(len(proposals), 1), len(form.REVIEW_HEADINGS) - 1)
        a4(ws, title, "", campaign.libelle, repeat=(header, header))
        ws.activate()
    return Path(path)
