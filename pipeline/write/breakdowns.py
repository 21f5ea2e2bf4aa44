"""The breakdown sheets of consolidation.xlsx (a campaign asking breakdowns or ETP only): per breakdown, the
table métier × category laid out like the main table (counts and % of the row, the evolution per category at
constant scope when the previous campaign asked it too), the ETP, and the age pyramid by sex (branch and per
family) as real Excel charts."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from ..compute.consolidation import Consolidation
from ..core.breakdowns import ETP, ETP_COVERED, PAIR, Breakdown, sheet_name
from ..core.texts import fr
from ..core.texts import labels as L
from ..core.vocab import EFFECTIF, TOUT, Level
from .tables import LEVEL_STYLE, label, masked_cells
from .xlsx import a4, row_height

CODE_W, LABEL_W, NUMBER_W, PERCENT_W = 6, 34, 9, 7


def breakdown_table(c: Consolidation, b: Breakdown) -> pd.DataFrame:
    """Rows of the main table with, per category, its count (``n:<code>``) and share of the row (``p:<code>``)."""
    out = c.table[["niveau", "code", "libelle", "effectif"]].copy()
    for code, _ in b.categories:
        part = c.branch.wide(EFFECTIF, b.category(code))
        values = part["effectif"].to_numpy()
        out[f"n:{code}"] = values
        out[f"p:{code}"] = [v / t if t else 0.0 for v, t in zip(values, out["effectif"])]
    return out


def _evolution(c: Consolidation, b: Breakdown) -> pd.DataFrame | None:
    """Per category, the change from N−1 at constant scope (aligned on the table), when N−1 has it."""
    evo = c.evolution
    if evo is None:
        return None
    have = set(evo.rows["categorie"])
    if not all(b.category(code) in have for code, _ in b.categories):
        return None
    index = pd.MultiIndex.from_frame(c.table[["niveau", "code"]])
    return pd.DataFrame({code: evo.wide(EFFECTIF, b.category(code)).reindex(index)["variation"].to_numpy()
                         for code, _ in b.categories})


def write_breakdown_sheets(wb, fmt, c: Consolidation, page: tuple[str, str], public: bool = False) -> None:
    """``public``: the published edition's sheets — masked cells as « s », no ETP, no evolution, a crossed pair
    as its pyramids only (families and branch)."""
    saisie = c.campaign.saisie
    for b in saisie.with_categories():
        if not (public and b.crosses):  # a crossed pair is published as the pyramids only
            _write_breakdown(wb, fmt, c, b, page, public)
    if saisie.etp and not public:
        _write_etp(wb, fmt, c, page)
    if saisie.pyramid is not None:
        write_pyramids(wb, fmt, c, saisie.pyramid, page, public)


def _write_breakdown(wb, fmt, c: Consolidation, b: Breakdown, page: tuple[str, str], public: bool) -> None:
    ws = wb.add_worksheet(sheet_name(b))
    table = breakdown_table(c, b)
    evolution = None if public else _evolution(c, b)
    per = 3 if evolution is not None else 2
    rows_masked = masked_cells(c, public)
    masked = {code: masked_cells(c, public, b.category(code)) for code, _ in b.categories}
    widths = [CODE_W, LABEL_W, NUMBER_W] + [NUMBER_W, PERCENT_W, NUMBER_W][:per] * len(b.categories)
    for col, w in enumerate(widths):
        ws.set_column(col, col, w)
    ws.write_string(0, 0, fr(L.BREAKDOWN_TITLE, ventilation=b.label), fmt["title"])
    ws.write_string(1, 0, c.campaign.libelle, fmt["subtitle"])
    group, head = 3, 4
    for col, h in enumerate([L.HEADING_CODE, L.HEADING_LABEL, L.BREAKDOWN_HEADCOUNT]):
        ws.merge_range(group, col, head, col, h, fmt["header"])
    for i, (code, name) in enumerate(b.categories):
        first = 3 + per * i
        ws.merge_range(group, first, group, first + per - 1, name, fmt["header"])
        for j, h in enumerate(L.BREAKDOWN_SUBHEADINGS[:per]):
            ws.write_string(head, first + j, h, fmt["header"])
    ws.set_row(group, row_height([(name, NUMBER_W + PERCENT_W) for _, name in b.categories]))
    ws.set_row(head, row_height([(h, NUMBER_W) for h in L.BREAKDOWN_SUBHEADINGS]))
    for r, values in enumerate(table.to_dict("records"), start=head + 1):
        cell = (values["niveau"], values["code"])
        _, number_style, percent_style = _row_head(ws, fmt, r, SimpleNamespace(**values), c, cell in rows_masked)
        for i, (code, _) in enumerate(b.categories):
            first = 3 + per * i
            if cell in masked[code]:
                ws.write_string(r, first, L.MASKED, number_style)
            else:
                ws.write_number(r, first, int(values[f"n:{code}"]), number_style)
            if cell in masked[code] or cell in rows_masked:  # a share beside a masked total would give it away
                ws.write_string(r, first + 1, L.MASKED, percent_style)
            else:
                ws.write_number(r, first + 1, float(values[f"p:{code}"]), percent_style)
            if evolution is not None:
                v = evolution.iloc[r - head - 1][code]
                if pd.isna(v):
                    ws.write_blank(r, first + 2, None, number_style)
                else:
                    ws.write_number(r, first + 2, float(v), number_style)
    ws.freeze_panes(head + 1, 2)
    ws.repeat_columns(0, 1)
    last = head + len(table)
    note = L.BREAKDOWN_NOTE_PUBLIC if public else \
        L.BREAKDOWN_NOTE if evolution is not None else L.BREAKDOWN_NOTE_NO_EVOLUTION
    ws.write_string(last + 2, 0, note, fmt["small"])
    a4(ws, *page, c.campaign.libelle, repeat=(group, head))


def _row_head(ws, fmt, r: int, t, c: Consolidation, masked: bool = False) -> tuple:
    """A row of the table laid out like the main one: code, label and headcount (« s » when ``masked``) in
    columns 0–2; the row's label, number and percent styles, for the columns after."""
    styles = label_style, number_style, _ = tuple(fmt[k] for k in LEVEL_STYLE[t.niveau])
    text = label(t, c.campaign)
    ws.write_string(r, 0, t.code, fmt["code"] if t.niveau == Level.METIER else label_style)
    ws.write_string(r, 1, text, label_style)
    ws.set_row(r, row_height([(text, LABEL_W)]))
    if masked:
        ws.write_string(r, 2, L.MASKED, number_style)
    else:
        ws.write_number(r, 2, int(t.effectif), number_style)
    return styles


def _write_etp(wb, fmt, c: Consolidation, page: tuple[str, str]) -> None:
    ws = wb.add_worksheet(L.SHEET_ETP)
    widths = [CODE_W, LABEL_W, NUMBER_W + 2, NUMBER_W + 2, NUMBER_W + 5, NUMBER_W + 5]
    for col, w in enumerate(widths):
        ws.set_column(col, col, w)
    ws.write_string(0, 0, L.ETP_TITLE, fmt["title"])
    ws.write_string(1, 0, c.campaign.libelle, fmt["subtitle"])
    head = 3
    for col, h in enumerate(L.ETP_HEADINGS):
        ws.write_string(head, col, h, fmt["header"])
    ws.set_row(head, row_height(list(zip(L.ETP_HEADINGS, widths))))
    etp = c.branch.wide(ETP, TOUT)["effectif"].to_numpy()
    covered = c.branch.wide(ETP_COVERED, TOUT)["effectif"].to_numpy()
    base = {"num_format": "#,##0.0", "align": "right", "valign": "top", "border": 1, "border_color": "#BFBFBF",
            "font_name": "Calibri", "font_size": 10}  # grouped like the headcounts beside them; totals centred
    decimal = wb.add_format(base)
    decimal_total = wb.add_format({**base, "bold": True, "bg_color": "#E7E6E6", "valign": "vcenter"})
    for r, (t, e, n) in enumerate(zip(c.table.itertuples(index=False), etp, covered), start=head + 1):
        _, number_style, percent_style = _row_head(ws, fmt, r, t, c)
        ws.write_number(r, 3, round(float(e), 1), decimal if t.niveau == Level.METIER else decimal_total)
        ws.write_number(r, 4, int(n), number_style)
        if n:
            ws.write_number(r, 5, float(e) / float(n), percent_style)
        else:
            ws.write_blank(r, 5, None, percent_style)
    ws.write_string(head + len(c.table) + 2, 0, L.ETP_NOTE, fmt["small"])
    ws.freeze_panes(head + 1, 2)
    a4(ws, *page, c.campaign.libelle, repeat=(head, head))


def _age_and_sex(c: Consolidation, b: Breakdown, code: str) -> tuple[str, str]:
    """The age band and the sex (their labels) of one category of the crossed pair."""
    sexes, ages = (c.campaign.saisie.of(k) for k in b.crosses)
    sex, age = (part.split("=", 1)[1] for part in code.split(PAIR))
    return dict(ages.categories)[age], dict(sexes.categories)[sex]


def pyramid_data(c: Consolidation, b: Breakdown) -> dict[tuple[str, str], pd.DataFrame]:
    """For the branch and each family: per age band (rows, youngest first), the count of each sex (columns)."""
    sexes, ages = (c.campaign.saisie.of(k) for k in b.crosses)
    cells = [(Level.BRANCHE, "")] + [(Level.FAMILLE, f) for f in c.campaign.nomenclature.familles["code_famille"]]
    wide = {code: c.branch.wide(EFFECTIF, code).set_index(["niveau", "code"])["effectif"]
            for code, _ in b.categories}
    out = {}
    for cell in cells:
        frame = pd.DataFrame(index=[name for _, name in ages.categories],
                             columns=[name for _, name in sexes.categories], dtype=float)
        for code, _ in b.categories:
            frame.loc[_age_and_sex(c, b, code)] = float(wide[code].get(cell, 0))
        out[(str(cell[0]), cell[1])] = frame.fillna(0.0)
    return out


PYRAMID_ROWS = 20  # rows of one pyramid block (its table, then room for the chart beside it)
MIRROR = 3  # the hidden column the chart draws the first sex from
MIRRORED_FORMAT = "#,##0;#,##0"  # its negative figures shown as positive


def write_pyramids(wb, fmt, c: Consolidation, b: Breakdown, page: tuple[str, str], public: bool = False) -> None:
    """The age pyramid by sex of the branch and of each family: a table and a bar chart, men and women either
    side of the axis. The table holds the headcounts as they are; the chart draws the first sex from a hidden
    column of the same figures negated (copied or read by a program, the table never gives a negative headcount).
    ``public``: masked cells as « s », and no chart for a pyramid with any of them."""
    sheet = L.SHEET_PYRAMID
    ws = wb.add_worksheet(sheet)
    widths = [18, 10, 10]
    for col, w in enumerate(widths):
        ws.set_column(col, col, w)
    ws.set_column(MIRROR, MIRROR, None, None, {"hidden": True})
    ws.write_string(0, 0, L.PYRAMID_TITLE, fmt["title"])
    ws.write_string(1, 0, c.campaign.libelle, fmt["subtitle"])
    labels = dict(zip(zip(c.table["niveau"], c.table["code"]), c.table["libelle"]))
    mirrored = wb.add_format({"num_format": MIRRORED_FORMAT, "align": "right", "border": 1, "border_color": "#BFBFBF",
                              "font_name": "Calibri", "font_size": 10})
    breaks = []
    masked = {code: masked_cells(c, public, code) for code, _ in b.categories}
    for k, (cell, frame) in enumerate(pyramid_data(c, b).items()):
        hidden = {_age_and_sex(c, b, code) for code, _ in b.categories if cell in masked[code]}
        top = 3 + k * PYRAMID_ROWS
        if k and k % 2 == 0:
            breaks.append(top)
        title = fr(L.BRANCHE_AU, date=c.campaign.date_arrete) if cell[0] == Level.BRANCHE else \
            labels.get(cell, cell[1]).removeprefix(L.FAMILY_TOTAL_PREFIX)
        ws.write_string(top, 0, title, fmt["label"])
        ws.write_string(top + 1, 0, L.PYRAMID_AGE, fmt["header"])
        for j, sex in enumerate(frame.columns, start=1):
            ws.write_string(top + 1, j, sex, fmt["header"])
        for i, (age, values) in enumerate(frame.iterrows(), start=top + 2):
            ws.write_string(i, 0, age, fmt["cell"])
            for j, (sex, v) in enumerate(values.items(), start=1):
                if (age, sex) in hidden:
                    ws.write_string(i, j, L.MASKED, mirrored)
                else:
                    ws.write_number(i, j, v, mirrored)
                    if j == 1:  # the first sex to the left of the axis
                        ws.write_number(i, MIRROR, -v)
        last = top + 1 + len(frame)
        if hidden:
            ws.write_string(last + 2, 0, L.PYRAMID_MASKED, fmt["small"])
            continue
        chart = wb.add_chart({"type": "bar"})
        for j, sex in enumerate(frame.columns, start=1):
            drawn = MIRROR if j == 1 else j
            chart.add_series({"name": [sheet, top + 1, j], "categories": [sheet, top + 2, 0, last, 0],
                              "values": [sheet, top + 2, drawn, last, drawn], "gap": 10, "overlap": 100,
                              "data_labels": {"value": True, "num_format": MIRRORED_FORMAT},
                              "fill": {"color": "#C0504D" if j == 1 else "#4F81BD"}})
        chart.set_title({"name": fr(L.PYRAMID_CHART_TITLE, titre=title), "name_font": {"size": 10}})
        # Which side is which, said under the axis: a legend lists the series in an order of its own (LibreOffice
        # reverses it in a bar chart: « Hommes Femmes » under women drawn on the left).
        left, right = frame.columns[:2]
        chart.set_x_axis({"num_format": MIRRORED_FORMAT, "name_font": {"size": 9, "bold": False},
                          "name": fr(L.PYRAMID_SIDES, gauche=left, droite=L.lower_first(right)),
                          "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
        chart.set_y_axis({"reverse": False, "label_position": "low"})
        chart.set_legend({"none": True})
        chart.show_hidden_data()  # its left half is the hidden column
        chart.set_size({"width": 460, "height": 300})
        ws.insert_chart(top, 4, chart, {"y_offset": 3})  # below the page break: no edge on the page before
    ws.set_h_pagebreaks(breaks)
    a4(ws, *page, c.campaign.libelle, landscape=False)
