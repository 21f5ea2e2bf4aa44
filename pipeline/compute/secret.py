"""Statistical confidentiality of the published branch table ("secret statistique").

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

from ..core import models
from ..core.models import DataFrame
from ..core.layout import Cell
from ..core.layout import relations as table_relations
from ..core.nomenclature import Nomenclature
from ..core.texts import fr
from ..core.texts import labels as L
from ..core.vocab import EFFECTIF, TOUT, SecretReason
from .branch import Branch

FREQUENCY, DOMINANCE, SECONDARY = SecretReason.FREQUENCY, SecretReason.DOMINANCE, SecretReason.SECONDARY


@dataclass(frozen=True)
class SecretRules:
    frequence_min: int = 3
    dominance: float = 0.85


@dataclass(frozen=True)
class Protection:
    rules: SecretRules
    cells: DataFrame[models.CellulesSecret]  # motif "" when published
    relations: list[tuple[Cell, tuple[Cell, ...]]]
    coherence: pd.DataFrame | None = None  # with a previous campaign: cells published in one, masked in the other

    @property
    def masked(self) -> set[Cell]:
        m = self.cells[self.cells["motif"] != ""]
        return set(zip(m["niveau"], m["code"]))

    def reason(self, niveau: str, code: str) -> str:
        row = self.cells[(self.cells["niveau"] == niveau) & (self.cells["code"] == code)]
        return str(row["motif"].iloc[0]) if len(row) else ""


def cell_contributions(branch: Branch) -> pd.DataFrame:
    """Per published cell (emplois of split métiers included): headcount, number of contributing companies
    and the largest company's share."""
    part = branch.contributions[(branch.contributions["mesure"] == EFFECTIF)
                                & (branch.contributions["categorie"] == TOUT)]
    stats = part.groupby(["niveau", "code"])["valeur"].agg(["sum", "max", lambda v: int((v > 0).sum())])
    stats.columns = ["effectif", "plus_grand", "nb_societes"]
    cells = branch.rows[["niveau", "code"]].merge(stats.reset_index(), on=["niveau", "code"], how="left").fillna(0)
    cells["effectif"] = cells["effectif"].round().astype(int)
    cells["nb_societes"] = cells["nb_societes"].astype(int)
    cells["part_max"] = (cells["plus_grand"] / cells["effectif"].where(cells["effectif"] > 0)).fillna(0.0)
    return cells[["niveau", "code", "effectif", "nb_societes", "part_max"]]


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


def protect(branch: Branch, nomenclature: Nomenclature, rules: SecretRules | None = None) -> Protection:
    """Which cells the published edition masks, and why."""
    rules = rules or SecretRules()
    cells = cell_contributions(branch)
    rels = table_relations(nomenclature)
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
        lonely = [(p, ch) for p, ch in rels if sum(c in reason for c in (p, *ch)) == 1]
        if lonely:
            mask_partner(*lonely[0])
            continue
        exposed = disclosed(_ranges(cells, set(reason), rels)) if reason else []
        if not exposed:
            break
        # A disclosed cell whose own relations are all masked or zero (an emploi of a métier masked with
        # it) is protected through another disclosed cell (that métier's family): try each in turn.
        if not any(mask_partner(p, ch) for target in exposed for p, ch in rels if target in (p, *ch)):
            raise RuntimeError(f"cannot protect {exposed[0]}: every cell of its relations is already masked or zero")
    else:  # pragma: no cover — each pass masks one more cell, so this bounds the loop
        raise RuntimeError("secondary suppression did not converge")
    cells["motif"] = [str(reason.get((r.niveau, r.code), "")) for r in cells.itertuples(index=False)]
    return Protection(rules, models.validate(models.CellulesSecret, cells), rels)


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
                             avant=L.MASKED_WORD if was else L.PUBLISHED_WORD,
                             maintenant=L.MASKED_WORD if is_ else L.PUBLISHED_WORD,
                             note=fr(L.SECRET_COHERENCE_NOTE, campagne=previous_id)))
    return pd.DataFrame(rows, columns=["niveau", "code", "libelle", "avant", "maintenant", "note"])
