"""The sheets the internal consolidation and the published edition share: Synthèse (table 1.4 of the
cartography), Base de données (its section 1.7) and Graphique (the distribution by family).

``public=True`` writes the published edition: masked cells, numbers of companies and evolutions as "s" (the
evolution published is the raw comparison with the previous published edition, shown only beside two published
figures), no company names, no table of regroupings. Internally, the evolution is at constant scope.
"""

from __future__ import annotations

import pandas as pd

from ..compute.consolidation import Consolidation
from ..core.texts import fr
from ..core.texts import labels as L
from ..core.vocab import EFFECTIF, TOUT, Level
from .comments import counts_by_cell
from .xlsx import a4, row_height

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


def masked_cells(c: Consolidation, public: bool) -> set:
    return c.protection.masked if public and c.protection is not None else set()


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
        notes.append(fr(L.SYNTHESE_ONLY_PREVIOUS, campagne=evo.previous_id, societes=", ".join(evo.only_previous)))
    if evo.only_current:
        notes.append(fr(L.SYNTHESE_ONLY_CURRENT, societes=", ".join(evo.only_current)))
    return notes


def write_evolution_cells(ws, fmt, row: int, col: int, e, styles: tuple, remark: str) -> None:
    """N and N−1 of the companies compared, the change, the change in %, and the remark, from column ``col``."""
    number_style, percent_style, label_style = styles
    for i, (value, style) in enumerate(((e.effectif, number_style), (e.effectif_n1, number_style),
                                        (e.variation, number_style), (e.variation_pct, percent_style))):
        if pd.isna(value):
            ws.write_string(row, col + i, L.NOT_AVAILABLE, number_style)
        else:
            ws.write_number(row, col + i, float(value), style)
    ws.write_string(row, col + 4, remark, label_style)


def write_published_evolution(ws, row: int, e, shown: tuple[bool, bool], styles: tuple) -> None:
    """The published edition's N−1 figure, change, change in % and note from column 5: "s" where the protection
    does not publish them (``shown``: N−1 figure published, evolution published)."""
    number_style, percent_style, label_style = styles
    for col, value, style, visible in ((5, e.effectif_n1, number_style, shown[0]), (6, e.variation, number_style,
                                       shown[1]), (7, e.variation_pct, percent_style, shown[1])):
        if pd.isna(value):
            ws.write_string(row, col, L.NOT_AVAILABLE, number_style)
        elif not visible:
            ws.write_string(row, col, L.MASKED, style)
        else:
            ws.write_number(row, col, float(value), style)
    ws.write_string(row, 8, e.note, label_style)


def write_synthese(wb, fmt, c: Consolidation, public: bool = False) -> None:
    """The table 1.4 layout. Internally, with the evolution at constant scope (N and N−1 of the same companies);
    in the published edition, with the raw comparison — its N−1 figures are those of the previous published
    edition, which the protection audits together with this one — each shown only where it is published."""
    campaign = c.campaign
    evo, evo_rows = (c.evolution_raw, c.evolution_raw_rows) if public else (c.evolution, c.evolution_rows)
    masked = masked_cells(c, public)
    hidden_counts = c.protection.hidden_counts if public else set()
    shown = evolution_shown(c) if public else {}
    evo_cols = 0 if evo is None else 4 if public else 5  # (N,) N−1, change, change %, remark
    secret_col = None if public or c.protection is None else 5 + evo_cols
    ws = wb.add_worksheet(L.SHEET_SYNTHESE)
    last_col = max(4 + evo_cols, secret_col or 0)
    ws.set_column(0, 0, 8)
    ws.set_column(1, 1, 62 if evo is None else 44)
    ws.set_column(2, 8, 14 if evo is None else 11)
    ws.set_column(4 + evo_cols, 4 + evo_cols, 28 if evo is not None else 14)
    ws.write_string(0, 0, fr(L.SYNTHESE_TITLE, date=campaign.date_arrete), fmt["title"])
    ws.write_string(1, 0, campaign.libelle, fmt["subtitle"])
    n_exp, n_ret = len(campaign.societes), len(c.retenues)
    ws.write_string(2, 0, fr(L.SYNTHESE_COUNT, retenues=n_ret, attendues=n_exp),
                    fmt["ok"] if n_ret == n_exp else fmt["alert"])
    row = 3
    for a in ([] if public else c.absentes.itertuples(index=False)):
        ws.write_string(row, 0, fr(L.SYNTHESE_ABSENT, societe=a.raison_sociale, motif=a.motif), fmt["alert"])
        row += 1
    if public:
        notes = [L.SYNTHESE_NOTE, L.SYNTHESE_NOTE_SECRET] + (
            [fr(L.SYNTHESE_NOTE_PUBLISHED, campagne=evo.previous_id, date=evo.previous_date)] if evo else [])
    else:
        notes = [L.SYNTHESE_NOTE] + evolution_notes(c)
    for note in notes:
        ws.write_string(row, 0, note, fmt["small"])
        row += 1
    row += 1
    headers = list(L.SYNTHESE_HEADINGS)
    if evo is not None and public:
        headers += [fr(L.EFFECTIF_AU, date=evo.previous_date), *L.EVOLUTION_HEADINGS]
    elif evo is not None:
        headers += [fr(L.SAME_COMPANIES_AU, date=campaign.date_arrete), fr(L.SAME_COMPANIES_AU, date=evo.previous_date),
                    *L.EVOLUTION_HEADINGS]
    if secret_col is not None:
        headers += [L.SYNTHESE_PUBLISHED]
        ws.set_column(secret_col, secret_col, 36 if evo is None else 22)
    for col, h in enumerate(headers):
        ws.write_string(row, col, h, fmt["header"])
    ws.set_row(row, 45)
    header_row = row
    row += 1
    remarks = {} if public else counts_by_cell(campaign, c.commentaires)
    nom = campaign.nomenclature
    numeros = {g: n for n, g in nom.groupes}
    titles = dict(zip(nom.familles["code_famille"], nom.familles["intitule_famille"]))
    current_group, current_family = None, None
    for i, t in enumerate(c.table.itertuples(index=False)):
        if t.groupe and t.groupe != current_group:
            current_group = t.groupe
            ws.merge_range(row, 0, row, last_col, _group_heading(numeros[t.groupe], t.groupe), fmt["group"])
            row += 1
        if t.niveau == Level.METIER and t.code_famille != current_family:
            current_family = t.code_famille
            ws.merge_range(row, 0, row, last_col, _family_heading(t.code_famille, titles[t.code_famille]),
                           fmt["family"])
            row += 1
        label_style, number_style, percent_style = (fmt[k] for k in LEVEL_STYLE[t.niveau])
        if t.niveau == Level.METIER:
            ws.write_string(row, 0, t.code, fmt["code"])
            ws.write_string(row, 1, t.libelle, label_style)
        else:
            ws.merge_range(row, 0, row, 1, label(t, campaign), label_style)
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
            ws.write_string(row, secret_col, fr(L.MASKED_BECAUSE, motif=reason) if reason else "", fmt["cell"])
        if evo_rows is not None:
            e = evo_rows.iloc[i]
            styles = (number_style, percent_style, label_style if t.niveau != Level.METIER else fmt["cell"])
            if public:
                write_published_evolution(ws, row, e, shown.get((t.niveau, t.code), (False, False)), styles)
            else:
                n = remarks.get((str(t.niveau), t.code), 0)
                remark = "; ".join(x for x in (e.note, fr(L.REMARK_COMMENTS, n=n) if n else "") if x)
                write_evolution_cells(ws, fmt, row, 5, e, styles, remark)
        row += 1
    if evo is not None and not evo.groups.empty and not public:
        row = _write_groups(ws, fmt, evo, row + 1, campaign.date_arrete)
    ws.freeze_panes(header_row + 1, 0)
    a4(ws, landscape=evo is not None, repeat=(header_row, header_row), footer=campaign.libelle)
    ws.activate()


def _write_groups(ws, fmt, evo, row: int, date) -> int:
    ws.write_string(row, 0, L.GROUPS_TITLE, fmt["label"])
    row += 1
    headings = {0: L.GROUPS_HEADINGS[0], 1: L.GROUPS_HEADINGS[1], 5: fr(L.SAME_COMPANIES_AU, date=date),
                6: fr(L.SAME_COMPANIES_AU, date=evo.previous_date), 7: L.EVOLUTION_HEADINGS[0],
                8: L.EVOLUTION_HEADINGS[1]}
    for col in range(9):
        ws.write_string(row, col, headings.get(col, ""), fmt["header"])
    ws.set_row(row, 45)
    for g in evo.groups.itertuples(index=False):
        row += 1
        ws.write_string(row, 0, g.nature, fmt["cell"])
        ws.write_string(row, 1, g.libelle, fmt["cell"])
        ws.write_number(row, 5, int(g.effectif), fmt["number"])
        ws.write_number(row, 6, int(g.effectif_n1), fmt["number"])
        ws.write_number(row, 7, int(g.variation), fmt["number"])
        if pd.isna(g.variation_pct):
            ws.write_string(row, 8, L.NOT_AVAILABLE, fmt["number"])
        else:
            ws.write_number(row, 8, float(g.variation_pct), fmt["percent"])
    return row


def write_base(wb, fmt, c: Consolidation, public: bool = False) -> None:
    """Section 1.7 of the cartography: per métier its emplois rattachés with sub-totals, and totals."""
    nom = c.campaign.nomenclature
    masked = masked_cells(c, public)
    hidden_counts = c.protection.hidden_counts if public and c.protection is not None else set()
    ws = wb.add_worksheet(L.SHEET_BASE)

    def put(r: int, col: int, value, style, cell) -> None:
        if cell in masked:
            ws.write_string(r, col, L.MASKED, style)
        else:
            ws.write_number(r, col, value, style)

    widths = [8, 30, 50, 34, 50, 11, 11, 11, 11, 11, 11]
    for i, w in enumerate(widths):
        ws.set_column(i, i, w)
    ws.write_string(0, 0, L.BASE_TITLE, fmt["title"])
    ws.write_string(1, 0, c.campaign.libelle, fmt["subtitle"])
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
        ws.merge_range(row, 0, row, 10, _group_heading(numero, groupe), fmt["group"])
        row += 1
        for fam in nom.familles_du_groupe(groupe).itertuples(index=False):
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
                    ws.set_row(row + i, per_row)
                row += n
            family = (Level.FAMILLE, fam.code_famille)
            sub = table.loc[family]
            ws.merge_range(row, 0, row, 5, fr(L.FAMILY_TOTAL, code=fam.code_famille, intitule=fam.intitule_famille),
                           fmt["total_label"])
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
    a4(ws, repeat=(3, 4), footer=c.campaign.libelle)


def write_chart(wb, fmt, c: Consolidation) -> None:
    """Distribution of the branch headcount by family, as in section 1.3 of the cartography."""
    sheet = L.SHEET_CHART
    ws = wb.add_worksheet(sheet)
    ws.write_string(0, 0, L.CHART_TITLE, fmt["title"])
    ws.set_column(0, 0, 52)
    ws.set_column(1, 2, 14)
    for col, h in enumerate(L.CHART_HEADINGS):
        ws.write_string(2, col, h, fmt["header"])
    ws.set_row(2, 30)
    rows = c.table[c.table["niveau"].isin([Level.FAMILLE, Level.NON_VENTILES])]
    for i, t in enumerate(rows.itertuples(index=False), start=3):
        name = t.libelle.removeprefix(L.FAMILY_TOTAL_PREFIX) if t.niveau == Level.FAMILLE else L.CHART_NV
        ws.write_string(i, 0, name, fmt["cell"])
        ws.write_number(i, 1, int(t.effectif), fmt["number"])
        ws.write_number(i, 2, float(t.pourcentage), fmt["percent"])
    last = 2 + len(rows)
    chart = wb.add_chart({"type": "pie"})
    chart.add_series({
        "name": L.CHART_SERIES, "categories": [sheet, 3, 0, last, 0], "values": [sheet, 3, 1, last, 1],
        "data_labels": {"percentage": True, "leader_lines": True, "position": "outside_end", "num_format": "0.0%"},
    })
    chart.set_title({"name": fr(L.CHART_PIE_TITLE, date=c.campaign.date_arrete)})
    chart.set_legend({"position": "right", "font": {"size": 9}})
    chart.set_size({"width": 900, "height": 480})
    ws.insert_chart(last + 2, 0, chart)
    evo = c.evolution
    if evo is not None:  # below the pie: a table of the families then its chart
        top = last + 28
        ws.write_string(top, 0, fr(L.CHART_EVOLUTION_TITLE, date=evo.previous_date), fmt["title"])
        ws.write_string(top + 1, 0, evolution_notes(c)[0], fmt["small"])
        now = fr(L.AU_DATE, date=c.campaign.date_arrete)
        before = fr(L.AU_DATE, date=evo.previous_date)
        for col, h in enumerate([L.CHART_HEADINGS[0], before, now]):
            ws.write_string(top + 2, col, h, fmt["header"])
        fam = (c.table["niveau"] == Level.FAMILLE).to_numpy()
        evo_rows = c.evolution_rows[fam]
        for i, (t, n, n1) in enumerate(zip(c.table[fam].itertuples(index=False), evo_rows["effectif"],
                                           evo_rows["effectif_n1"]), start=top + 3):
            ws.write_string(i, 0, t.libelle.removeprefix(L.FAMILY_TOTAL_PREFIX), fmt["cell"])
            if pd.isna(n1):
                ws.write_string(i, 1, L.NOT_COMPARABLE, fmt["number"])
            else:
                ws.write_number(i, 1, float(n1), fmt["number"])
            ws.write_number(i, 2, float(n), fmt["number"])
        end = top + 2 + int(fam.sum())
        bars = wb.add_chart({"type": "column"})
        for col, name in ((1, before), (2, now)):
            bars.add_series({"name": name, "categories": [sheet, top + 3, 0, end, 0],
                             "values": [sheet, top + 3, col, end, col], "data_labels": {"value": True}})
        bars.set_title({"name": L.CHART_BARS_TITLE})
        bars.set_legend({"position": "bottom"})
        bars.set_size({"width": 900, "height": 480})
        ws.insert_chart(end + 2, 0, bars)
    a4(ws, footer=c.campaign.libelle)
