"""The parts of a template only a campaign asking breakdowns or ETP has: their formats, input cells, live sum
checks and the columns a page starts with when the sheet prints several pages wide. ``self``: the template's
input sheet (:class:`pipeline.write.template._InputSheet`)."""

from __future__ import annotations

import datetime as dt

from xlsxwriter.utility import xl_rowcol_to_cell

from ..core import form
from ..core.layout import LayoutRow
from ..core.texts import date as fr_date
from ..core.texts import fr
from ..core.texts import labels as L
from ..core.vocab import Level, Severity
from .xlsx import (
    BLUE,
    MID_BLUE,
    ORANGE_FILL,
    POINTS_PER_UNIT,
    RED_FILL,
    add_format,
    printable,
    repeated_validation,
    write_text,
)


def write_value(ws, r: int, c: int, value: object, style) -> None:
    """An input as typed: numbers as numbers, anything else as text (never a formula)."""
    if value is None:
        ws.write_blank(r, c, None, style)
    elif isinstance(value, bool):
        ws.write_boolean(r, c, value, style)
    elif isinstance(value, (int, float)) and value == value and abs(value) != float("inf"):
        ws.write_number(r, c, value, style)
    elif isinstance(value, (dt.date, dt.datetime)):
        ws.write_string(r, c, fr_date(value), style)
    else:
        write_text(ws, r, c, str(value)[:form.MAX_CELL_TEXT], style)


def breakdown_formats(wb) -> dict:
    """The formats only a template with breakdowns or ETP uses (a template without keeps its bytes)."""
    border = {"border": 1, "border_color": "#BFBFBF", "font_name": "Calibri", "font_size": 10}
    heading = {"font_name": "Calibri", "font_size": 10, "valign": "vcenter", "border": 1, "border_color": "#A6A6A6",
               "bold": True, "text_wrap": True}  # the house « group » and « family » formats, wrapped
    marked = {"font_name": "Calibri", "font_size": 10, "valign": "vcenter", "border": 1, "border_color": "#A6A6A6",
              "bold": True, "locked": False, "text_wrap": True, "num_format": "General"}
    return {
        "etp": add_format(wb, {"num_format": "0.0", "bg_color": "#FFF2CC", "locked": False, "valign": "vcenter",
                              **border}),
        "etp_total": add_format(wb, {"num_format": "0.0", "bold": True, "bg_color": "#E7E6E6", "align": "right",
                                    "valign": "vcenter", **border}),
        "etp_number": add_format(wb, {"num_format": "0.0", "align": "right", "valign": "top", **border}),
        "group_heading": add_format(wb, {"bold": True, "font_color": "white", "bg_color": "#2F5597", "align": "center",
                                        "valign": "vcenter", "text_wrap": True, **border}),
        "not_asked": add_format(wb, {"bg_color": "#E7E6E6", **border}),
        # A group or family heading wrapped within the title column (the only label column printed on every page).
        "group_wrap": add_format(wb, {**heading, "font_size": 11, "font_color": "white", "bg_color": BLUE}),
        "family_wrap": add_format(wb, {**heading, "bg_color": MID_BLUE}),
        # A breakdown or ETP cell highlighted in a return sent back shows its value as typed (0.25 ETP, 2.5 people),
        # not rounded by the headcount's or ETP's number format.
        "marked_error": add_format(wb, {**marked, "bg_color": RED_FILL}),
        "marked_warning": add_format(wb, {**marked, "bg_color": ORANGE_FILL}),
        "sum_alert": add_format(wb, {"bg_color": "#FFC7CE", "font_color": "#9C0006", "bold": True}),
        "empty_alert": add_format(wb, {"bg_color": "#FCE4D6"}),
    }



def extra_input(self, r: int, c: int, column: form.Column, row: LayoutRow, value: object,
                 marks: dict) -> None:
    """An ETP or breakdown cell of an input row (none on the declared total's row)."""
    ws, fmt = self.ws, self.fmt
    if row.niveau == Level.DECLARE:
        ws.write_blank(r, c, None, fmt["not_asked"])
        return
    head = xl_rowcol_to_cell(r, self.inputs[0][0], col_abs=True)
    marked = {Severity.ERROR: fmt["marked_error"], Severity.WARNING: fmt["marked_warning"]}.get(
        marks.get((row.cle, column.key)))
    if column.mesure == form.ETP:
        write_value(ws, r, c, value, marked or fmt["etp"])
        ws.data_validation(r, c, r, c, {
            "validate": "custom", "value": f"=AND(ISNUMBER({xl_rowcol_to_cell(r, c)}),"
                                          f"{xl_rowcol_to_cell(r, c)}>=0,{xl_rowcol_to_cell(r, c)}<=N({head}),"
                                          f"ROUND({xl_rowcol_to_cell(r, c)},1)={xl_rowcol_to_cell(r, c)})",
            "input_title": L.VALIDATION_ETP_TITLE, "input_message": L.VALIDATION_ETP_PROMPT,
            "error_title": L.VALIDATION_ERROR_TITLE, "error_message": L.VALIDATION_ETP_ERROR})
        return
    breakdown = self.campaign.saisie.of(column.ventilation)
    write_value(ws, r, c, value, marked or fmt["input"])
    repeated_validation(ws, r, c, column.key, lambda: {
        "validate": "integer", "criteria": ">=", "value": 0,
        "input_title": fr(L.VALIDATION_BREAKDOWN_TITLE, ventilation=breakdown.label)[:32],
        "input_message": fr(L.VALIDATION_BREAKDOWN_PROMPT, ventilation=breakdown.label)[:255],
        "error_title": L.VALIDATION_ERROR_TITLE, "error_message": L.VALIDATION_ERROR}, self.validations)

def live_checks(self, rows: list[int], value_col: int) -> None:
    """Each breakdown's cells turn red while their sum differs from the row's headcount (and pale orange
    while the breakdown is empty on a non-empty row): two rules per breakdown over all its input ``rows``, the
    formula written for the first row and read by Excel and LibreOffice relative to each row (one rule per row
    made every template's XML, and xlsxwriter's work on each formula, hundreds of times larger)."""
    if not rows:
        return
    runs: list[list[int]] = []
    for r in sorted(rows):
        if runs and r == runs[-1][1] + 1:
            runs[-1][1] = r
        else:
            runs.append([r, r])
    top = runs[0][0]
    head = xl_rowcol_to_cell(top, value_col, col_abs=True)
    for _key, first, last in form.breakdown_groups(self.columns):
        area = f"{xl_rowcol_to_cell(top, first, col_abs=True)}:{xl_rowcol_to_cell(top, last, col_abs=True)}"
        ranges = " ".join(f"{xl_rowcol_to_cell(a, first)}:{xl_rowcol_to_cell(b, last)}" for a, b in runs)
        for criteria, style in ((f"=AND(COUNT({area})>0,SUM({area})<>N({head}))", "sum_alert"),
                                (f"=AND(COUNT({area})=0,N({head})>0)", "empty_alert")):
            self.ws.conditional_format(top, first, runs[0][1], last, {
                "type": "formula", "criteria": criteria, "format": self.fmt[style], "multi_range": ranges})


def column_breaks(self, scale: float) -> list[int]:
    """Columns starting a page when the sheet is printed several pages wide: a breakdown is never cut."""
    room = printable(True)[0] / scale
    width = (lambda w: w * POINTS_PER_UNIT + 5)
    repeated = sum(width(w) for w in self.widths[:2])
    units = [(i, i) for i in range(len(self.columns)) if not self.columns[i].ventilation]
    units += [(first, last) for _k, first, last in form.breakdown_groups(self.columns)]
    units.sort()
    breaks, used = [], 0.0
    for first, last in units:
        w = sum(width(x) for x in self.widths[first:last + 1])
        if used and used + w > room:
            breaks.append(first)
            used = repeated
        used += w
    return breaks

