"""Accepted figures built by hand, as the consolidation receives them (``core.models.Chiffres``)."""

from __future__ import annotations

import pandas as pd

from pipeline.compute.branch import branch_table
from pipeline.compute.secret import protect
from pipeline.core.form import KEY_NV, KEY_TOTAL


def effectifs_frame(campaign, per_company: dict[str, dict[str, int]]) -> pd.DataFrame:
    """``{company: {row key: headcount}}`` (keys of the input rows, "NV"; "TOTAL" ignored) as figures."""
    rows = [dict(campagne=campaign.identifiant, societe=s, cle=k, mesure="effectif", categorie="tout",
                 valeur=float(v))
            for s, values in per_company.items() for k, v in values.items() if k != KEY_TOTAL]
    return pd.DataFrame(rows, columns=["campagne", "societe", "cle", "mesure", "categorie", "valeur"])


def protect_figures(campaign, per_company, rules=None):
    """The protection of the branch table of these figures."""
    return protect(branch_table(campaign.nomenclature, effectifs_frame(campaign, per_company)),
                   campaign.nomenclature, rules)


def independent_cells(campaign, fills) -> pd.DataFrame:
    """Per cell of the published tables that has someone (niveau, code): headcount, number of
    contributing companies (``nb``), largest company's share — plain Python from the fills, sharing
    nothing with ``pipeline.compute.branch`` or ``pipeline.compute.secret``."""
    lines = campaign.nomenclature.lignes.set_index("cle")
    metiers = campaign.nomenclature.metiers.set_index("code_metier")
    familles = campaign.nomenclature.familles.set_index("code_famille")
    per_cell: dict[tuple[str, str], dict[str, int]] = {}

    def add(cell, company, n):
        per_cell.setdefault(cell, {}).setdefault(company, 0)
        per_cell[cell][company] += n

    for company, values in fills.items():
        for key, n in values.items():
            cells = [("branche", "")]
            if key == KEY_NV:
                cells.append(("non_ventiles", "NV"))
            else:
                code = lines.loc[key, "code_metier"]
                fam = metiers.loc[code, "code_famille"]
                cells += [("metier", code), ("famille", fam), ("groupe", familles.loc[fam, "numero_groupe"]),
                          ("ventiles", "")]
                if key != code:
                    cells.append(("emploi", key))
            for cell in cells:
                add(cell, company, n)
    rows = []
    for (niveau, code), by in per_cell.items():
        total = sum(by.values())
        rows.append(dict(niveau=niveau, code=code, effectif=total, nb=sum(1 for v in by.values() if v > 0),
                         part=max(by.values()) / total if total else 0.0))
    return pd.DataFrame(rows)
