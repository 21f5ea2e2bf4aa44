"""The sheets the internal consolidation and the published edition share: Synthèse (table 1.4 of the
cartography) and Base de données (its section 1.7); Graphique is in :mod:`.chart`.

``public=True`` writes the published edition: masked cells (and counts) as "s", the raw evolution only where
published, no company names.
"""

from __future__ import annotations

import pandas as pd

from ..compute.consolidation import Consolidation, published_groups
from ..core.texts import fr, names
from ..core.texts import labels as L
from ..core.vocab import EFFECTIF, TOUT, Level
from .comments import counts_by_cell
from .guide import change_note
from .xlsx import Rows, a4, page_breaks, paragraph, print_scale, row_height

LEVEL_STYLE = {
    Level.METIER: ("cell", "number", "percent"),
    Level.FAMILLE: ("total_label", "total", "total_percent"),
    Level.GROUPE: ("big_total_label", "big_total", "big_total_percent"),
    Level.VENTILES: ("big_total_label", "big_total", "big_total_percent"),
    Level.NON_VENTILES: ("big_total_label", "big_total", "big_total_percent"),
    Level.BRANCHE: ("big_total_label", "big_total", "big_total_percent"),
}


def label(row, campaign) -> str:
    """A row's label as table 1.4 prints it (totals in capitals, the branch with its date)."""
    if row.niveau in (Level.METIER, Level.FAMILLE):
        return row.libelle
    if row.niveau == Level.BRANCHE:
        return fr(L.BRANCHE_AU, date=campaign.date_arrete).upper()
    return row.libelle.upper()


def masked_cells(c: Consolidation, public: bool, categorie: str = TOUT) -> set:
    """The cells of the headcount (of one category) the published edition masks; none in the internal
    workbook."""
    return c.protection.masked_of(EFFECTIF, categorie) if public and c.protection is not None else set()


def evolution_shown(c: Consolidation) -> dict:
    """(niveau, code) -> (N−1 figure published, evolution published), for the published edition."""
    evo = c.protection.evolution if c.protection is not None else None
    if evo is None:
        return {}
    part = evo[(evo["mesure"] == EFFECTIF) & (evo["categorie"] == TOUT)]
    return {(n, code): (bool(a), bool(b)) for n, code, a, b in
            part[["niveau", "code", "precedent_publie", "evolution_publiee"]].itertuples(index=False, name=None)}


def _group_heading(numero: str, groupe: str) -> str:
    return fr(L.TABLE_GROUP, numero=numero, groupe=groupe.upper())


def _family_heading(code: str, title: str) -> str:
    return fr(L.TABLE_FAMILY, code=code, intitule=title.upper())


def evolution_notes(c: Consolidation) -> list[str]:
    """What the evolution columns compare: the same companies both years, and where the raw comparison is."""
    evo, raw = c.evolution, c.evolution_raw
    if raw is None:
        return []
    if evo is None:
        return [fr(L.SYNTHESE_NO_CONSTANT, campagne=raw.previous_id, feuille=L.SHEET_RAW_EVOLUTION)]
    if evo is raw:  # the same companies both times: the raw comparison is the one at constant scope
        return [fr(L.SYNTHESE_NOTE_SAME, campagne=evo.previous_id, date=evo.previous_date, n=len(evo.companies))]
    notes = [fr(L.SYNTHESE_NOTE_CONSTANT, campagne=evo.previous_id, date=evo.previous_date, n=len(evo.companies)),
             fr(L.SYNTHESE_NOTE_RAW, feuille=L.SHEET_RAW_EVOLUTION)]
    if evo.only_previous:
        notes.append(fr(L.SYNTHESE_ONLY_PREVIOUS, campagne=evo.previous_id, societes=names(evo.only_previous)))
    if evo.only_current:
        notes.append(fr(L.SYNTHESE_ONLY_CURRENT, societes=names(evo.only_current)))
    return notes


def change_styles(fmt, level: Level) -> tuple:
    """A level's number style, then its signed styles for a change and a change in % (« +121 », « −3,70 % »)."""
    _, number, percent = LEVEL_STYLE[level]
    return fmt[number], fmt[f"{number}_change"], fmt[f"{percent}_change"]


def write_evolution_cells(ws, fmt, row: int, col: int, e, level: Level, label_style, remark: str) -> None:
    """N and N−1 of the companies compared, the change, the change in %, and the remark, from column ``col``."""
    number_style, change_style, percent_style = change_styles(fmt, level)
    for i, (value, style) in enumerate(((e.effectif, number_style), (e.effectif_n1, number_style),
                                        (e.variation, change_style), (e.variation_pct, percent_style))):
        if pd.isna(value):
            ws.write_string(row, col + i, L.NOT_AVAILABLE, number_style)
        else:
            ws.write_number(row, col + i, float(value), style)
    ws.write_string(row, col + 4, remark, label_style)


def write_published_evolution(ws, fmt, row: int, e, shown: tuple[bool, bool], level: Level, label_style,
                              remark: bool = True) -> None:
    """The published edition's N−1 figure, change, change in % and (``remark``) note from column 5: "s" where the
    protection does not publish them (``shown``: N−1 figure published, evolution published)."""
    number_style, change_style, percent_style = change_styles(fmt, level)
    for col, value, style, visible in ((5, e.effectif_n1, number_style, shown[0]), (6, e.variation, change_style,
                                       shown[1]), (7, e.variation_pct, percent_style, shown[1])):
        if pd.isna(value):
            ws.write_string(row, col, L.NOT_AVAILABLE, number_style)
        elif not visible:
            ws.write_string(row, col, L.MASKED, style)
        else:
            ws.write_number(row, col, float(value), style)
    if remark:
        ws.write_string(row, 8, e.note, label_style)


def _synthese_widths(evo, secret_col: int | None, public: bool, remark: bool = True) -> list[float]:
    """Portrait at 90 % for the published table without evolution, landscape at 80 % with it (without its
    « Remarque » column when ``remark`` is false: the titles given its room); internally, landscape at 100 % with
    the confidentiality column, at 80 % with the evolution at constant scope too."""
    if evo is None:
        widths = [6, 46, 11, 11, 11]
    elif public:
        widths = [6, 32, 10, 10, 8, 10, 9, 9, 20] if remark else [6, 46, 10, 10, 8, 10, 9, 9]
    else:
        widths = [6, 28, 9, 9, 8, 9, 9, 8, 8, 20]
    if secret_col is not None:
        widths += [30 if evo is None else 18]
    return widths


def write_synthese(wb, fmt, c: Consolidation, public: bool = False, page: tuple[str, str] = ("", "")) -> None:
    """The table 1.4 layout. Internally, with the evolution at constant scope (N and N−1 of the same companies);
    in the published edition, with the raw comparison — its N−1 figures are those of the previous published
    edition, which the protection audits together with this one — each shown only where it is published.
    ``page``: the left and right of the pages' header."""
    campaign = c.campaign
    evo, evo_rows = (c.evolution_raw, c.evolution_raw_rows) if public else (c.evolution, c.evolution_rows)
    masked = masked_cells(c, public)
    hidden_counts = c.protection.hidden_counts if public else set()
    shown = evolution_shown(c) if public else {}
    evo_cols = 0 if evo is None else 4 if public else 5  # (N,) N−1, change, change %, remark
    secret_col = None if public or c.protection is None else 5 + evo_cols
    # The published « Remarque » column only when a métier has a note (a change of nomenclature since N−1).
    remark = not public or evo_rows is None or any(evo_rows["note"])
    ws = wb.add_worksheet(L.SHEET_SYNTHESE)
    rows = Rows(ws)
    widths = _synthese_widths(evo, secret_col, public, remark)
    last_col = len(widths) - 1
    landscape = last_col > 4
    for col, w in enumerate(widths):
        ws.set_column(col, col, w)
    total = sum(widths)
    paragraph(ws, 0, fr(L.SYNTHESE_TITLE, date=campaign.date_arrete), last_col, total, fmt["title_wrap"], 14, rows)
    paragraph(ws, 1, campaign.libelle, last_col, total, fmt["subtitle_wrap"], rows=rows)
    n_exp, n_ret = len(campaign.societes), len(c.retenues)
    paragraph(ws, 2, fr(L.SYNTHESE_COUNT, retenues=n_ret, attendues=n_exp), last_col, total,
              fmt["ok_wrap"] if n_ret == n_exp else fmt["alert_wrap"], rows=rows)
    row = 3
    for a in ([] if public else c.absentes.itertuples(index=False)):
        paragraph(ws, row, fr(L.SYNTHESE_ABSENT, societe=a.raison_sociale, motif=a.motif), last_col, total,
                  fmt["alert_wrap"], rows=rows)
        row += 1
    if public:
        notes = [L.SYNTHESE_NOTE, L.SYNTHESE_NOTE_SECRET] + (
            [fr(L.SYNTHESE_NOTE_PUBLISHED, campagne=evo.previous_id, date=evo.previous_date)] if evo else [])
    else:
        notes = [L.SYNTHESE_NOTE] + evolution_notes(c)
    notes += change_note(campaign) if evo is not None else []
    for note in notes:
        paragraph(ws, row, note, last_col, total, fmt["note"], 8, rows)
        row += 1
    row += 1
    headers = list(L.SYNTHESE_HEADINGS)
    if evo is not None and public:
        headers += [fr(L.EFFECTIF_AU, date=evo.previous_date), *L.EVOLUTION_HEADINGS[:3 if remark else 2]]
    elif evo is not None:
        headers += [fr(L.SAME_COMPANIES_AU, date=campaign.date_arrete), fr(L.SAME_COMPANIES_AU, date=evo.previous_date),
                    *L.EVOLUTION_HEADINGS]
    if secret_col is not None:
        headers += [L.SYNTHESE_PUBLISHED]
    for col, h in enumerate(headers):
        ws.write_string(row, col, h, fmt["header"])
    rows.set(row, row_height(list(zip(headers, widths))))
    header_row = row
    row += 1
    remarks = {} if public else counts_by_cell(campaign, c.commentaires)
    coherence = c.protection.coherence if c.protection is not None else None  # published in one edition only:
    masked_before = set() if coherence is None or evo is None else \
        set(zip(coherence["niveau"], coherence["code"])) - c.protection.masked  # published now, masked in N−1
    nom = campaign.nomenclature
    numeros = {g: n for n, g in nom.groupes}
    titles = dict(zip(nom.familles["code_famille"], nom.familles["intitule_famille"]))
    current_group, current_family = None, None
    keep = []
    for i, t in enumerate(c.table.itertuples(index=False)):
        if t.groupe and t.groupe != current_group:
            current_group = t.groupe
            keep.append((row, row + 3))  # the group's heading, its first family's heading, two rows
            ws.merge_range(row, 0, row, last_col, _group_heading(numeros[t.groupe], t.groupe), fmt["group"])
            rows.set(row, 16)
            row += 1
        if t.niveau == Level.METIER and t.code_famille != current_family:
            current_family = t.code_famille
            if keep[-1][0] != row - 1:
                keep.append((row, row + 2))  # a family's heading and two rows
            ws.merge_range(row, 0, row, last_col, _family_heading(t.code_famille, titles[t.code_famille]),
                           fmt["family"])
            row += 1
        label_style, number_style, percent_style = (fmt[k] for k in LEVEL_STYLE[t.niveau])
        texts = []
        if t.niveau == Level.METIER:
            ws.write_string(row, 0, t.code, fmt["code"])
            ws.write_string(row, 1, t.libelle, label_style)
            texts.append((t.libelle, widths[1]))
        else:
            ws.merge_range(row, 0, row, 1, label(t, campaign), label_style)
            texts.append((label(t, campaign), widths[0] + widths[1]))
        if (t.niveau, t.code) in masked:
            ws.write_string(row, 2, L.MASKED, number_style)
            ws.write_string(row, 3, L.MASKED, percent_style)
        else:
            ws.write_number(row, 2, int(t.effectif), number_style)
            ws.write_number(row, 3, float(t.pourcentage), percent_style)
        if (t.niveau, t.code) in hidden_counts:
            ws.write_string(row, 4, L.MASKED, number_style)
        else:
            ws.write_number(row, 4, int(t.nb_societes), number_style)
        if secret_col is not None:
            reason = c.protection.reason(t.niveau, t.code)
            text = fr(L.MASKED_BECAUSE, motif=reason) if reason else fr(L.MASKED_BEFORE, campagne=evo.previous_id) \
                if (str(t.niveau), t.code) in masked_before else ""
            ws.write_string(row, secret_col, text, fmt["cell"])
            texts.append((text, widths[secret_col]))
        if evo_rows is not None:
            e = evo_rows.iloc[i]
            remark_style = label_style if t.niveau != Level.METIER else fmt["cell"]
            if public:
                write_published_evolution(ws, fmt, row, e, shown.get((t.niveau, t.code), (False, False)), t.niveau,
                                          remark_style, remark)
                if remark:
                    texts.append((e.note, widths[8]))
            else:
                n = remarks.get((str(t.niveau), t.code), 0)
                remark = L.REMARK_SEPARATOR.join(x for x in (e.note, fr(L.REMARK_COMMENTS, n=n) if n else "") if x)
                write_evolution_cells(ws, fmt, row, 5, e, t.niveau, remark_style, remark)
                texts.append((remark, widths[9]))
        rows.set(row, row_height(texts))
        row += 1
    groups = None if evo is None else published_groups(c) if public else evo.groups
    if groups is not None and not groups.empty:
        keep.append((row + 1, row + 4))
        row = _write_groups(ws, fmt, evo, groups, row + 1, widths, rows, campaign.date_arrete, public)
    ws.freeze_panes(header_row + 1, 0)
    scale = print_scale(widths, landscape)
    heights = rows.all(row)
    ws.set_h_pagebreaks(page_breaks(heights, keep, landscape, scale, heights[header_row]))
    a4(ws, *page, campaign.libelle, landscape=landscape, repeat=(header_row, header_row), scale=scale)
    ws.activate()


def _write_groups(ws, fmt, evo, groups: pd.DataFrame, row: int, widths: list[float], rows: Rows, date,
                  public: bool = False) -> int:
    """The groups of métiers compared across the change of nomenclature (internally the same companies both years;
    published, what each edition published): the group under « Intitulé », its nature (scission, fusion…) under
    « Remarque »."""
    paragraph(ws, row, L.GROUPS_TITLE, len(widths) - 1, sum(widths), fmt["label_wrap"], rows=rows)
    row += 1
    now, before, change, pct, nature = (2, 5, 6, 7, 8) if public else (5, 6, 7, 8, 9)
    headings = {1: L.GROUPS_HEADINGS[1], nature: L.GROUPS_HEADINGS[0]}
    headings.update({now: L.SYNTHESE_HEADINGS[2], before: fr(L.EFFECTIF_AU, date=evo.previous_date)} if public else
                    {now: fr(L.SAME_COMPANIES_AU, date=date), before: fr(L.SAME_COMPANIES_AU, date=evo.previous_date)})
    headings.update({change: L.EVOLUTION_HEADINGS[0], pct: L.EVOLUTION_HEADINGS[1]})
    for col, h in sorted(headings.items()):
        ws.write_string(row, col, h, fmt["header"])
    rows.set(row, row_height([(h, widths[col]) for col, h in headings.items()]))
    for g in groups.itertuples(index=False):
        row += 1
        ws.write_string(row, 1, g.libelle, fmt["cell"])
        ws.write_string(row, nature, g.nature, fmt["cell"])
        rows.set(row, row_height([(g.libelle, widths[1]), (g.nature, widths[nature])]))
        ws.write_number(row, now, int(g.effectif), fmt["number"])
        ws.write_number(row, before, int(g.effectif_n1), fmt["number"])
        ws.write_number(row, change, int(g.variation), fmt["number_change"])
        if pd.isna(g.variation_pct):
            ws.write_string(row, pct, L.NOT_AVAILABLE, fmt["number"])
        else:
            ws.write_number(row, pct, float(g.variation_pct), fmt["percent_change"])
    return row


BASE_WIDTHS = [6, 17, 22, 17, 20, 8, 8, 8, 8, 8, 8]  # a landscape page at 80 %


def write_base(wb, fmt, c: Consolidation, public: bool = False, page: tuple[str, str] = ("", "")) -> None:
    """Section 1.7 of the cartography: per métier its emplois rattachés with sub-totals, and totals."""
    nom = c.campaign.nomenclature
    masked = masked_cells(c, public)
    hidden_counts = c.protection.hidden_counts if public and c.protection is not None else set()
    ws = wb.add_worksheet(L.SHEET_BASE)
    rows = Rows(ws)
    keep = []  # a métier's rows together; a heading with the métier under it

    def put(r: int, col: int, value, style, cell) -> None:
        if cell in masked:
            ws.write_string(r, col, L.MASKED, style)
        else:
            ws.write_number(r, col, value, style)

    widths = BASE_WIDTHS
    for i, w in enumerate(widths):
        ws.set_column(i, i, w)
    paragraph(ws, 0, L.BASE_TITLE, len(widths) - 1, sum(widths), fmt["title_wrap"], 14, rows)
    paragraph(ws, 1, c.campaign.libelle, len(widths) - 1, sum(widths), fmt["subtitle_wrap"], rows=rows)
    rows.set(3, 16)  # headings over two rows: two lines; « sous-total » cut at its hyphen
    rows.set(4, 28)
    for col, h in enumerate(L.BASE_HEADINGS):
        if h is not None and col >= 5:
            ws.merge_range(3, col, 3, col + 1, h, fmt["header"])
        elif h is not None:
            ws.merge_range(3, col, 4, col, h, fmt["header"])
    for col, h in zip(range(5, 11), L.BASE_SUBHEADINGS * 3):
        ws.write_string(4, col, h, fmt["header"])
    row = 5
    table = c.table.set_index(["niveau", "code"])
    emplois_of = dict(tuple(c.emplois.groupby("code_metier", sort=False)))
    for numero, groupe in nom.groupes:
        heading = row
        ws.merge_range(row, 0, row, 10, _group_heading(numero, groupe), fmt["group"])
        rows.set(row, 16)
        row += 1
        for k, fam in enumerate(nom.familles_du_groupe(groupe).itertuples(index=False)):
            if k:
                heading = row
            ws.merge_range(row, 0, row, 10, _family_heading(fam.code_famille, fam.intitule_famille), fmt["family"])
            row += 1
            for m in nom.metiers_de(fam.code_famille).itertuples(index=False):
                emplois = emplois_of[m.code_metier]
                n = len(emplois)
                metier = (Level.METIER, m.code_metier)
                total = table.loc[metier]
                hide = metier in masked
                merged = [(0, m.code_metier, fmt["code"]), (1, m.intitule_metier, fmt["cell"]),
                          (2, m.mission, fmt["cell"]), (4, ", ".join(m.autres), fmt["cell"]),
                          (6, L.MASKED if hide else int(total["effectif"]), fmt["number"]),
                          (8, L.MASKED if hide else float(total["pourcentage"]), fmt["percent"]),
                          (10, L.MASKED if metier in hidden_counts else int(total["nb_societes"]), fmt["number"])]
                for col, value, style in merged:
                    if n > 1:
                        ws.merge_range(row, col, row + n - 1, col, value, style)
                    elif isinstance(value, str):
                        ws.write_string(row, col, value, style)
                    else:
                        ws.write_number(row, col, value, style)
                for i, e in enumerate(emplois.itertuples(index=False)):
                    cell = (Level.EMPLOI, e.cle) if n > 1 else metier  # a single emploi is the métier itself
                    ws.write_string(row + i, 3, e.intitule_emploi, fmt["cell"])
                    put(row + i, 5, int(e.effectif), fmt["number"], cell)
                    put(row + i, 7, float(e.pourcentage), fmt["percent"], cell)
                    if cell in hidden_counts:
                        ws.write_string(row + i, 9, L.MASKED, fmt["number"])
                    else:
                        ws.write_number(row + i, 9, int(e.nb_societes), fmt["number"])
                height = row_height([(m.intitule_metier, widths[1]), (m.mission, widths[2]),
                                     (", ".join(m.autres), widths[4])])
                per_row = max(height / n, row_height([(e, widths[3]) for e in emplois["intitule_emploi"]]))
                for i in range(n):
                    rows.set(row + i, per_row)
                keep.append((row if heading is None else heading, row + n - 1))
                heading = None
                row += n
            family = (Level.FAMILLE, fam.code_famille)
            sub = table.loc[family]
            text = fr(L.FAMILY_TOTAL, code=fam.code_famille, intitule=fam.intitule_famille)
            ws.merge_range(row, 0, row, 5, text, fmt["total_label"])
            rows.set(row, row_height([(text, sum(widths[:6]))]))
            put(row, 6, int(sub["effectif"]), fmt["total"], family)
            ws.write_blank(row, 7, None, fmt["total"])
            put(row, 8, float(sub["pourcentage"]), fmt["total_percent"], family)
            ws.write_blank(row, 9, None, fmt["total"])
            if family in hidden_counts:
                ws.write_string(row, 10, L.MASKED, fmt["total"])
            else:
                ws.write_number(row, 10, int(sub["nb_societes"]), fmt["total"])
            row += 1
    ws.freeze_panes(5, 2)
    scale = print_scale(widths, True)
    heights = rows.all(row)
    ws.set_h_pagebreaks(page_breaks(heights, keep, True, scale, heights[3] + heights[4]))
    a4(ws, *page, c.campaign.libelle, repeat=(3, 4), scale=scale)
