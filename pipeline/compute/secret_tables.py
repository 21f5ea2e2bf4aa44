"""The linked tables a publication is made of: cells, relations between them, and who contributes to each.

Entry points: :func:`branch_tables` (the branch table of a campaign, for every measure and category it
holds, with the declared breakdowns) and :func:`with_previous` (adds the previous edition, as published, and
the evolution columns that link the two). The protection (:mod:`pipeline.compute.secret`) sees nothing but
this: a cell is a key ``(tableau, niveau, code, mesure, categorie)``; a relation is parent = Σ children; a
contribution is one unit's part of one cell. A new published table is therefore more cells and more
relations, declared here; the rules, the audit and the choice of secondary cells need no change.

Units: a company, or the holding group it belongs to (companies of one group share what they know and count
as one contributor).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from ..core.columns import column_values
from ..core.layout import relations as table_relations
from ..core.nomenclature import Nomenclature
from ..core.vocab import TOUT, Level
from .branch import Branch

CURRENT, PREVIOUS, EVOLUTION = "courant", "precedent", "evolution"
KEY = ["tableau", "niveau", "code", "mesure", "categorie"]
FREE, PUBLISHED, MASKED, DERIVED = "", "publie", "masque", "derive"  # statut of a cell before the protection
DETAIL_LEVELS = (Level.METIER, Level.EMPLOI, Level.NON_VENTILES)  # below a family


@dataclass(frozen=True)
class Linked:
    """Tables published together.

    ``cells``: KEY, valeur, signe (may be negative: no contributions, no lower bound), statut (FREE: the
    protection decides; PUBLISHED/MASKED: already decided, e.g. by a previous edition; DERIVED: published
    exactly when every other cell of its relations is, so it never tells anything new).
    ``contributions``: KEY, unite, societe, valeur. ``relations``: (parent key, child keys).
    """

    cells: pd.DataFrame
    contributions: pd.DataFrame
    relations: list[tuple[tuple, tuple[tuple, ...]]]

    def keys(self) -> list[tuple]:
        return list(self.cells[KEY].itertuples(index=False, name=None))


def unit_of(companies: Sequence[str], holdings: Mapping[str, str]) -> dict[str, str]:
    """Each company's unit: its holding group when it has one, else itself."""
    return {c: holdings.get(c) or c for c in companies}


def branch_tables(branch: Branch, nomenclature: Nomenclature, holdings: Mapping[str, str],
                  breakdowns: Mapping[str, Sequence[str]] | None = None, tableau: str = CURRENT,
                  partitions: Sequence[tuple[str, Sequence[str]]] = (),
                  totals_only: frozenset[str] = frozenset()) -> Linked:
    """The branch table of every measure and category as linked tables.

    ``breakdowns``: name -> categories that partition the headcount (e.g. ``{"sexe": ("femmes", "hommes")}``):
    for every cell, the category ``tout`` is the sum of them. ``partitions``: more such relations as
    (whole category, parts), e.g. a crossed pair's cells adding up to a category of the breakdowns it crosses
    (:meth:`pipeline.core.breakdowns.Inputs.partitions`). Within each category the table keeps its own
    relations (métier = Σ emplois, family = Σ métiers, …). ``totals_only``: categories published for families,
    groups and the branch only; their other cells stay in the system, never published (MASKED), so that what
    they add up to is still accounted for.
    """
    table = branch.table
    cells = table[["niveau", "code", "mesure", "categorie"]].assign(tableau=tableau)[KEY]
    detail = table["categorie"].isin(totals_only) & table["niveau"].isin(DETAIL_LEVELS)
    cells = cells.assign(valeur=table["valeur"].to_numpy(), signe=False,
                         statut=[MASKED if d else FREE for d in detail])
    units = unit_of(branch.companies, holdings)
    contributions = branch.contributions.assign(tableau=tableau, unite=branch.contributions["societe"].map(units))
    contributions = contributions[[*KEY, "unite", "societe", "valeur"]]
    present = set(cells[KEY].itertuples(index=False, name=None))
    relations = []
    measures = table[["mesure", "categorie"]].drop_duplicates().itertuples(index=False, name=None)
    shape = table_relations(nomenclature)
    for mesure, categorie in measures:
        for parent, children in shape:
            relations.append(((tableau, *parent, mesure, categorie),
                              tuple((tableau, *c, mesure, categorie) for c in children)))
    sums = sums_of(breakdowns, partitions)
    for niveau, code, mesure in table[["niveau", "code", "mesure"]].drop_duplicates().itertuples(index=False,
                                                                                                name=None):
        for category, categories in sums:
            parts = tuple((tableau, niveau, code, mesure, c) for c in categories)
            whole = (tableau, niveau, code, mesure, category)
            if whole in present and all(p in present for p in parts):
                relations.append((whole, parts))
    return Linked(cells.reset_index(drop=True), contributions.reset_index(drop=True), relations)


def sums_of(breakdowns: Mapping[str, Sequence[str]] | None,
            partitions: Sequence[tuple[str, Sequence[str]]]) -> list[tuple[str, tuple[str, ...]]]:
    """How categories add up, as (whole category, parts): each breakdown's categories make up ``tout``, then the
    ``partitions`` given as such."""
    return [(TOUT, tuple(c)) for c in (breakdowns or {}).values()] + [(w, tuple(p)) for w, p in partitions]


def steps_of(sums: Sequence[tuple[str, Sequence[str]]]) -> list[set[str]] | None:
    """The order in which the tables of a breakdown are protected, as the categories each step sees: the main
    table first, then each breakdown with it (a crossed pair with the breakdowns it crosses, decided already).
    None when there is nothing but the main table."""
    out = [{TOUT}]
    for whole, parts in sums:
        if whole == TOUT:
            out.append({TOUT, *parts} | {w for w, p in sums if w != TOUT and set(p) <= set(parts)})
    return out if len(out) > 1 else None


def restricted(linked: Linked, categories: set[str]) -> Linked:
    """The cells of some categories, and the relations between them only."""
    cells = linked.cells[linked.cells["categorie"].isin(categories)].reset_index(drop=True)
    contributions = linked.contributions[linked.contributions["categorie"].isin(categories)]
    relations = [(p, c) for p, c in linked.relations if p[4] in categories and all(k[4] in categories for k in c)]
    return Linked(cells, contributions.reset_index(drop=True), relations)


def with_previous(current: Linked, previous: Linked, masked_before: set[tuple],
                  compositions: Mapping[tuple[str, str], tuple[tuple[str, str], ...] | None]) -> Linked:
    """The current tables, the previous edition as it was published (``masked_before``: its masked keys)
    and the evolution columns between them.

    ``compositions``: for each (niveau, code) of the current table, the previous cells whose sum is its N−1
    figure (None when not comparable). The evolution of a cell is published exactly when the cell and its N−1
    figure are (DERIVED): an evolution is never the only published figure of its relation.
    """
    before = previous.cells.copy()
    before["statut"] = [MASKED if k in masked_before else PUBLISHED
                        for k in before[KEY].itertuples(index=False, name=None)]
    now = current.cells.set_index(KEY)["valeur"]
    then = before.set_index(KEY)["valeur"]
    rows, relations = [], []
    for mesure, categorie in current.cells[["mesure", "categorie"]].drop_duplicates().itertuples(index=False,
                                                                                                name=None):
        for (niveau, code), parts in compositions.items():
            olds = tuple((PREVIOUS, n, c, mesure, categorie) for n, c in parts or ())
            cell = (CURRENT, niveau, code, mesure, categorie)
            if parts is None or cell not in now.index or not all(o in then.index for o in olds):
                continue
            key = (EVOLUTION, niveau, code, mesure, categorie)
            rows.append((*key, float(now[cell]) - float(sum(then[o] for o in olds)), True, DERIVED))
            relations.append((cell, (*olds, key)))
    evolution = pd.DataFrame(rows, columns=[*KEY, "valeur", "signe", "statut"])
    cells = pd.concat([current.cells, before, evolution], ignore_index=True)
    return Linked(cells, pd.concat([current.contributions, previous.contributions], ignore_index=True),
                  current.relations + previous.relations + relations)


def shares(linked: Linked, by: str = "unite") -> dict[tuple, dict[str, float]]:
    """Per cell with contributions, every contributing unit's (or company's, ``by="societe"``) part. Read from
    the rows as they are (no group-by: some 350,000 rows for ten thousand companies), each unit's rows added up."""
    c = linked.contributions
    out: dict[tuple, dict[str, float]] = {}
    for *key, who, v in zip(*(column_values(c[k]) for k in KEY), column_values(c[by]), column_values(c["valeur"])):
        if v > 0:
            parts = out.setdefault(tuple(key), {})
            parts[who] = parts.get(who, 0.0) + v
    return out


def own_units(linked: Linked) -> bool:
    """Whether every company is a unit of its own (no holding group among them)."""
    c = linked.contributions
    return bool((c["unite"].to_numpy() == c["societe"].to_numpy()).all())


def own_figures(linked: Linked, by_unit: dict[tuple, dict[str, float]] | None = None) -> dict[str, dict[tuple, float]]:
    """Per unit, its contribution to every cell (what it knows as an insider); ``by_unit``: :func:`shares` of
    ``linked`` when already at hand."""
    out: dict[str, dict[tuple, float]] = {}
    for key, units in (shares(linked) if by_unit is None else by_unit).items():
        for unit, v in units.items():
            out.setdefault(unit, {})[key] = v
    return out
