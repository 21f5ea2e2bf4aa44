"""An auditor of the published edition that shares no code with ``pipeline.compute.secret``.

It rebuilds every published sum from the nomenclature and, for each masked cell, computes with its own
linear programmes the range a reader can infer from the published figures (each headcount at least the
published number of companies). A masked cell whose range is a single value is disclosed.
"""

from __future__ import annotations

import math

import numpy as np
import openpyxl
from scipy.optimize import linprog


def audit_relations(nomenclature):
    """Every published sum, rebuilt from the nomenclature: (total, [parts])."""
    rel = []
    lignes = nomenclature.lignes
    for code, keys in lignes.groupby("code_metier")["cle"]:
        if len(keys) > 1:
            rel.append((f"metier:{code}", [f"emploi:{k}" for k in keys]))
    groups = {}
    for fam in nomenclature.familles.itertuples(index=False):
        codes = nomenclature.metiers.loc[nomenclature.metiers["code_famille"] == fam.code_famille, "code_metier"]
        rel.append((f"famille:{fam.code_famille}", [f"metier:{c}" for c in codes]))
        groups.setdefault(fam.numero_groupe, []).append(f"famille:{fam.code_famille}")
    for numero, fams in groups.items():
        rel.append((f"groupe:{numero}", fams))
    rel.append(("ventiles:", [f"groupe:{n}" for n in groups]))
    rel.append(("branche:", ["ventiles:", "non_ventiles:NV"]))
    return rel


def audit(published: dict, lower: dict, relations) -> dict:
    """For each masked cell (value None), the [min, max] a reader can infer from the published figures."""
    hidden = sorted(k for k, v in published.items() if v is None)
    pos = {k: i for i, k in enumerate(hidden)}
    rows, rhs = [], []
    for total, parts in relations:
        row, b = np.zeros(len(hidden)), 0.0
        for cell, coef in [(total, 1)] + [(p, -1) for p in parts]:
            if cell in pos:
                row[pos[cell]] += coef
            else:
                b -= coef * published[cell]
        if row.any():
            rows.append(row)
            rhs.append(b)
    out = {}
    for cell in hidden:
        bounds = [(lower.get(k, 0), None) for k in hidden]
        c = np.zeros(len(hidden))
        c[pos[cell]] = 1
        lo = linprog(c, A_eq=rows or None, b_eq=rhs or None, bounds=bounds, method="highs")
        hi = linprog(-c, A_eq=rows or None, b_eq=rhs or None, bounds=bounds, method="highs")
        out[cell] = (lo.fun, math.inf if hi.status == 3 else -hi.fun)
    return out


def assert_nothing_derivable(published, lower, nomenclature):
    """No masked cell can be recovered, and no published sum has exactly one masked cell."""
    relations = audit_relations(nomenclature)
    for cell, (lo, hi) in audit(published, lower, relations).items():
        assert hi - lo >= 1, f"{cell} can be derived: between {lo} and {hi}"
    for total, parts in relations:
        assert sum(published[c] is None for c in [total, *parts]) != 1, (total, parts)


def published_from(protection):
    """What the published edition shows, from a protection: value (None when masked), companies."""
    cells = protection.cells
    published = {f"{r.niveau}:{r.code}": (None if r.motif else r.effectif) for r in cells.itertuples(index=False)}
    lower = {f"{r.niveau}:{r.code}": r.nb_societes for r in cells.itertuples(index=False)}
    return published, lower


def read_diffusion(path, nomenclature, date="01/07/2007"):
    """Published cells and their number of companies, read back from diffusion.xlsx as a reader would
    (or from the internal consolidation.xlsx, whose Synthèse and Base de données have the same layout)."""
    wb = openpyxl.load_workbook(path)
    published, companies = {}, {}
    fam_titles = {f"Sous-total {f.code_famille} - {f.intitule_famille}": f.code_famille
                  for f in nomenclature.familles.itertuples(index=False)}
    labels = {"TOTAL EFFECTIFS MÉTIERS SPÉCIFIQUES À L'ASSISTANCE RATTACHÉS À UNE FICHE MÉTIER": "groupe:I",
              "TOTAL EFFECTIFS MÉTIERS SUPPORTS RATTACHÉS À UNE FICHE MÉTIER": "groupe:II",
              "TOTAL DES EFFECTIFS VENTILÉS DANS LES FICHES MÉTIERS": "ventiles:",
              "TOTAL EFFECTIFS NON VENTILÉS DANS LES FICHES MÉTIERS": "non_ventiles:NV",
              f"TOTAL EFFECTIFS BRANCHE AU {date}": "branche:"}
    for a, b, value, _pct, nb in wb["Synthèse"].iter_rows(min_col=1, max_col=5, values_only=True):
        key = None
        if isinstance(a, str) and a.isdigit() and len(a) == 4:
            key = f"metier:{a}"
        elif a in fam_titles:
            key = f"famille:{fam_titles[a]}"
        elif a in labels:
            key = labels[a]
        if key and (value == "s" or isinstance(value, int)):
            published[key] = None if value == "s" else value
            companies[key] = nb
    rows = list(wb["Base de données"].iter_rows(values_only=True))
    for i, r in enumerate(rows):
        if r[0] == "0101":
            published["emploi:0101-1"] = None if rows[i][5] == "s" else rows[i][5]
            published["emploi:0101-2"] = None if rows[i + 1][5] == "s" else rows[i + 1][5]
            companies["emploi:0101-1"], companies["emploi:0101-2"] = rows[i][9], rows[i + 1][9]
    return published, companies
