"""consolidation.xlsx, the observatory's complete workbook: Chiffres clés (one page), Synthèse (with the
evolution at constant scope), Évolution brute, Base de données, Graphique, Commentaires (what HR wrote),
Par société (confidential), Sources and Secret (what the published edition masks, and why)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..compute.consolidation import Consolidation
from ..core.texts import date as fr_date
from ..core.texts import datetime as fr_datetime
from ..core.texts import fr, number
from ..core.texts import labels as L
from ..core.vocab import Level
from .breakdowns import write_breakdown_sheets
from .chart import write_chart
from .comments import write_comments_sheet
from .evolution import write_raw_evolution
from .keyfigures import write_key_figures
from .tables import LEVEL_STYLE, label, write_base, write_synthese
from .xlsx import (
    MIN_SCALE,
    a4,
    atomic_workbook,
    edited_on,
    formats,
    paragraph,
    print_scale,
    row_height,
    streamed_worksheet,
)


# Companies as columns while a métier's row reads across a few A4 landscape pages side by side: at 80 %, ten
# columns a page beside the repeated code and label, so 9 companies and the branch on one page (the branch
# of 2007), up to 30 on four. Beyond, one row per company: any number of them (Excel has 16,384 columns but
# 1,048,576 rows; a column each lost cells silently past 16,382 companies), a filter to find one.
MAX_COMPANY_COLUMNS = 30


def companies_as_rows(companies: int) -> bool:
    """Whether « Par société » lists the companies as rows (many of them) rather than as columns."""
    return companies > MAX_COMPANY_COLUMNS


def _first_page(widths: list[float]) -> tuple[bool, int]:
    """Whether these columns print several pages wide (at the smallest readable scale), and how many of
    them the first page holds (the warning spans those: a merged cell is cut where the page ends)."""
    wide = print_scale(widths, True) < MIN_SCALE
    return wide, len(widths) if not wide else next(n for n in range(len(widths), 0, -1)
                                                   if print_scale(widths[:n], True) >= MIN_SCALE)


def _write_par_societe(wb, fmt, c: Consolidation, page: tuple[str, str]) -> None:
    if companies_as_rows(len(c.par_societe.columns)):
        _write_par_societe_rows(wb, fmt, c, page)
        return
    ws = wb.add_worksheet(L.SHEET_PER_COMPANY)
    ws.set_tab_color("#C00000")
    companies = list(c.par_societe.columns)
    widths = [6, 30] + [9] * (len(companies) + 1)
    for col, w in enumerate(widths):
        ws.set_column(col, col, w)
    # Many companies: several pages wide at the smallest readable scale, the labels on every page.
    wide, first_page = _first_page(widths)
    paragraph(ws, 0, L.PER_COMPANY_WARNING, first_page - 1, sum(widths[:first_page]), fmt["alert_wrap"])
    ws.write_string(1, 0, c.campaign.libelle, fmt["subtitle"])
    header = 3
    headings = [L.HEADING_CODE, L.HEADING_LABEL] + [c.campaign.names.get(s, s) for s in companies] + [L.HEADING_BRANCH]
    for col, h in enumerate(headings):
        ws.write_string(header, col, h, fmt["header"])
    ws.set_row(header, row_height(list(zip(headings, widths))))
    matrix = c.par_societe.to_numpy()
    for i, t in enumerate(c.table.itertuples(index=False)):
        r = header + 1 + i
        label_style, number_style, _ = (fmt[k] for k in LEVEL_STYLE[t.niveau])
        ws.write_string(r, 0, t.code, fmt["code"] if t.niveau == Level.METIER else label_style)
        ws.write_string(r, 1, label(t, c.campaign), label_style)
        ws.set_row(r, row_height([(label(t, c.campaign), widths[1] * (1 if t.niveau == Level.METIER else 0.9))]))
        for j, v in enumerate(matrix[i], start=2):
            ws.write_number(r, j, int(v), number_style)
        ws.write_number(r, 2 + len(companies), int(t.effectif), number_style)
    ws.freeze_panes(header + 1, 2)
    if wide:
        ws.repeat_columns(0, 1)
    a4(ws, *page, L.CONFIDENTIAL, repeat=(header, header), scale=MIN_SCALE if wide else None)


def _write_par_societe_rows(wb, fmt, c: Consolidation, page: tuple[str, str]) -> None:
    """Many companies: one row each (identifier, raison sociale, then one column per row of table 1.4: the
    métiers by code, the non-ventilés, the totals), the branch last, below the filtered list."""
    ws = streamed_worksheet(wb, L.SHEET_PER_COMPANY)  # written top to bottom, a row at a time
    ws.set_tab_color("#C00000")
    companies = list(c.par_societe.columns)
    rows = list(c.table.itertuples(index=False))
    widths = [12, 30] + [11] * len(rows)  # « d'assistance » whole on a line of the headings
    for col, w in enumerate(widths):
        ws.set_column(col, col, w)
    wide = print_scale(widths, True) < MIN_SCALE
    # The warning over the identifier and the name, printed whole on every page (they are repeated on each).
    paragraph(ws, 0, L.PER_COMPANY_WARNING, 1, sum(widths[:2]), fmt["alert_wrap"])
    ws.write_string(1, 0, c.campaign.libelle, fmt["subtitle"])
    # Two heading rows: the code (métiers) above the label; the two company columns' headings beside the labels.
    codes, labels = 3, 4
    company_headings = list(L.SOURCES_HEADINGS[:2])
    texts = [label(t, c.campaign) for t in rows]
    for col, text in enumerate(["", ""] + [t.code if t.niveau == Level.METIER else "" for t in rows]):
        (ws.write_string if text else ws.write_blank)(codes, col, text, fmt["header"])
    for col, text in enumerate(company_headings + texts):
        ws.write_string(labels, col, text, fmt["header"])
    ws.set_row(labels, row_height(list(zip(company_headings + texts, widths))))
    number_styles = [fmt[LEVEL_STYLE[t.niveau][1]] for t in rows]
    matrix = c.par_societe.to_numpy()  # a column per company, taken one at a time (never all as Python numbers)
    for i, company in enumerate(companies):
        figures = matrix[:, i].tolist()
        r = labels + 1 + i
        name = c.campaign.names.get(company, company)
        ws.write_string(r, 0, str(company), fmt["code"])
        ws.write_string(r, 1, name, fmt["cell"])
        if len(name) > widths[1]:
            ws.set_row(r, row_height([(name, widths[1])]))
        for j, (v, style) in enumerate(zip(figures, number_styles), start=2):
            ws.write_number(r, j, v, style)
    last = labels + len(companies)
    branch = last + 2
    ws.merge_range(branch, 0, branch, 1, L.HEADING_BRANCH, fmt["big_total_label"])
    for j, t in enumerate(rows, start=2):
        ws.write_number(branch, j, int(t.effectif), fmt["big_total"])
    ws.freeze_panes(labels + 1, 2)
    ws.autofilter(labels, 0, last, len(widths) - 1)
    if wide:
        ws.repeat_columns(0, 1)
    a4(ws, *page, L.CONFIDENTIAL, repeat=(codes, labels), scale=MIN_SCALE if wide else None)


SOURCES_WIDTHS = [18, 24, 36, 11, 16]  # a landscape page at 100 %
REVIEWED_WIDTHS = [18, 20, 23, 9, 15, 22]  # with the « Revue » column, still one landscape page


def _review_texts(c: Consolidation) -> list[str] | None:
    """Per submission used: « validée le JJ/MM/AAAA par NOM » or « provisoire »; None without review states."""
    if c.revues is None:
        return None
    return [fr(L.SOURCES_VALIDATED, date=fr_date(dt.datetime.fromisoformat(r.le)), nom=r.par) if r.validee
            else L.SOURCES_PROVISIONAL for r in c.revues.itertuples(index=False)]


def _write_sources(wb, fmt, c: Consolidation, page: tuple[str, str]) -> None:
    # A row per company, written top to bottom: streamed when they are many, as « Par société » is.
    many = companies_as_rows(len(c.retenues))
    ws = streamed_worksheet(wb, L.SHEET_SOURCES) if many else wb.add_worksheet(L.SHEET_SOURCES)
    ws.write_string(0, 0, L.SOURCES_TITLE, fmt["title"])
    reviews = _review_texts(c)
    widths = SOURCES_WIDTHS if reviews is None else REVIEWED_WIDTHS
    headings = L.SOURCES_HEADINGS if reviews is None else [*L.SOURCES_HEADINGS, L.SOURCES_REVIEW]
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    columns = ["identifiant", "raison_sociale", "fichier", "soumission", "recu_le"]
    for col, h in enumerate(headings):
        ws.write_string(2, col, h, fmt["header"])
    ws.set_row(2, row_height(list(zip(headings, widths))))
    for i, r in enumerate(c.retenues[columns].itertuples(index=False), start=3):
        values = [fr_datetime(v) if columns[col] == "recu_le" else str(v) for col, v in enumerate(r)]
        if reviews is not None:
            values.append(reviews[i - 3])
        for col, v in enumerate(values):
            ws.write_string(i, col, v, fmt["cell"])
        ws.set_row(i, row_height(list(zip(values, widths))))
    row = 4 + len(c.retenues)
    ws.write_string(row, 0, L.SOURCES_ABSENT, fmt["label"])
    last = len(widths) - 1
    for i, a in enumerate(c.absentes.itertuples(index=False), start=row + 1):
        values = [a.identifiant, a.raison_sociale, a.motif]
        ws.merge_range(i, 2, i, last, "", fmt["cell"])
        for col, v in enumerate(values):
            ws.write_string(i, col, str(v), fmt["cell"])
        ws.set_row(i, row_height([(values[0], widths[0]), (values[1], widths[1]), (values[2], sum(widths[2:]))]))
    if c.absentes.empty:
        ws.write_string(row + 1, 0, L.NONE, fmt["text"])
    a4(ws, *page, c.campaign.libelle, repeat=(2, 2))


def secret_note(c: Consolidation) -> list[str]:
    """The French note explaining the statistical confidentiality of the published edition."""
    rules = c.protection.rules
    rule = L.SECRET_NOTE_P_RULE if rules.regle == "p%" else L.SECRET_NOTE_DOMINANCE
    lines = [*L.SECRET_NOTE[:3], rule, *L.SECRET_NOTE[3:]]
    if rules.groupes:
        lines.insert(4, L.SECRET_NOTE_GROUPS)
    evolution = c.evolution_raw is not None  # the published edition shows an evolution: what it publishes of it
    if evolution:
        lines.insert(-1, L.SECRET_NOTE_EVOLUTION)
    lines = [fr(line, frequence=rules.frequence_min, dominance=rules.dominance, p=rules.p / 100) for line in lines]
    saisie = c.campaign.saisie
    names = ", ".join(b.label.lower() for b in saisie.breakdowns if not b.crosses)
    if names:
        lines.append(fr(L.PUBLISHED_BREAKDOWNS, ventilations=names)
                     + (" " + L.PUBLISHED_BREAKDOWNS_EVOLUTION if evolution else ""))
    lines += [fr(L.PUBLISHED_CROSSED, croisement=b.label.lower()) for b in saisie.breakdowns if b.crosses]
    if saisie.etp:
        lines.append(L.PUBLISHED_NO_ETP)
    return [*lines, L.ROUNDING_NOTE]


def _interval(lo: float, hi: float) -> str:
    return fr(L.SECRET_RANGE, bas=number(round(lo)), haut=L.INFINITY if hi == float("inf") else number(round(hi)))


SECRET_WIDTHS = [9, 6, 20, 7, 7, 13, 12, 12, 8, 14, 12, 8]  # a landscape page at 80 %


def _write_secret(wb, fmt, c: Consolidation, page: tuple[str, str]) -> None:
    """Internal: which cells the published edition masks, why, which primary cells a secondary one protects,
    and the interval an outsider and the strongest insider can still infer, against what was required."""
    p = c.protection
    ws = wb.add_worksheet(L.SHEET_SECRET)
    widths = SECRET_WIDTHS
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.write_string(0, 0, L.SECRET_TITLE, fmt["title"])
    note = secret_note(c)
    hidden = p.hidden
    main = p.part()
    scope = [fr(L.SECRET_SCOPE, n=len(hidden))] if len(hidden) > (main["motif"] != "").sum() else []
    lines = [*note[1:], L.SECRET_BEST, *scope]
    for i, line in enumerate(lines, start=1):
        paragraph(ws, i, line, len(widths) - 1, sum(widths), fmt["wrap"])  # printed as the Note of the edition
    row = len(lines) + 2  # a blank row, then the headings
    header = row
    for col, h in enumerate(L.SECRET_HEADINGS):
        ws.write_string(row, col, h, fmt["header"])
    ws.set_row(row, row_height(list(zip(L.SECRET_HEADINGS, widths))))
    labels = dict(zip(zip(c.branch.rows["niveau"], c.branch.rows["code"]), c.branch.rows["libelle"]))
    for r in main[main["motif"] != ""].itertuples(index=False):
        row += 1
        insider = c.campaign.names.get(r.initie, r.initie) if r.initie else L.NONE_INSIDER
        values = [L.NIVEAUX[Level(r.niveau)], r.code, labels.get((r.niveau, r.code), ""), int(r.effectif),
                  int(r.nb_societes), r.motif, r.protege, _interval(r.bas, r.haut),
                  fr(L.SECRET_REQUIRED, n=int(r.requis)) if r.requis else "", insider,
                  _interval(r.bas_initie, r.haut_initie) if r.initie else "",
                  fr(L.SECRET_REQUIRED, n=int(r.requis_initie)) if r.requis_initie else ""]
        for col, v in enumerate(values):
            if isinstance(v, int):
                ws.write_number(row, col, v, fmt["number"])
            else:
                ws.write_string(row, col, str(v), fmt["cell"])
        ws.set_row(row, row_height([(v, w) for v, w in zip(values, widths) if isinstance(v, str)]))
    if p.coherence is not None:
        row += 2
        ws.write_string(row, 0, L.SECRET_COHERENCE, fmt["label"])
        row += 1
        headings = L.SECRET_COHERENCE_HEADINGS
        # (first, last) column of each heading: « Avant » over two narrow columns, the remark to the right edge
        spans = [(0, 0), (1, 1), (2, 2), (3, 4), (5, 5), (6, len(widths) - 1)]

        def put(at: int, values: list[str], style) -> None:
            for (first, last), v in zip(spans, values):
                if first == last:
                    ws.write_string(at, first, v, style)
                else:
                    ws.merge_range(at, first, at, last, v, style)
            ws.set_row(at, row_height([(v, sum(widths[first:last + 1])) for (first, last), v in zip(spans, values)]))

        put(row, list(headings), fmt["header"])
        if p.coherence.empty:
            ws.write_string(row + 1, 0, L.SECRET_COHERENCE_NONE, fmt["text"])
        for r in p.coherence.itertuples(index=False):
            row += 1
            put(row, [str(v) for v in (L.NIVEAUX[Level(r.niveau)], r.code, r.libelle, r.avant, r.maintenant, r.note)],
                fmt["cell"])
    a4(ws, *page, L.CONFIDENTIAL, repeat=(header, header))


def write_consolidation(c: Consolidation, path: str | Path, edited: dt.datetime | None = None) -> Path:
    """Write consolidation.xlsx for the observatory (complete; marks what the published edition masks).
    ``edited``: when (the pages' header says it)."""
    page = (fr(L.CONSOLIDATION_PAGE, campagne=c.campaign.identifiant), edited_on(edited))
    with atomic_workbook(path, large=True, title=fr(L.CONSOLIDATION_TITLE, libelle=c.campaign.libelle),
                         author=L.OBSERVATORY) as wb:
        fmt = formats(wb)
        write_key_figures(wb, fmt, c, page)
        write_synthese(wb, fmt, c, page=page)
        write_raw_evolution(wb, fmt, c, page)
        write_base(wb, fmt, c, page=page)
        write_chart(wb, fmt, c, page)
        if c.campaign.saisie.any:
            write_breakdown_sheets(wb, fmt, c, page)
        write_comments_sheet(wb, fmt, c.campaign, c.commentaires, *page)
        _write_par_societe(wb, fmt, c, page)
        _write_sources(wb, fmt, c, page)
        if c.protection is not None:
            _write_secret(wb, fmt, c, page)
        wb.get_worksheet_by_name(L.SHEET_KEY_FIGURES).activate()
    return Path(path)
