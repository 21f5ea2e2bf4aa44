"""Stage 5c — statistical confidentiality of the published branch table ("secret statistique").

Entry point: :func:`protect`. The published edition must not let anyone infer one company's
headcount. Primary rules, as INSEE applies them to company data: a cell is confidential when fewer
than ``frequence_min`` companies contribute to it (frequency rule) or when one company makes more
than ``dominance`` of it (dominance rule). Secondary suppression then masks further cells so that
no masked value can be recovered from the published figures through the table's linear relations
(métier = Σ emplois rattachés, family = Σ métiers, group = Σ families, ventilated = Σ groups,
branch = ventilated + not ventilated): first every relation gets zero or at least two masked cells
(smallest cells first, details before totals), then a linear-programming audit computes the range
of every masked cell given the published figures (headcounts ≥ the published number of companies)
and masks more until no range is a single value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from .nomenclature import Nomenclature

FREQUENCY = "primaire (fréquence)"
DOMINANCE = "primaire (dominance)"
SECONDARY = "secondaire"


@dataclass(frozen=True)
class SecretRules:
    frequence_min: int = 3
    dominance: float = 0.85


Cell = tuple[str, str]  # (niveau, code): ("metier", "0102"), ("emploi", "0101-1"), ("branche", "")


@dataclass(frozen=True)
class Protection:
    rules: SecretRules
    cells: pd.DataFrame            # niveau, code, effectif, nb_societes, part_max, motif ("" when published)
    relations: list[tuple[Cell, tuple[Cell, ...]]]
    coherence: pd.DataFrame | None = None  # with a previous campaign: cells published in one, masked in the other

    @property
    def masked(self) -> set[Cell]:
        m = self.cells[self.cells["motif"] != ""]
        return set(zip(m["niveau"], m["code"]))

    def reason(self, niveau: str, code: str) -> str:
        row = self.cells[(self.cells["niveau"] == niveau) & (self.cells["code"] == code)]
        return str(row["motif"].iloc[0]) if len(row) else ""


def relations_of(nomenclature: Nomenclature) -> list[tuple[Cell, tuple[Cell, ...]]]:
    """parent = Σ children, for every total of the published tables."""
    rel: list[tuple[Cell, tuple[Cell, ...]]] = []
    for code in nomenclature.metiers["code_metier"]:
        lines = nomenclature.lignes_du_metier(code)
        if len(lines) > 1:
            rel.append((("metier", code), tuple(("emploi", k) for k in lines["cle"])))
    groups = []
    for numero, groupe in nomenclature.groupes:
        families = list(nomenclature.familles_du_groupe(groupe)["code_famille"])
        for f in families:
            rel.append((("famille", f), tuple(("metier", c) for c in nomenclature.metiers_de(f)["code_metier"])))
        rel.append((("groupe", numero), tuple(("famille", f) for f in families)))
        groups.append(("groupe", numero))
    rel.append((("ventiles", ""), tuple(groups)))
    rel.append((("branche", ""), (("ventiles", ""), ("non_ventiles", "NV"))))
    return rel


def cell_contributions(table: pd.DataFrame, par_societe: pd.DataFrame, effectifs: pd.DataFrame,
                       nomenclature: Nomenclature) -> pd.DataFrame:
    """Per published cell: headcount, number of contributing companies and the largest company's share."""
    rows = []
    for (niveau, code), values in zip(table[["niveau", "code"]].itertuples(index=False, name=None),
                                      par_societe.to_numpy()):
        rows.append((niveau, code, values))
    split = set(nomenclature.lignes.loc[nomenclature.lignes["rang_emploi"] > 0, "cle"])
    emplois = effectifs[effectifs["cle"].isin(split)].groupby(["cle", "societe"])["effectif"].sum().unstack(fill_value=0)
    for key in sorted(split):
        rows.append(("emploi", key, emplois.loc[key].to_numpy() if key in emplois.index else np.zeros(1)))
    out = []
    for niveau, code, values in rows:
        values = np.asarray(values, dtype=float)
        total = float(values.sum())
        out.append(dict(niveau=niveau, code=code, effectif=int(total), nb_societes=int((values > 0).sum()),
                        part_max=float(values.max() / total) if total else 0.0))
    return pd.DataFrame(out)


def _ranges(cells: pd.DataFrame, masked: set[Cell], relations) -> dict[Cell, tuple[float, float]]:
    """Range of every masked cell consistent with the published cells and the relations."""
    order = sorted(masked)
    index = {c: i for i, c in enumerate(order)}
    value = {(r.niveau, r.code): r.effectif for r in cells.itertuples(index=False)}
    nb = {(r.niveau, r.code): r.nb_societes for r in cells.itertuples(index=False)}
    a_eq, b_eq = [], []
    for parent, children in relations:
        coeffs = np.zeros(len(order))
        rhs = 0.0
        for cell, sign in [(parent, 1.0)] + [(c, -1.0) for c in children]:
            if cell in index:
                coeffs[index[cell]] += sign
            else:
                rhs -= sign * value.get(cell, 0)
        if coeffs.any():
            a_eq.append(coeffs)
            b_eq.append(rhs)
    bounds = [(nb.get(c, 0), None) for c in order]
    out = {}
    for c, i in index.items():
        objective = np.zeros(len(order))
        found = []
        for sign in (1.0, -1.0):
            objective[i] = sign
            res = linprog(objective, A_eq=np.array(a_eq) if a_eq else None, b_eq=b_eq or None, bounds=bounds,
                          method="highs")
            found.append(sign * res.fun if res.status == 0 else (math.inf if sign < 0 else -math.inf))
        out[c] = (found[0], found[1])
    return out


def disclosed(ranges: dict[Cell, tuple[float, float]]) -> list[Cell]:
    """Masked cells whose range holds a single whole number."""
    return [c for c, (lo, hi) in ranges.items()
            if math.isfinite(hi) and math.floor(hi + 1e-9) <= math.ceil(lo - 1e-9)]


def protect(table: pd.DataFrame, par_societe: pd.DataFrame, effectifs: pd.DataFrame, nomenclature: Nomenclature,
            rules: SecretRules | None = None) -> Protection:
    rules = rules or SecretRules()
    cells = cell_contributions(table, par_societe, effectifs, nomenclature)
    relations = relations_of(nomenclature)
    reason: dict[Cell, str] = {}
    for r in cells.itertuples(index=False):
        if r.effectif == 0:
            continue  # nobody to protect
        if r.nb_societes < rules.frequence_min:
            reason[(r.niveau, r.code)] = FREQUENCY
        elif r.part_max > rules.dominance:
            reason[(r.niveau, r.code)] = DOMINANCE
    value = {(r.niveau, r.code): r.effectif for r in cells.itertuples(index=False)}

    def mask_partner(parent: Cell, children: tuple[Cell, ...]) -> bool:
        """Mask the smallest published non-zero cell of the relation, details before the total."""
        for pool in (children, (parent,)):
            candidates = [c for c in pool if c not in reason and value.get(c, 0) > 0]
            if candidates:
                reason[min(candidates, key=lambda c: (value[c], c))] = SECONDARY
                return True
        return False

    for _ in range(10 * len(cells)):
        lonely = [(p, ch) for p, ch in relations if sum(c in reason for c in (p, *ch)) == 1]
        if lonely:
            mask_partner(*lonely[0])
            continue
        exposed = disclosed(_ranges(cells, set(reason), relations)) if reason else []
        if not exposed:
            break
        # A disclosed cell whose own relations are all masked or zero (an emploi of a métier masked with
        # it) is protected through another disclosed cell (that métier's family): try each in turn.
        if not any(mask_partner(p, ch) for target in exposed for p, ch in relations if target in (p, *ch)):
            raise RuntimeError(f"cannot protect {exposed[0]}: every cell of its relations is already masked or zero")
    else:  # pragma: no cover — each pass masks one more cell, so this bounds the loop
        raise RuntimeError("secondary suppression did not converge")
    cells["motif"] = [reason.get((r.niveau, r.code), "") for r in cells.itertuples(index=False)]
    return Protection(rules, cells, relations)


def published_ranges(protection: Protection) -> dict[Cell, tuple[float, float]]:
    """What a reader can infer about each masked cell from the published edition."""
    return _ranges(protection.cells, protection.masked, protection.relations)


def rules_of(campaign) -> SecretRules:
    return SecretRules(int(campaign.secret.get("frequence_min", 3)), float(campaign.secret.get("dominance", 0.85)))


def consistency(current: Protection, previous: Protection, evolution_rows: pd.DataFrame, table: pd.DataFrame,
                groups, previous_id: str) -> pd.DataFrame:
    """Comparable cells published in one campaign and masked in the other.

    Publishing such a cell's evolution (or its two values side by side with the other year's totals)
    would reveal the masked value: the published edition shows no evolution, and this list says which
    cells must not be compared in any publication.
    """
    prev_masked, cur_masked = previous.masked, current.masked
    pairs: list[tuple[Cell, Cell, str]] = []
    for g in groups:
        if g.one_to_one:
            pairs.append((("metier", g.previous[0]), ("metier", g.current[0]), ""))
    for (niveau, code), n1 in zip(table[["niveau", "code"]].itertuples(index=False, name=None),
                                  evolution_rows["effectif_n1"]):
        if niveau != "metier" and not pd.isna(n1):
            pairs.append(((niveau, code), (niveau, code), ""))
    labels = dict(zip(zip(table["niveau"], table["code"]), table["libelle"]))
    rows = []
    for before, now, _ in pairs:
        was, is_ = before in prev_masked, now in cur_masked
        if was != is_:
            rows.append(dict(niveau=now[0], code=now[1], libelle=labels.get(now, ""),
                             avant="masqué" if was else "publié", maintenant="masqué" if is_ else "publié",
                             note=f"publié une année et masqué l'autre : ne pas publier son évolution depuis "
                                  f"{previous_id}, qui révélerait la valeur masquée"))
    return pd.DataFrame(rows, columns=["niveau", "code", "libelle", "avant", "maintenant", "note"])
