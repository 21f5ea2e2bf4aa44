"""The template: one workbook to fill per company.

Entry point: :func:`write_template` (one company, optionally pre-filled: the demo's sample returns
and the return-to-sender workbooks are made this way; every company of a campaign: :mod:`.refresh`).
The layout comes from :mod:`pipeline.core.layout` and the columns from :mod:`pipeline.core.form`: the
checks find rows and columns the same way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

from xlsxwriter.utility import xl_rowcol_to_cell

from ..core import form
from ..core.campaign import Campaign
from ..core.layout import LayoutRow, build_layout, layout_values
from ..core.texts import date as fr_date
from ..core.texts import fr
from ..core.texts import labels as L
from ..core.vocab import Level, Role, Severity
from .guide import guide_items, printed, write_guide
from .template_inputs import breakdown_formats, column_breaks, extra_input, live_checks
from .template_inputs import write_value as _write_value
from .xlsx import (
    MIN_SCALE,
    Rows,
    a4,
    atomic_workbook,
    formats,
    page_breaks,
    paragraph,
    print_scale,
    repeated_validation,
    row_height,
    write_text,
)


def write_template(
    campaign: Campaign,
    company_id: str,
    path: str | Path,
    values: dict[str, object] | None = None,
    comments: dict[str, str] | None = None,
    marks: dict[str, str] | None = None,
    first_sheet: Callable | None = None,
    previous: dict[int, float] | None = None,
) -> Path:
    """Write the template of one company.

    ``values``/``comments`` (by row key) pre-fill the inputs — whole numbers, or whatever HR typed
    when a return is sent back; ``marks`` (row key -> "erreur"/"avertissement") highlights inputs;
    ``first_sheet(workbook, formats)`` adds a sheet before the others. ``previous`` (layout row index
    -> headcount) fills a locked reminder column with the company's figures of the previous campaign
    (``campaign.precedente``); the inputs themselves are never pre-filled.
    """
    path = Path(path)
    company = campaign.raison_sociale(company_id)
    identity = form.identity_text(campaign, company_id)
    with atomic_workbook(path, **document_properties(campaign, company_id)) as wb:
        for name, value in custom_properties(campaign, company_id, previous):
            wb.set_custom_property(name, value, "text")
        fmt = formats(wb)
        if first_sheet is not None:
            first_sheet(wb, fmt)
        write_guide(wb, fmt, campaign, company, identity, guide_items(campaign, company, previous))
        ws = wb.add_worksheet(form.SHEET_INPUT)
        sheet = _InputSheet(ws, fmt, campaign, company, identity, previous)
        if campaign.saisie.any:
            fmt = sheet.fmt = {**fmt, **breakdown_formats(wb)}
        sheet.write(values or {}, comments or {}, marks or {})
        if first_sheet is None:
            ws.activate()
    return path


def document_properties(campaign: Campaign, company_id: str) -> dict:
    """A template's document properties (docProps/core.xml and app.xml)."""
    company = campaign.raison_sociale(company_id)
    return {"title": fr(L.TEMPLATE_TITLE, societe=company), "subject": campaign.libelle, "author": L.OBSERVATORY,
            "company": company, "comments": form.identity_text(campaign, company_id),
            # A fixed date keeps a template byte-for-byte reproducible (same sha256 in the history).
            "created": dt.datetime.combine(campaign.date_arrete, dt.time())}


def custom_properties(campaign: Campaign, company_id: str, previous: dict[int, float] | None) -> list[tuple[str, str]]:
    """A template's custom properties, in their order (docProps/custom.xml)."""
    return [(name, str(value)) for name, value in ((form.PROP_CAMPAIGN, campaign.identifiant),
                                                   (form.PROP_COMPANY, company_id),
                                                   *content_properties(campaign, company_id, previous).items())]


def reminder(previous: dict[int, float], i: int) -> float | None:
    """The N−1 reminder of layout row ``i`` (None: a blank cell)."""
    value = previous.get(i)
    return None if value is None or value != value else value


def content_properties(campaign: Campaign, company_id: str, previous: dict[int, float] | None) -> dict[str, str]:
    """What a template is made from besides its company and campaign, as its custom properties say it."""
    reminder = "-"  # no reminder column (an empty property reads back as nothing at all)
    if previous is not None:
        figures = ";".join(f"{i}={v!r}" for i, v in sorted(previous.items()))
        reminder = f"{campaign.precedente}:{hashlib.sha256(figures.encode()).hexdigest()[:16]}"
    asked = {form.PROP_INPUTS: inputs_text(campaign)} if campaign.saisie.any else {}
    return {
        **asked,
        form.PROP_FORMAT: form.FORMAT_VERSION, form.PROP_NOMENCLATURE: campaign.nomenclature.empreinte,
        form.PROP_NAME: campaign.raison_sociale(company_id), form.PROP_CAMPAIGN_TITLE: campaign.libelle,
        form.PROP_REFERENCE_DATE: campaign.date_arrete.isoformat(),
        form.PROP_DEADLINE: campaign.date_limite.isoformat(),
        form.PROP_CONTACT: " | ".join(x for x in (campaign.contact_text(), campaign.contact.get("retour", "")) if x),
        form.PROP_PREVIOUS: reminder,
    }


def inputs_text(campaign: Campaign) -> str:
    """What a campaign asks besides the headcount, in short (the breakdowns and their categories, ETP)."""
    parts = [f"{b.key}({','.join(code for code, _ in b.categories)})" for b in campaign.saisie.with_categories()]
    full = ";".join(parts + (["etp"] if campaign.saisie.etp else []))
    keys = ",".join([b.key for b in campaign.saisie.breakdowns] + (["etp"] if campaign.saisie.etp else []))
    return f"{keys[:200]}:{hashlib.sha256(full.encode()).hexdigest()[:16]}"  # Excel keeps 255 characters


class _InputSheet:
    """The « Effectifs » sheet of one company's template."""

    def __init__(self, ws, fmt, campaign: Campaign, company: str, identity: str, previous: dict[int, float] | None):
        self.ws, self.fmt, self.campaign, self.company, self.identity = ws, fmt, campaign, company, identity
        self.previous = previous
        self.columns = form.columns(campaign, with_previous=previous is not None)
        self.col = {c.key: i for i, c in enumerate(self.columns)}
        self.inputs = [(i, c) for i, c in enumerate(self.columns) if c.is_input]
        self.last = len(self.columns) - 1
        self.layout = build_layout(campaign.nomenclature)
        self.rows = Rows(ws)
        self.validations: dict = {}  # see repeated_validation
        self.widths = [c.width for c in self.columns]
        # Printed several pages wide (breakdowns): only the code and title repeat on the pages after the first,
        # so a label is written in the title's cell, wrapped, rather than across the columns beside it.
        self.wide = campaign.saisie.any and print_scale(self.widths, landscape=True) < MIN_SCALE

    def write(self, values: dict[str, object], comments: dict[str, str], marks: dict[str, str]) -> None:
        ws, fmt = self.ws, self.fmt
        for i, c in enumerate(self.columns):
            ws.set_column(i, i, c.width)
        self._head()
        computed = layout_values(self.layout, values)
        value_col = self.inputs[0][0]
        extra_values = {column.key: layout_values(self.layout, {k[0]: v for k, v in values.items()
                                                                if isinstance(k, tuple) and k[1] == column.key})
                        for _, column in self.inputs[1:]}
        validation = {"validate": "integer", "criteria": ">=", "value": 0, "input_title": L.VALIDATION_TITLE,
                      "input_message": L.VALIDATION_PROMPT, "error_title": L.VALIDATION_ERROR_TITLE,
                      "error_message": L.VALIDATION_ERROR}
        checked_rows: list[int] = []  # input rows whose breakdowns get the live checks
        for i, row in enumerate(self.layout):
            r = form.BODY_START + i
            if row.role == Role.TITRE:
                self._heading(r, row)
                continue
            label_style = self._labels(r, row)
            if row.is_input:
                whole = not isinstance(values.get(row.cle), float) or values[row.cle].is_integer()
                style = {Severity.ERROR: fmt["input_error" if whole else "input_error_any"],
                         Severity.WARNING: fmt["input_warning" if whole else "input_warning_any"]}.get(
                    marks.get(row.cle), fmt["input"])
                for c, column in self.inputs:
                    if column.is_headcount:
                        _write_value(ws, r, c, values.get(row.cle), style)
                        repeated_validation(ws, r, c, None, lambda: validation, self.validations)
                    else:
                        extra_input(self, r, c, column, row, values.get((row.cle, column.key)), marks)
                if len(self.inputs) > 1 and row.niveau != Level.DECLARE:
                    checked_rows.append(r)
                comment = str(comments.get(row.cle, ""))[:form.MAX_CELL_TEXT]
                write_text(ws, r, self.col[form.COMMENT], comment, fmt["input_text"])
                self._fit(r, values.get(row.cle), comment)
                self._previous(r, i, fmt["previous"])
                continue
            ws.write_formula(r, value_col, self._formula(row, value_col), self._total_style(row), computed[i])
            for c, column in self.inputs[1:]:
                if row.niveau == Level.ECART:
                    ws.write_blank(r, c, None, fmt["not_asked"])
                    continue
                style = self._total_style(row)
                if column.mesure != form.EFFECTIF:
                    style = fmt["etp_number"] if row.niveau == Level.METIER else fmt["etp_total"]
                ws.write_formula(r, c, self._formula(row, c), style, extra_values[column.key][i])
            ws.write_blank(r, self.col[form.COMMENT], None, label_style)
            self._previous(r, i, fmt["previous_total"] if row.niveau != Level.METIER else fmt["previous"])
            if row.niveau == Level.ECART:
                ws.conditional_format(r, value_col, r, value_col,
                                      {"type": "cell", "criteria": "!=", "value": 0, "format": fmt["alert"]})
        live_checks(self, checked_rows, value_col)
        last = form.BODY_START + len(self.layout) - 1
        ws.freeze_panes(form.BODY_START, 0)
        ws.print_area(0, 0, last, self.last)
        self._page_breaks(last)
        ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True, "format_columns": True,
                        "format_rows": True})

    def _fit(self, r: int, value: object, comment: str) -> None:
        """The row as tall as a comment, or a text typed instead of a number (a return sent back), needs."""
        texts = [(comment, self.widths[self.col[form.COMMENT]])]
        if isinstance(value, str):
            texts.append((value, self.widths[self.inputs[0][0]]))
        height = row_height(texts)
        if height > self.rows.heights.get(r, 0):
            self.rows.set(r, height)

    def _page_breaks(self, last: int) -> None:
        """Printed at a fixed scale (Excel ignores manual breaks when fitting to a page), a group or family
        heading on the same page as its rows."""
        scale = print_scale(self.widths, landscape=True)
        if self.wide:  # breakdowns: pages across, the labels repeated
            scale = MIN_SCALE
            self.ws.repeat_columns(0, 1)
            self.ws.set_v_pagebreaks(column_breaks(self, scale))
        keep, titles = [], 0
        for i in reversed(range(len(self.layout))):  # headings (one or two in a row) with the two rows under
            titles = titles + 1 if self.layout[i].role == Role.TITRE else 0
            if titles and (i == 0 or self.layout[i - 1].role != Role.TITRE):
                keep.append((form.BODY_START + i, form.BODY_START + i + titles + 1))
        heights = self.rows.all(last)
        self.ws.set_h_pagebreaks(page_breaks(heights, keep, True, scale, heights[form.HEADER_ROW]))
        first = form.HEADER_ROW - 1 if form.breakdown_groups(self.columns) else form.HEADER_ROW
        a4(self.ws, *printed(self.campaign, self.company, self.identity)[1], repeat=(first, form.HEADER_ROW),
           scale=scale)

    def _head(self) -> None:
        ws, fmt, campaign = self.ws, self.fmt, self.campaign
        ws.write_string(0, 0, fr(L.INPUT_TITLE, date=campaign.date_arrete), fmt["title"])
        self.rows.set(0, 22)
        head_last, value_width, width = self.head_widths()
        header = [(L.HEAD_COMPANY, self.company), (L.HEAD_CAMPAIGN, campaign.libelle),
                  (L.HEAD_REFERENCE_DATE, fr_date(campaign.date_arrete)),
                  (L.HEAD_DEADLINE, fr_date(campaign.date_limite)), (L.HEAD_CONTACT, campaign.contact_text())]
        for i, (label, value) in enumerate(header, start=1):
            ws.merge_range(i, 0, i, 1, label, fmt["label"])
            ws.merge_range(i, 2, i, head_last, value, fmt["wrap"])
            self.rows.set(i, row_height([(value, value_width)]))
        paragraph(ws, 6, self.identity, head_last, width, fmt["small_wrap"], 8, self.rows)
        paragraph(ws, 7, self._help(), head_last, width, fmt["subtitle_wrap"], rows=self.rows)
        for i, c in enumerate(self.columns):
            ws.write_string(form.HEADER_ROW, i, c.heading, fmt["header"])
        for key, first, last in form.breakdown_groups(self.columns):  # a heading over each breakdown's columns
            label = campaign.saisie.of(key).label
            if first == last:
                ws.write_string(form.HEADER_ROW - 1, first, label, fmt["group_heading"])
            else:
                ws.merge_range(form.HEADER_ROW - 1, first, form.HEADER_ROW - 1, last, label, fmt["group_heading"])
        if form.breakdown_groups(self.columns):
            self.rows.set(form.HEADER_ROW - 1, 28)
        self.rows.set(form.HEADER_ROW, row_height([(c.heading, c.width) for c in self.columns]))

    def head_widths(self) -> tuple[int, float, float]:
        """The header's last column, the width of its values (the company's name…) and its whole width. Printed
        several pages wide (breakdowns): the header within the first page, where it can be read."""
        breaks = column_breaks(self, MIN_SCALE) if self.wide else []
        head_last = breaks[0] - 1 if breaks else self.last
        return head_last, sum(self.widths[2:head_last + 1]), sum(self.widths[:head_last + 1])

    def _help(self) -> str:
        saisie = self.campaign.saisie
        if not saisie.any:
            return L.INPUT_HELP
        text = L.INPUT_HELP
        if saisie.breakdowns:
            text += " " + fr(L.INPUT_HELP_BREAKDOWNS, ventilations=", ".join(b.label for b in saisie.breakdowns))
        nr = [b.label for b in saisie.breakdowns if b.non_renseigne]
        if nr:
            text += fr(L.INPUT_HELP_NR, ventilations=", ".join(nr))
        if saisie.etp:
            text += L.INPUT_HELP_ETP
        return text

    def _heading(self, r: int, row: LayoutRow) -> None:
        group = row.niveau == Level.GROUPE
        style = self.fmt["group"] if group else self.fmt["family"]
        write_text(self.ws, r, self.col[form.CODE], row.cle, style)
        if self.wide:
            self.ws.write_string(r, self.col[form.TITLE], row.intitule,
                                 self.fmt["group_wrap"] if group else self.fmt["family_wrap"])
            self.rows.set(r, row_height([(row.intitule, self.widths[self.col[form.TITLE]])], 11 if group else 10))
        else:
            self.ws.write_string(r, self.col[form.TITLE], row.intitule, style)
        for c in range(self.col[form.EMPLOI], self.last + 1):
            self.ws.write_blank(r, c, None, style)

    def _labels(self, r: int, row: LayoutRow):
        ws, fmt = self.ws, self.fmt
        if row.niveau in (Level.METIER, Level.EMPLOI):
            label_style, code_style = fmt["cell"], fmt["code"]
        elif row.niveau in (Level.FAMILLE, Level.GROUPE):
            label_style = code_style = fmt["total_label"]
        else:
            label_style = code_style = fmt["big_total_label"]
        write_text(ws, r, self.col[form.CODE], row.cle, code_style)
        title, emploi, autres = self.col[form.TITLE], self.col[form.EMPLOI], self.col[form.AUTRES]
        if row.niveau in (Level.METIER, Level.EMPLOI):
            write_text(ws, r, title, row.intitule, label_style)
            write_text(ws, r, emploi, row.emploi, label_style)
            write_text(ws, r, autres, row.autres, label_style)
            self.rows.set(r, row_height([(row.intitule, self.widths[title]), (row.emploi, self.widths[emploi]),
                                         (row.autres, self.widths[autres])]))
        elif row.emploi:  # a label and a help text
            ws.write_string(r, title, row.intitule, label_style)
            ws.merge_range(r, emploi, r, autres, row.emploi, label_style)
            self.rows.set(r, row_height([(row.intitule, self.widths[title]),
                                         (row.emploi, sum(self.widths[emploi:autres + 1]))]))
        elif self.wide:
            ws.write_string(r, title, row.intitule, label_style)
            for c in range(emploi, autres + 1):
                ws.write_blank(r, c, None, label_style)
            self.rows.set(r, row_height([(row.intitule, self.widths[title])]))
        else:
            ws.merge_range(r, title, r, autres, row.intitule, label_style)
            self.rows.set(r, row_height([(row.intitule, sum(self.widths[title:autres + 1]))]))
        return label_style

    def _formula(self, row: LayoutRow, col: int) -> str:
        def cell(i: int) -> str:
            return xl_rowcol_to_cell(form.BODY_START + i, col)
        if row.niveau == Level.ECART:
            return f"={cell(row.somme[0])}-{cell(row.somme[1])}"
        return "=SUM(" + ",".join(cell(j) for j in row.somme) + ")"

    def _total_style(self, row: LayoutRow):
        if row.niveau == Level.METIER:
            return self.fmt["number"]
        if row.niveau in (Level.VENTILES, Level.BRANCHE, Level.ECART):
            return self.fmt["big_total"]
        return self.fmt["total"]

    def _previous(self, r: int, i: int, style) -> None:
        if self.previous is None:
            return
        value = reminder(self.previous, i)
        c = self.col[form.PREVIOUS]
        if value is None:
            self.ws.write_blank(r, c, None, style)
        else:
            self.ws.write_number(r, c, value, style)
