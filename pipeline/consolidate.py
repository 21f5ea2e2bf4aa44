"""Stage 5 — consolidation: the branch table from the accepted returns, and its workbook.

Entry points: :func:`branch_table` (pure: accepted figures -> table, checked against the
``schemas.TABLEAU_BRANCHE`` invariants) and :func:`write_consolidation` (the observatory's
workbook: Synthèse laid out like table 1.4 of the cartography, Base de données like its
section 1.7, Par société, Graphique, Sources).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pandera.pandas as pa

from . import schemas
from .campaign import Campaign
from .errors import UserError
from .evolution import Evolution

if TYPE_CHECKING:
    from .secret import Protection
from .ingest import IngestResult
from .nomenclature import Nomenclature
from .templates import KEY_NV, group_total_label
from .xlsx import atomic_workbook, formats, header_footer_text, row_height

TABLE_COLUMNS = ["niveau", "code", "libelle", "code_famille", "groupe", "effectif", "pourcentage", "nb_societes"]


@dataclass(frozen=True)
class Consolidation:
    campaign: Campaign
    table: pd.DataFrame        # TABLE_COLUMNS, in the order of table 1.4
    emplois: pd.DataFrame      # code_metier, rang_emploi, intitule_emploi, effectif, pourcentage, nb_societes
    par_societe: pd.DataFrame  # index: table rows (niveau, code); columns: company ids
    retenues: pd.DataFrame     # identifiant, raison_sociale, fichier: the returns consolidated
    absentes: pd.DataFrame     # identifiant, raison_sociale, motif: expected companies not consolidated
    evolution: Evolution | None = None  # from the previous campaign, when there is one
    protection: Protection | None = None  # statistical confidentiality of the published edition


def _with_levels(effectifs: pd.DataFrame, nomenclature: Nomenclature) -> pd.DataFrame:
    met = nomenclature.metiers[["code_metier", "code_famille"]]
    fam = nomenclature.familles[["code_famille", "groupe"]]
    df = effectifs.merge(met, on="code_metier", how="left").merge(fam, on="code_famille", how="left")
    return df


def _per_company(df: pd.DataFrame, by: str) -> pd.DataFrame:
    """Headcount per (key, company)."""
    return df.groupby([by, "societe"])["effectif"].sum().unstack("societe", fill_value=0)


def branch_table(campaign: Campaign, effectifs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The branch table, the emplois detail and the per-company matrix from accepted figures.

    ``effectifs`` follows ``schemas.EFFECTIFS`` (non-ventilated staff under code "NV").
    """
    effectifs = schemas.EFFECTIFS.validate(effectifs)
    nom = campaign.nomenclature
    societes = sorted(effectifs["societe"].unique())
    df = _with_levels(effectifs, nom)
    ventile = df[df["code_metier"] != KEY_NV]
    zeros = pd.Series(0, index=societes, dtype=int)

    def company_row(matrix: pd.DataFrame, key: str) -> pd.Series:
        return matrix.loc[key].reindex(societes, fill_value=0) if key in matrix.index else zeros

    by_metier = _per_company(ventile, "code_metier")
    by_famille = _per_company(ventile, "code_famille")
    by_groupe = _per_company(ventile, "groupe")
    rows: list[tuple[dict, pd.Series]] = []
    for numero, groupe in nom.groupes:
        for fam in nom.familles_du_groupe(groupe).itertuples(index=False):
            for m in nom.metiers_de(fam.code_famille).itertuples(index=False):
                rows.append((dict(niveau="metier", code=m.code_metier, libelle=m.intitule_metier,
                                  code_famille=fam.code_famille, groupe=groupe),
                             company_row(by_metier, m.code_metier)))
            rows.append((dict(niveau="famille", code=fam.code_famille,
                              libelle=f"Sous-total {fam.code_famille} - {fam.intitule_famille}",
                              code_famille=fam.code_famille, groupe=groupe),
                         company_row(by_famille, fam.code_famille)))
        rows.append((dict(niveau="groupe", code=numero, libelle=group_total_label(groupe), code_famille="",
                          groupe=groupe), company_row(by_groupe, groupe)))
    ventiles = ventile.groupby("societe")["effectif"].sum().reindex(societes, fill_value=0)
    non_ventiles = df[df["code_metier"] == KEY_NV].groupby("societe")["effectif"].sum().reindex(societes, fill_value=0)
    rows.append((dict(niveau="ventiles", code="", libelle="Total des effectifs ventilés dans les fiches métiers",
                      code_famille="", groupe=""), ventiles))
    rows.append((dict(niveau="non_ventiles", code=KEY_NV,
                      libelle="Total effectifs non ventilés dans les fiches métiers", code_famille="", groupe=""),
                 non_ventiles))
    rows.append((dict(niveau="branche", code="",
                      libelle=f"Total effectifs branche au {campaign.date_arrete.strftime('%d/%m/%Y')}",
                      code_famille="", groupe=""), ventiles + non_ventiles))

    matrix = pd.DataFrame([values.astype(int).to_numpy() for _, values in rows], columns=societes, dtype=int)
    table = pd.DataFrame([meta for meta, _ in rows])
    table["effectif"] = matrix.sum(axis=1).astype(int)
    total = int(table.loc[table["niveau"] == "branche", "effectif"].iloc[0])
    table["pourcentage"] = table["effectif"] / total if total else 0.0
    table["nb_societes"] = (matrix > 0).sum(axis=1).astype(int)
    table = table[TABLE_COLUMNS]
    try:
        schemas.TABLEAU_BRANCHE.validate(table, lazy=True)
    except pa.errors.SchemaErrors as err:  # our arithmetic is wrong: never write such a table
        raise RuntimeError(f"branch table breaks its invariants:\n{err.failure_cases}") from err
    matrix.index = pd.MultiIndex.from_frame(table[["niveau", "code"]])

    lignes = nom.lignes.merge(nom.metiers[["code_metier"]], on="code_metier")
    emp = ventile.groupby(["code_metier", "rang_emploi", "societe"])["effectif"].sum().unstack("societe", fill_value=0)
    emplois = lignes[["code_metier", "rang_emploi", "intitule_emploi"]].copy()
    values = [emp.loc[(c, r)] if (c, r) in emp.index else pd.Series(dtype=int)
              for c, r in zip(emplois["code_metier"], emplois["rang_emploi"])]
    emplois["effectif"] = [int(v.sum()) for v in values]
    emplois["pourcentage"] = emplois["effectif"] / total if total else 0.0
    emplois["nb_societes"] = [int((v > 0).sum()) for v in values]
    return table, emplois.reset_index(drop=True), matrix


def consolidate(result: IngestResult) -> Consolidation:
    """The consolidation of the accepted returns of an ingestion."""
    campaign = result.campaign
    if result.declarations.empty:
        raise UserError(
            "Aucun retour accepté : rien à consolider.",
            ["consultez le rapport de contrôle (controle.xlsx) pour les corrections à demander"],
        )
    table, emplois, matrix = branch_table(campaign, result.effectifs[["societe", "cle", "code_metier",
                                                                      "rang_emploi", "effectif"]])
    names = dict(zip(campaign.societes["identifiant"], campaign.societes["raison_sociale"]))
    provenance = [c for c in ("soumission", "recu_le") if c in result.declarations.columns]
    retenues = result.declarations[["societe", "fichier", *provenance]].rename(columns={"societe": "identifiant"})
    retenues.insert(1, "raison_sociale", retenues["identifiant"].map(names))
    files_of = result.fichiers[result.fichiers["societe"] != ""].groupby("societe")["fichier"].agg(list)
    consolidated = set(retenues["identifiant"])
    absentes = []
    for soc in campaign.societes.itertuples(index=False):
        if soc.identifiant in consolidated:
            continue
        files = files_of.get(soc.identifiant, [])
        motif = "fichier rejeté : " + ", ".join(files) if files else "aucun fichier reçu"
        absentes.append(dict(identifiant=soc.identifiant, raison_sociale=soc.raison_sociale, motif=motif))
    return Consolidation(campaign, table, emplois, matrix, retenues.reset_index(drop=True),
                         pd.DataFrame(absentes, columns=["identifiant", "raison_sociale", "motif"]))


# ---------------------------------------------------------------------------------------------
# The workbook
# ---------------------------------------------------------------------------------------------

LEVEL_STYLE = {
    "metier": ("cell", "number", "percent"),
    "famille": ("total_label", "total", "total_percent"),
    "groupe": ("big_total_label", "big_total", "big_total_percent"),
    "ventiles": ("big_total_label", "big_total", "big_total_percent"),
    "non_ventiles": ("big_total_label", "big_total", "big_total_percent"),
    "branche": ("big_total_label", "big_total", "big_total_percent"),
}


def _label(row) -> str:
    return row.libelle if row.niveau in ("metier", "famille") else row.libelle.upper()


def _masked(c: Consolidation, public: bool) -> set:
    return c.protection.masked if public and c.protection is not None else set()


def _write_synthese(wb, fmt, c: Consolidation, public: bool = False) -> None:
    """The table 1.4 layout; ``public``: the published edition (masked cells as "s", no evolution, no names)."""
    campaign = c.campaign
    evo = None if public else c.evolution
    masked = _masked(c, public)
    secret_col = None if public or c.protection is None else (5 if evo is None else 9)
    ws = wb.add_worksheet("Synthèse")
    last_col = max(4 if evo is None else 8, secret_col or 0)
    ws.set_column(0, 0, 10)
    ws.set_column(1, 1, 62)
    ws.set_column(2, 7, 14)
    ws.set_column(8, 8, 44)
    date = campaign.date_arrete.strftime("%d/%m/%Y")
    ws.write_string(0, 0, f"Effectifs de la branche par métier au {date}", fmt["title"])
    ws.write_string(1, 0, campaign.libelle, fmt["subtitle"])
    n_exp, n_ret = len(campaign.societes), len(c.retenues)
    ws.write_string(2, 0, f"Sociétés consolidées : {n_ret} sur {n_exp} attendues.",
                    fmt["ok"] if n_ret == n_exp else fmt["alert"])
    row = 3
    for a in ([] if public else c.absentes.itertuples(index=False)):
        ws.write_string(row, 0, f"Non consolidée : {a.raison_sociale} ({a.motif}).", fmt["alert"])
        row += 1
    notes = ["Pourcentages : part de l'effectif total de la branche, non ventilés compris. "
             "Nombre de sociétés : sociétés déclarant au moins une personne."]
    if public:
        notes.append("« s » : donnée couverte par le secret statistique (voir la feuille « Note »).")
    if evo is not None:
        notes.append(f"Évolution par rapport à la campagne {evo.previous_id} (effectifs au {evo.previous_date}), "
                     "à travers la table de correspondance de la nomenclature.")
        if evo.only_previous:
            notes.append(f"Sociétés présentes en {evo.previous_id} seulement : {', '.join(evo.only_previous)}.")
        if evo.only_current:
            notes.append(f"Sociétés présentes dans cette campagne seulement : {', '.join(evo.only_current)}.")
    for note in notes:
        ws.write_string(row, 0, note, fmt["small"])
        row += 1
    row += 1
    headers = ["Code", "Intitulé du métier", "Effectif branche", "% effectif branche", "Nombre de sociétés"]
    if evo is not None:
        headers += [f"Effectif au {evo.previous_date}", "Évolution", "Évolution %", "Remarque"]
    if secret_col is not None:
        headers += ["Édition publiée"]
        ws.set_column(secret_col, secret_col, 36)
    for col, h in enumerate(headers):
        ws.write_string(row, col, h, fmt["header"])
    ws.set_row(row, 30)
    header_row = row
    row += 1
    nom = campaign.nomenclature
    current_group, current_family = None, None
    for i, t in enumerate(c.table.itertuples(index=False)):
        if t.groupe and t.groupe != current_group:
            current_group = t.groupe
            numero = dict((g, n) for n, g in nom.groupes)[t.groupe]
            ws.merge_range(row, 0, row, last_col, f"{numero} - LES {t.groupe.upper()}", fmt["group"])
            row += 1
        if t.niveau == "metier" and t.code_famille != current_family:
            current_family = t.code_famille
            title = nom.familles.set_index("code_famille").loc[t.code_famille, "intitule_famille"]
            ws.merge_range(row, 0, row, last_col, f"{t.code_famille} - {title.upper()}", fmt["family"])
            row += 1
        label_style, number_style, percent_style = (fmt[k] for k in LEVEL_STYLE[t.niveau])
        if t.niveau == "metier":
            ws.write_string(row, 0, t.code, fmt["code"])
            ws.write_string(row, 1, t.libelle, label_style)
        else:
            ws.merge_range(row, 0, row, 1, _label(t), label_style)
        if (t.niveau, t.code) in masked:
            ws.write_string(row, 2, "s", number_style)
            ws.write_string(row, 3, "s", percent_style)
        else:
            ws.write_number(row, 2, int(t.effectif), number_style)
            ws.write_number(row, 3, float(t.pourcentage), percent_style)
        ws.write_number(row, 4, int(t.nb_societes), number_style)
        if secret_col is not None:
            reason = c.protection.reason(t.niveau, t.code)
            ws.write_string(row, secret_col, f"masqué : secret {reason}" if reason else "", fmt["cell"])
        if evo is not None:
            e = evo.rows.iloc[i]
            for col, value, style in ((5, e.effectif_n1, number_style), (6, e.variation, number_style),
                                      (7, e.variation_pct, percent_style)):
                if pd.isna(value):
                    ws.write_string(row, col, "—", number_style)
                else:
                    ws.write_number(row, col, float(value), style)
            ws.write_string(row, 8, e.note, label_style if t.niveau != "metier" else fmt["cell"])
        row += 1
    if evo is not None and not evo.groups.empty:
        row += 1
        ws.write_string(row, 0, "Métiers créés, supprimés, scindés ou fusionnés : comparaison par regroupement",
                        fmt["label"])
        row += 1
        for col, h in enumerate(["Nature", "Regroupement (codes actuels ← codes précédents)", "Effectif branche",
                                 "", "", f"Effectif au {evo.previous_date}", "Évolution", "Évolution %"]):
            ws.write_string(row, col, h, fmt["header"])
        ws.set_row(row, 30)
        for g in evo.groups.itertuples(index=False):
            row += 1
            ws.write_string(row, 0, g.nature, fmt["cell"])
            ws.write_string(row, 1, g.libelle, fmt["cell"])
            ws.write_number(row, 2, int(g.effectif), fmt["number"])
            ws.write_number(row, 5, int(g.effectif_n1), fmt["number"])
            ws.write_number(row, 6, int(g.variation), fmt["number"])
            if pd.isna(g.variation_pct):
                ws.write_string(row, 7, "—", fmt["number"])
            else:
                ws.write_number(row, 7, float(g.variation_pct), fmt["percent"])
    ws.freeze_panes(header_row + 1, 0)
    ws.repeat_rows(header_row)
    ws.set_paper(9)
    if evo is not None:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_footer(f"&L&8{header_footer_text(campaign.libelle)}&R&8Page &P / &N")
    ws.activate()


def _write_base(wb, fmt, c: Consolidation, public: bool = False) -> None:
    """Section 1.7 of the cartography: per métier its emplois rattachés with sub-totals, and totals."""
    nom = c.campaign.nomenclature
    masked = _masked(c, public)

    def put(r: int, col: int, value, style, cell) -> None:
        if cell in masked:
            ws.write_string(r, col, "s", style)
        elif isinstance(value, float):
            ws.write_number(r, col, value, style)
        else:
            ws.write_number(r, col, int(value), style)

    ws = wb.add_worksheet("Base de données")
    widths = [8, 30, 50, 34, 50, 11, 11, 11, 11, 11, 11]
    for i, w in enumerate(widths):
        ws.set_column(i, i, w)
    ws.write_string(0, 0, "Base de données des métiers de la branche", fmt["title"])
    ws.write_string(1, 0, c.campaign.libelle, fmt["subtitle"])
    top = ["Code métier", "Intitulé du métier", "Activités principales", "Emplois rattachés", "Autres intitulés",
           "Effectif branche", None, "% effectif branche", None, "Nombre de sociétés", None]
    for col, h in enumerate(top):
        if h is not None and col >= 5:
            ws.merge_range(3, col, 3, col + 1, h, fmt["header"])
        elif h is not None:
            ws.merge_range(3, col, 4, col, h, fmt["header"])
    for col, h in zip(range(5, 11), ["sous-total", "total"] * 3):
        ws.write_string(4, col, h, fmt["header"])
    row = 5
    table = c.table.set_index(["niveau", "code"])
    for numero, groupe in nom.groupes:
        ws.merge_range(row, 0, row, 10, f"{numero} - LES {groupe.upper()}", fmt["group"])
        row += 1
        for fam in nom.familles_du_groupe(groupe).itertuples(index=False):
            ws.merge_range(row, 0, row, 10, f"{fam.code_famille} - {fam.intitule_famille.upper()}", fmt["family"])
            row += 1
            for m in nom.metiers_de(fam.code_famille).itertuples(index=False):
                emplois = c.emplois[c.emplois["code_metier"] == m.code_metier]
                n = len(emplois)
                total = table.loc[("metier", m.code_metier)]
                metier = ("metier", m.code_metier)
                hide = metier in masked
                merged = [(0, m.code_metier, fmt["code"]), (1, m.intitule_metier, fmt["cell"]),
                          (2, m.mission, fmt["cell"]), (4, ", ".join(m.autres), fmt["cell"]),
                          (6, "s" if hide else int(total["effectif"]), fmt["number"]),
                          (8, "s" if hide else float(total["pourcentage"]), fmt["percent"]),
                          (10, int(total["nb_societes"]), fmt["number"])]
                for col, value, style in merged:
                    if n > 1:
                        ws.merge_range(row, col, row + n - 1, col, value, style)
                    elif isinstance(value, str):
                        ws.write_string(row, col, value, style)
                    else:
                        ws.write_number(row, col, value, style)
                keys = list(nom.lignes_du_metier(m.code_metier)["cle"])
                for i, e in enumerate(emplois.itertuples(index=False)):
                    cell = ("emploi", keys[i]) if n > 1 else metier  # a single emploi is the métier itself
                    ws.write_string(row + i, 3, e.intitule_emploi, fmt["cell"])
                    put(row + i, 5, int(e.effectif), fmt["number"], cell)
                    put(row + i, 7, float(e.pourcentage), fmt["percent"], cell)
                    ws.write_number(row + i, 9, int(e.nb_societes), fmt["number"])
                height = row_height([(m.intitule_metier, widths[1]), (m.mission, widths[2]),
                                     (", ".join(m.autres), widths[4])])
                per_row = max(height / n, row_height([(e, widths[3]) for e in emplois["intitule_emploi"]]))
                for i in range(n):
                    ws.set_row(row + i, per_row)
                row += n
            sub = table.loc[("famille", fam.code_famille)]
            ws.merge_range(row, 0, row, 5, f"Sous-total {fam.code_famille} - {fam.intitule_famille}",
                           fmt["total_label"])
            put(row, 6, int(sub["effectif"]), fmt["total"], ("famille", fam.code_famille))
            ws.write_blank(row, 7, None, fmt["total"])
            put(row, 8, float(sub["pourcentage"]), fmt["total_percent"], ("famille", fam.code_famille))
            ws.write_blank(row, 9, None, fmt["total"])
            ws.write_number(row, 10, int(sub["nb_societes"]), fmt["total"])
            row += 1
    ws.freeze_panes(5, 2)
    ws.repeat_rows(3, 4)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


def _write_par_societe(wb, fmt, c: Consolidation) -> None:
    names = dict(zip(c.campaign.societes["identifiant"], c.campaign.societes["raison_sociale"]))
    ws = wb.add_worksheet("Par société")
    ws.set_tab_color("#C00000")
    ws.write_string(0, 0, "CONFIDENTIEL — effectifs par société : document interne à l'Observatoire, "
                          "à ne pas diffuser", fmt["alert"])
    ws.write_string(1, 0, c.campaign.libelle, fmt["subtitle"])
    companies = list(c.par_societe.columns)
    ws.set_column(0, 0, 8)
    ws.set_column(1, 1, 50)
    ws.set_column(2, 2 + len(companies), 13)
    header = 3
    for col, h in enumerate(["Code", "Intitulé"] + [names.get(s, s) for s in companies] + ["Branche"]):
        ws.write_string(header, col, h, fmt["header"])
    ws.set_row(header, 30)
    for i, t in enumerate(c.table.itertuples(index=False), start=header + 1):
        label_style, number_style, _ = (fmt[k] for k in LEVEL_STYLE[t.niveau])
        ws.write_string(i, 0, t.code, fmt["code"] if t.niveau == "metier" else label_style)
        ws.write_string(i, 1, _label(t), label_style)
        values = c.par_societe.iloc[i - header - 1]
        for j, s in enumerate(companies, start=2):
            ws.write_number(i, j, int(values[s]), number_style)
        ws.write_number(i, 2 + len(companies), int(t.effectif), number_style)
    ws.freeze_panes(header + 1, 2)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_header("&C&\"Calibri,Bold\"CONFIDENTIEL")


def _write_chart(wb, fmt, c: Consolidation) -> None:
    """Distribution of the branch headcount by family, as in section 1.3 of the cartography."""
    ws = wb.add_worksheet("Graphique")
    ws.write_string(0, 0, "Répartition des effectifs par famille de métiers", fmt["title"])
    ws.set_column(0, 0, 52)
    ws.set_column(1, 2, 14)
    for col, h in enumerate(["Famille de métiers", "Effectif", "% effectif branche"]):
        ws.write_string(2, col, h, fmt["header"])
    ws.set_row(2, 30)
    rows = c.table[c.table["niveau"].isin(["famille", "non_ventiles"])]
    for i, t in enumerate(rows.itertuples(index=False), start=3):
        label = t.libelle.replace("Sous-total ", "") if t.niveau == "famille" else \
            "Métiers ou emplois sans fiche métier (non ventilés)"
        ws.write_string(i, 0, label, fmt["cell"])
        ws.write_number(i, 1, int(t.effectif), fmt["number"])
        ws.write_number(i, 2, float(t.pourcentage), fmt["percent"])
    last = 2 + len(rows)
    chart = wb.add_chart({"type": "pie"})
    chart.add_series({
        "name": "Effectifs par famille",
        "categories": ["Graphique", 3, 0, last, 0],
        "values": ["Graphique", 3, 1, last, 1],
        "data_labels": {"percentage": True, "leader_lines": True, "position": "outside_end", "num_format": "0.0%"},
    })
    chart.set_title({"name": f"Répartition des effectifs par famille au "
                             f"{c.campaign.date_arrete.strftime('%d/%m/%Y')}"})
    chart.set_legend({"position": "right", "font": {"size": 9}})
    chart.set_size({"width": 900, "height": 480})
    ws.insert_chart(last + 2, 0, chart)
    evo = c.evolution
    if evo is not None:  # below the pie: a table of the families then its chart
        top = last + 28
        ws.write_string(top, 0, f"Évolution par famille depuis le {evo.previous_date}", fmt["title"])
        for col, h in enumerate(["Famille de métiers", f"Au {evo.previous_date}",
                                 f"Au {c.campaign.date_arrete.strftime('%d/%m/%Y')}"]):
            ws.write_string(top + 2, col, h, fmt["header"])
        fam = c.table["niveau"] == "famille"
        for i, (t, n1) in enumerate(zip(c.table[fam].itertuples(index=False),
                                        evo.rows.loc[fam, "effectif_n1"]), start=top + 3):
            ws.write_string(i, 0, t.libelle.replace("Sous-total ", ""), fmt["cell"])
            if pd.isna(n1):
                ws.write_string(i, 1, "non comparable", fmt["number"])
            else:
                ws.write_number(i, 1, float(n1), fmt["number"])
            ws.write_number(i, 2, int(t.effectif), fmt["number"])
        end = top + 2 + int(fam.sum())
        bars = wb.add_chart({"type": "column"})
        for col, name in ((1, f"Au {evo.previous_date}"), (2, f"Au {c.campaign.date_arrete.strftime('%d/%m/%Y')}")):
            bars.add_series({"name": name, "categories": ["Graphique", top + 3, 0, end, 0],
                             "values": ["Graphique", top + 3, col, end, col], "data_labels": {"value": True}})
        bars.set_title({"name": "Évolution des effectifs par famille"})
        bars.set_legend({"position": "bottom"})
        bars.set_size({"width": 900, "height": 480})
        ws.insert_chart(end + 2, 0, bars)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


def _write_sources(wb, fmt, c: Consolidation) -> None:
    ws = wb.add_worksheet("Sources")
    ws.write_string(0, 0, "Fichiers consolidés", fmt["title"])
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 32)
    ws.set_column(2, 2, 60)
    ws.set_column(3, 4, 20)
    headers = {"identifiant": "Identifiant", "raison_sociale": "Raison sociale", "fichier": "Fichier",
               "soumission": "Soumission n°", "recu_le": "Reçu le"}
    columns = [h for h in headers if h in c.retenues.columns]
    for col, h in enumerate(columns):
        ws.write_string(2, col, headers[h], fmt["header"])
    for i, r in enumerate(c.retenues[columns].itertuples(index=False), start=3):
        for col, v in enumerate(r):
            ws.write_string(i, col, str(v).replace("T", " ") if columns[col] == "recu_le" else str(v), fmt["cell"])
    row = 4 + len(c.retenues)
    ws.write_string(row, 0, "Sociétés non consolidées", fmt["label"])
    for i, a in enumerate(c.absentes.itertuples(index=False), start=row + 1):
        for col, v in enumerate([a.identifiant, a.raison_sociale, a.motif]):
            ws.write_string(i, col, str(v), fmt["cell"])
    if c.absentes.empty:
        ws.write_string(row + 1, 0, "aucune", fmt["text"])


def secret_note(c: Consolidation) -> list[str]:
    """The French note explaining the statistical confidentiality of the published edition."""
    rules = c.protection.rules
    return [
        "Secret statistique",
        "Les effectifs publiés ne doivent pas permettre de connaître ceux d'une société. Comme l'INSEE pour les "
        "données d'entreprises, l'Observatoire masque (« s ») :",
        f"• les cellules auxquelles moins de {rules.frequence_min} sociétés contribuent (règle de fréquence) ;",
        f"• les cellules dont une seule société représente plus de {rules.dominance:.0%} de l'effectif "
        "(règle de dominance) ;".replace("%", " %"),
        "• et, par secret secondaire, d'autres cellules choisies pour qu'aucune valeur masquée ne puisse être "
        "retrouvée par différence à partir des sous-totaux et des totaux publiés (métier, famille, groupe, "
        "branche, et emplois rattachés à un métier).",
        "Les pourcentages des cellules masquées sont masqués avec elles. Le nombre de sociétés reste publié.",
        "Le tableau complet est réservé à l'Observatoire des Métiers de l'Assistance.",
    ]


def _write_secret(wb, fmt, c: Consolidation) -> None:
    """Internal: which cells the published edition masks, why, and what a reader could still infer."""
    from .secret import published_ranges

    p = c.protection
    ws = wb.add_worksheet("Secret")
    ws.set_column(0, 0, 14)
    ws.set_column(1, 1, 10)
    ws.set_column(2, 2, 52)
    ws.set_column(3, 6, 16)
    ws.write_string(0, 0, "Cellules masquées dans l'édition publiée (diffusion.xlsx)", fmt["title"])
    for i, line in enumerate(secret_note(c)[1:], start=1):
        ws.write_string(i, 0, line, fmt["small"])
    row = len(secret_note(c)) + 1
    for col, h in enumerate(["Niveau", "Code", "Intitulé", "Effectif", "Sociétés", "Motif", "Déductible entre"]):
        ws.write_string(row, col, h, fmt["header"])
    labels = dict(zip(zip(c.table["niveau"], c.table["code"]), c.table["libelle"]))
    labels.update({("emploi", e.cle): e.intitule_emploi for e in
                   c.campaign.nomenclature.lignes.itertuples(index=False)})
    ranges = published_ranges(p) if p.masked else {}
    for r in p.cells[p.cells["motif"] != ""].itertuples(index=False):
        row += 1
        lo, hi = ranges[(r.niveau, r.code)]
        values = [r.niveau, r.code, labels.get((r.niveau, r.code), ""), r.effectif, r.nb_societes,
                  r.motif, f"{lo:g} et {'∞' if hi == float('inf') else f'{hi:g}'}"]
        for col, v in enumerate(values):
            if isinstance(v, (int, np.integer)):
                ws.write_number(row, col, int(v), fmt["number"])
            else:
                ws.write_string(row, col, str(v), fmt["cell"])
    if p.coherence is not None:
        row += 2
        ws.write_string(row, 0, "Cohérence avec la campagne précédente", fmt["label"])
        row += 1
        for col, h in enumerate(["Niveau", "Code", "Intitulé", "Avant", "Maintenant", "Remarque"]):
            ws.write_string(row, col, h, fmt["header"])
        if p.coherence.empty:
            ws.write_string(row + 1, 0, "aucune cellule publiée une année et masquée l'autre", fmt["text"])
        for r in p.coherence.itertuples(index=False):
            row += 1
            for col, v in enumerate([r.niveau, r.code, r.libelle, r.avant, r.maintenant, r.note]):
                ws.write_string(row, col, str(v), fmt["cell"])


def write_consolidation(c: Consolidation, path: str | Path) -> Path:
    """Write consolidation.xlsx for the observatory (complete; marks what the published edition masks)."""
    with atomic_workbook(path, title=f"Consolidation — {c.campaign.libelle}",
                         author="Observatoire des Métiers de l'Assistance") as wb:
        fmt = formats(wb)
        _write_synthese(wb, fmt, c)
        _write_base(wb, fmt, c)
        _write_chart(wb, fmt, c)
        _write_par_societe(wb, fmt, c)
        _write_sources(wb, fmt, c)
        if c.protection is not None:
            _write_secret(wb, fmt, c)
    return Path(path)


def write_diffusion(c: Consolidation, path: str | Path) -> Path:
    """Write diffusion.xlsx: the published edition, with the cells under statistical confidentiality masked."""
    if c.protection is None:
        raise ValueError("the published edition needs the protection of the table")
    public = replace(c, evolution=None)
    masked = c.protection.masked
    with atomic_workbook(path, title=f"Effectifs de la branche — {c.campaign.libelle}",
                         author="Observatoire des Métiers de l'Assistance") as wb:
        fmt = formats(wb)
        _write_synthese(wb, fmt, public, public=True)
        _write_base(wb, fmt, public, public=True)
        if not any(n in ("famille", "non_ventiles") for n, _ in masked):
            _write_chart(wb, fmt, public)
        ws = wb.add_worksheet("Note")
        ws.set_column(0, 0, 120)
        for i, line in enumerate(secret_note(c)):
            ws.write_string(i, 0, line, fmt["title"] if i == 0 else fmt["wrap"])
            ws.set_row(i, row_height([(line, 120)]) if i else 22)
    return Path(path)
