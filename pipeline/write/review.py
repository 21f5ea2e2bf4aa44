"""The review workbook of the job-title assistant: one row per title, the proposal and why, and an unlocked
« Code retenu » for HR to confirm or correct — pre-filled only where the evidence is strong."""

from __future__ import annotations

import math
from pathlib import Path

from ..core import form
from ..core.campaign import Campaign
from ..core.models import DataFrame
from ..core.models_titles import Propositions
from ..core.texts import fr
from ..core.texts import matching as M
from .xlsx import (
    HEADCOUNT_FORMAT,
    LIGHT_BLUE,
    ORANGE_FILL,
    a4,
    atomic_workbook,
    formats,
    paragraph,
    percent_format,
    row_height,
)

WIDTHS = [18, 6, 8, 15, 9, 22, 16, 17, 8, 13]  # a landscape page at 80 %
CODES_WIDTHS = [7, 36, 34]  # a portrait page at 100 %


def cell_format(wb, **options):
    """A bordered 10-point cell aligned on the top, like the wrapped texts beside it."""
    return wb.add_format({"border": 1, "border_color": "#A6A6A6", "font_size": 10, "valign": "top", **options})


def code_rows(campaign: Campaign) -> list[tuple[str, str, str]]:
    """(code, métier, emploi rattaché) of every template row, and NV: what « Code retenu » may hold."""
    nom = campaign.nomenclature
    titles = dict(zip(nom.metiers["code_metier"], nom.metiers["intitule_metier"]))
    rows = [(r.cle, titles[r.code_metier], r.intitule_emploi) for r in nom.lignes.itertuples(index=False)]
    return rows + [(form.KEY_NV, M.NOT_VENTILATED_TITLE, "")]


def write_codes_sheet(wb, fmt: dict, rows: list[tuple[str, str, str]], page: tuple[str, str, str] = ("", "", "")) \
        -> dict:
    """The « Codes » sheet, and the data validation of a cell that takes one of its codes (a warning, not a
    refusal: "103" or "0101" typed by HR are settled when the workbook is read back)."""
    codes = wb.add_worksheet(form.SHEET_CODES)
    for c, h in enumerate(M.REVIEW_CODES_HEADINGS):
        codes.write_string(0, c, h, fmt["header"])
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            codes.write_string(r, c, str(text), fmt["cell"])
        codes.set_row(r, row_height([(str(t), w) for t, w in zip(row, CODES_WIDTHS)]))
    for c, w in enumerate(CODES_WIDTHS):
        codes.set_column(c, c, w)
    a4(codes, *page, landscape=False, repeat=(0, 0))
    return {"validate": "list", "source": f"={form.SHEET_CODES}!$A$2:$A${len(rows) + 1}", "error_type": "warning",
            "error_title": M.REVIEW_VALIDATION_TITLE, "error_message": M.REVIEW_VALIDATION}


def write_review(campaign: Campaign, company_id: str, proposals: DataFrame[Propositions], path: str | Path) -> Path:
    company = campaign.raison_sociale(company_id)
    title = fr(M.REVIEW_WORKBOOK_TITLE, societe=company)
    with atomic_workbook(path, title=title) as wb:
        wb.set_custom_property(form.PROP_CAMPAIGN, campaign.identifiant, "text")
        wb.set_custom_property(form.PROP_COMPANY, company_id, "text")
        wb.set_custom_property(form.PROP_REVIEW, "1", "text")
        fmt = formats(wb)
        ws = wb.add_worksheet(form.SHEET_REVIEW)
        validation = write_codes_sheet(wb, fmt, code_rows(campaign), (title, "", campaign.libelle))
        for c, w in enumerate(WIDTHS):
            ws.set_column(c, c, w)
        fills = {"strong": fmt["cell"], "confident": cell_format(wb, bg_color=LIGHT_BLUE, text_wrap=True),
                 "unsure": cell_format(wb, bg_color=ORANGE_FILL, text_wrap=True)}
        percent = cell_format(wb, num_format=percent_format(0), align="right")
        number = cell_format(wb, num_format=HEADCOUNT_FORMAT, align="right")
        last, total = len(WIDTHS) - 1, sum(WIDTHS)
        paragraph(ws, 0, fr(M.REVIEW_HEADING, societe=company), last, total, fmt["title_wrap"], 14)
        paragraph(ws, 1, M.REVIEW_HELP, last, total, fmt["wrap"])
        paragraph(ws, 2, fr(M.REVIEW_CODES_HELP, campagne=campaign.identifiant, feuille=form.SHEET_CODES), last, total,
                  fmt["note"], 8)
        for c, (kind, text) in enumerate(zip(fills, M.REVIEW_LEGEND)):
            ws.merge_range(3, 3 * c, 3, 3 * c + 2, text, fills[kind])
        ws.set_row(3, max(row_height([(text, sum(WIDTHS[3 * c:3 * c + 3]))]) for c, text in enumerate(M.REVIEW_LEGEND)))
        header = form.REVIEW_HEADER_ROW
        for c, h in enumerate(M.REVIEW_HEADINGS):
            ws.write_string(header, c, h, fmt["header"])
        ws.set_row(header, row_height(list(zip(M.REVIEW_HEADINGS, WIDTHS))))
        for i, p in enumerate(proposals.itertuples(index=False), start=header + 1):
            style = fills["unsure" if p.a_verifier else "strong" if p.prerempli else "confident"]
            values = [p.intitule, p.effectif, p.cle, p.metier, p.confiance, p.pourquoi, p.a_verifier, p.autres]
            for c, v in enumerate(values):
                if c == 1:
                    ws.write_number(i, c, int(v), number)
                elif c == form.COL_CONFIDENCE:
                    if isinstance(v, float) and not math.isnan(v):
                        ws.write_number(i, c, v, percent)
                    else:
                        ws.write_blank(i, c, None, style)
                else:
                    ws.write_string(i, c, str(v), style)
            ws.write_string(i, form.COL_KEPT, p.cle if p.prerempli else "", fmt["input_text"])
            ws.data_validation(i, form.COL_KEPT, i, form.COL_KEPT, validation)
            ws.write_string(i, form.COL_KEPT + 1, "", fmt["input_text"])
            ws.set_row(i, row_height([(str(v), w) for v, w in zip(values, WIDTHS) if isinstance(v, str)]))
        ws.freeze_panes(header + 1, 1)
        ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True, "format_columns": True,
                        "format_rows": True, "autofilter": True, "sort": False})
        ws.autofilter(header, 0, header + max(len(proposals), 1), len(M.REVIEW_HEADINGS) - 1)
        a4(ws, title, "", campaign.libelle, repeat=(header, header))
        ws.activate()
    return Path(path)
