"""Evolution from the previous campaign, through the nomenclature's correspondence table.

Entry points: :func:`comparable_groups` (which previous métiers compare with which current ones) and
:func:`branch_evolution` (N−1, change and % change for every row of the branch table).

A métier that maps one-to-one onto a previous one (same code, or renamed) is compared directly. A
split, a merge or any many-to-many change is compared as a *group* ("0104 + 0108 ← 0104"): the
previous headcount cannot be divided among the new métiers. A family is compared when every group
touching it stays within it; the branch, the ventilated and the non-ventilated totals always are.

The evolution that means something compares the same companies (:func:`evolutions`: "à champ
constant", the companies consolidated both times); the raw comparison of everything consolidated each
time is kept beside it, labelled as such.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pandas as pd

from ..core import models
from ..core.layout import build_layout
from ..core.correspondences import correspondences_between
from ..core.models import DataFrame
from ..core.nomenclature import Nomenclature
from ..core.texts import fr
from ..core.texts import labels as L
from ..core.vocab import EFFECTIF, TOUT, Change, Level, Role
from .branch import Branch, branch_table


@dataclass(frozen=True)
class Group:
    previous: tuple[str, ...]   # codes of the previous nomenclature
    current: tuple[str, ...]    # codes of the current one

    @property
    def kind(self) -> Change:
        if not self.previous:
            return Change.NEW
        if not self.current:
            return Change.REMOVED
        if len(self.previous) == len(self.current) == 1:
            return Change.SAME if self.previous == self.current else Change.RENAMED
        if len(self.previous) == 1:
            return Change.SPLIT
        if len(self.current) == 1:
            return Change.MERGED
        return Change.REGROUPED

    @property
    def one_to_one(self) -> bool:
        return self.kind in (Change.SAME, Change.RENAMED)

    @property
    def label(self) -> str:
        now = " + ".join(self.current) or L.GROUP_REMOVED
        before = " + ".join(self.previous) or L.GROUP_NEW
        return fr(L.GROUP_LABEL, maintenant=now, avant=before)


def comparable_groups(previous_codes: set[str], current_codes: set[str],
                      correspondances: pd.DataFrame) -> list[Group]:
    """Connected components of the links previous code — current code.

    Links are the rows of the correspondence table; a code found in both nomenclatures and not listed
    there links to itself. A previous code with no link at all is a métier removed.
    """
    listed = set(correspondances["code_precedent"]) | set(correspondances["code"])
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a, b):
        parent[find(a)] = find(b)

    for code in previous_codes:
        find(("p", code))
    for code in current_codes:
        find(("c", code))
    for row in correspondances.itertuples(index=False):
        if row.code_precedent and row.code:
            union(("p", row.code_precedent), ("c", row.code))
        elif row.code_precedent:
            find(("p", row.code_precedent))
        else:
            find(("c", row.code))
    for code in (previous_codes & current_codes) - listed:
        union(("p", code), ("c", code))
    members: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for node in parent:
        members.setdefault(find(node), []).append(node)
    groups = [Group(tuple(sorted(c for k, c in nodes if k == "p")), tuple(sorted(c for k, c in nodes if k == "c")))
              for nodes in members.values()]
    return sorted(groups, key=lambda g: (g.current or g.previous))


@dataclass(frozen=True)
class Evolution:
    previous_id: str
    previous_date: dt.date
    rows: DataFrame[models.Evolutions]  # per cell, measure and category
    groups: pd.DataFrame               # splits, merges, new and removed métiers: libelle, nature, N, N−1, …
    only_previous: list[str]           # companies consolidated in the previous campaign only
    only_current: list[str]            # companies consolidated in this campaign only
    companies: list[str] = ()          # the companies compared, consolidated either time (names)

    def wide(self, mesure: str = EFFECTIF, categorie: str = TOUT) -> pd.DataFrame:
        """effectif (N of the companies compared), effectif_n1, variation, variation_pct and note of one measure
        and category, indexed by (niveau, code)."""
        part = self.rows[(self.rows["mesure"] == mesure) & (self.rows["categorie"] == categorie)]
        return part.rename(columns={"valeur": "effectif", "valeur_n1": "effectif_n1"}).set_index(["niveau", "code"])[
            ["effectif", "effectif_n1", "variation", "variation_pct", "note"]]


def groups_between(previous: Nomenclature, current: Nomenclature) -> list[Group]:
    return comparable_groups(set(previous.metiers["code_metier"]), set(current.metiers["code_metier"]),
                             correspondences_between(previous, current))


def compositions(table: pd.DataFrame, current: Nomenclature, previous: Nomenclature, groups: list[Group]
                 ) -> tuple[list[tuple[tuple[str, str], ...] | None], list[str]]:
    """For every row of ``table`` (wide, without emplois): the previous cells whose sum is its N−1 figure
    (None when not comparable), and the note explaining it. A family (group) whose previous métiers are
    exactly a previous family's (group's) is that cell. A family a change crosses, or which gains or loses a métier
    (created or removed: its people come from, or go to, anywhere), does not compare."""
    by_code = {code: g for g in groups for code in g.current}
    families = set(current.familles["code_famille"])
    in_family = {f: f for f in families}  # a code's family: its first two digits, when a family of the current one
    found, not_comparable, scope_changed = _borders(groups, in_family, in_family)
    family_parts: dict[str, list[str] | None] = {f: found.get(f, []) for f in families}
    new_families = families - {c[:2] for g in groups for c in g.previous}
    for f in not_comparable | scope_changed | new_families:
        family_parts[f] = None
    before_family = {f: set(previous.metiers_de(f)["code_metier"]) for f in previous.familles["code_famille"]}

    def family(code: str) -> tuple[tuple[str, str], ...] | None:
        parts = family_parts.get(code)
        if parts is None:
            return None
        if set(parts) == before_family.get(code):
            return ((str(Level.FAMILLE), code),)
        return tuple((str(Level.METIER), c) for c in sorted(parts))

    by_group = _group_compositions(current, previous, groups)
    out, notes = [], []
    for t in table.itertuples(index=False):
        note, parts = "", ((t.niveau, t.code),)
        if t.niveau == Level.METIER:
            g = by_code[t.code]
            if g.one_to_one:
                parts = ((str(Level.METIER), g.previous[0]),)
                note = fr(L.EVOLUTION_RENAMED, code=g.previous[0]) if g.kind == Change.RENAMED else ""
            else:
                parts = None
                note = L.EVOLUTION_NEW if g.kind == Change.NEW else fr(L.EVOLUTION_GROUPED, nature=g.kind, groupe=g.label)
        elif t.niveau == Level.FAMILLE:
            parts = family(t.code)
            if t.code in not_comparable:
                note = L.EVOLUTION_MOVED
            elif t.code in new_families:
                note = L.EVOLUTION_NEW_FAMILY
            elif t.code in scope_changed:
                note = L.EVOLUTION_SCOPE
        elif t.niveau == Level.GROUPE:
            parts, note = by_group.get(t.code, (None, ""))
        elif t.niveau in (Level.NON_VENTILES, Level.VENTILES) and any(not (g.previous and g.current) for g in groups):
            parts, note = None, L.EVOLUTION_SCOPE_NV  # a métier created or removed: its people from, or to, NV
        out.append(parts)
        notes.append(note)
    return out, notes


def _borders(groups: list[Group], now_of: dict[str, str], before_of: dict[str, str]
             ) -> tuple[dict[str, list[str]], set[str], set[str]]:
    """The comparable scopes of units of the table (families, groups of families): each unit's previous métiers
    (by unit), the units a change crosses (it touches several, both sides counted) and those which gain or lose a
    métier (created or removed: its people come from, or go to, anywhere). ``now_of``/``before_of``: the unit of a
    current/previous family code (none: the code is in no unit)."""
    parts: dict[str, list[str]] = {}
    crossed: set[str] = set()
    scope_changed: set[str] = set()
    for g in groups:
        touched = ({now_of.get(c[:2]) for c in g.current} | {before_of.get(c[:2]) for c in g.previous}) - {None}
        if len(touched) > 1:
            crossed |= touched
        elif touched and not (g.previous and g.current):
            scope_changed |= touched
        elif touched:
            parts.setdefault(touched.pop(), []).extend(g.previous)
    return parts, crossed, scope_changed


def _group_compositions(current: Nomenclature, previous: Nomenclature, groups: list[Group]
                        ) -> dict[str, tuple[tuple[tuple[str, str], ...] | None, str]]:
    """Per group of families (by its number): the previous cells whose sum is its N−1 figure (None when it does not
    compare) and the note saying why. A group compares when no change crosses its border and no métier was created
    or removed in it, whatever moves between its own families; the previous group's cell when it holds exactly the
    previous group's métiers."""
    def group_of(nom: Nomenclature) -> dict[str, str]:
        return {f: numero for numero, g in nom.groupes for f in nom.familles_du_groupe(g)["code_famille"]}

    now_of, before_of = group_of(current), group_of(previous)
    found, crossed, scope_changed = _borders(groups, now_of, before_of)
    parts = {numero: found.get(numero, []) for numero, _ in current.groupes}
    notes = {**dict.fromkeys(scope_changed, L.EVOLUTION_SCOPE), **dict.fromkeys(crossed, L.EVOLUTION_MOVED_GROUP)}
    notes.update({n: L.EVOLUTION_NEW_GROUP for n in parts if n not in set(before_of.values())})
    before = {numero: {m for f in previous.familles_du_groupe(g)["code_famille"]
                       for m in previous.metiers_de(f)["code_metier"]} for numero, g in previous.groupes}
    out: dict[str, tuple[tuple[tuple[str, str], ...] | None, str]] = {}
    for numero, codes in parts.items():
        if numero in notes:
            out[numero] = (None, notes[numero])
        elif set(codes) == before.get(numero):
            out[numero] = (((str(Level.GROUPE), numero),), "")
        else:
            out[numero] = (tuple((str(Level.METIER), c) for c in sorted(codes)), "")
    return out


def _previous_of(table: pd.DataFrame, current: Nomenclature, previous: Nomenclature, groups: list[Group],
                 prev: pd.Series) -> tuple[list[float], list[str]]:
    """N−1 of every row of ``table`` (wide, without emplois) from the previous values ``prev``
    ((niveau, code) -> value), through the comparable groups."""
    parts, notes = compositions(table, current, previous, groups)
    values = [float("nan") if p is None else float(sum(prev.get(c, 0.0) for c in p)) for p in parts]
    return values, notes


def branch_evolution(current: Branch, current_nom: Nomenclature, previous: Branch, previous_nom: Nomenclature,
                     previous_id: str, previous_date: dt.date, names: dict[str, str]) -> Evolution:
    """N−1, change and % change for each cell of the current table, for every measure and category
    both campaigns have."""
    groups = groups_between(previous_nom, current_nom)
    out = []
    measures = current.table[["mesure", "categorie"]].drop_duplicates()
    measures = measures.merge(previous.table[["mesure", "categorie"]].drop_duplicates(), how="inner")
    for mesure, categorie in measures.itertuples(index=False):
        table = current.wide(mesure, categorie)
        prev = previous.wide(mesure, categorie).set_index(["niveau", "code"])["effectif"]
        values, notes = _previous_of(table, current_nom, previous_nom, groups, prev)
        rows = table[["niveau", "code"]].assign(mesure=mesure, categorie=categorie, valeur=table["effectif"].astype(float),
                                                valeur_n1=values, note=notes)
        rows["variation"] = table["effectif"] - rows["valeur_n1"]
        rows["variation_pct"] = rows["variation"] / rows["valeur_n1"].where(rows["valeur_n1"] > 0)
        out.append(rows)
    rows = models.validate(models.Evolutions, pd.concat(out, ignore_index=True).astype(
        {"valeur": float, "valeur_n1": float, "variation": float, "variation_pct": float}))
    now = current.wide().set_index(["niveau", "code"])["effectif"]
    before = previous.wide().set_index(["niveau", "code"])["effectif"]
    group_rows = []
    for g in (g for g in groups if not g.one_to_one):
        n = sum(int(now.get((Level.METIER, c), 0)) for c in g.current)
        n1 = sum(int(before.get((Level.METIER, c), 0)) for c in g.previous)
        group_rows.append(dict(libelle=g.label, nature=g.kind, effectif=n, effectif_n1=n1, variation=n - n1,
                               variation_pct=(n - n1) / n1 if n1 else float("nan"), actuels=g.current,
                               precedents=g.previous))
    groups_df = pd.DataFrame(group_rows, columns=["libelle", "nature", "effectif", "effectif_n1", "variation",
                                                  "variation_pct", "actuels", "precedents"])
    companies, previous_companies = set(current.companies), set(previous.companies)
    return Evolution(previous_id, previous_date, rows, groups_df,
                     sorted(names.get(c, c) for c in previous_companies - companies),
                     sorted(names.get(c, c) for c in companies - previous_companies),
                     sorted(names.get(c, c) for c in companies | previous_companies))


def evolutions(current: Branch, current_nom: Nomenclature, figures: pd.DataFrame, previous: Branch,
               previous_nom: Nomenclature, previous_figures: pd.DataFrame, previous_id: str, previous_date: dt.date,
               names: dict[str, str]) -> tuple[Evolution | None, Evolution]:
    """(at constant scope, raw): the evolution of the companies consolidated both times — None when there is
    none — and the raw comparison of the two branch tables. ``figures``/``previous_figures`` are the
    :class:`~pipeline.core.models.Chiffres` the branches were built from."""
    raw = branch_evolution(current, current_nom, previous, previous_nom, previous_id, previous_date, names)
    both = set(current.companies) & set(previous.companies)
    if not both:
        return None, raw
    if both == set(current.companies) == set(previous.companies):
        return raw, raw
    same_now = branch_table(current_nom, figures[figures["societe"].isin(both)])
    same_before = branch_table(previous_nom, previous_figures[previous_figures["societe"].isin(both)])
    constant = branch_evolution(same_now, current_nom, same_before, previous_nom, previous_id, previous_date, names)
    return replace(constant, only_previous=raw.only_previous, only_current=raw.only_current), raw


def previous_values(current_nom: Nomenclature, previous_nom: Nomenclature,
                    previous: Branch) -> dict[str, dict[int, float]]:
    """Per company, the N−1 reminder of each row of the current template (layout row index -> headcount).

    A métier merging several previous ones shows their sum (the company's own figures: nothing to protect). Rows
    that compare with no previous figure (split or new métiers and their emplois, a merged métier's emplois,
    families crossed by a change) stay blank (NaN).
    """
    layout = build_layout(current_nom)
    skeleton = branch_table(current_nom, _empty_figures()).wide()
    groups = groups_between(previous_nom, current_nom)
    by_code = {code: g for g in groups for code in g.current}
    matrix = previous.matrix(emplois=True)
    out: dict[str, dict[int, float]] = {}
    for company in previous.companies:
        own = matrix[company]
        n1_values, _ = _previous_of(skeleton, current_nom, previous_nom, groups, own)
        n1 = dict(zip(zip(skeleton["niveau"], skeleton["code"]), n1_values))
        values: dict[int, float] = {}
        for i, row in enumerate(layout):
            if row.role == Role.TITRE or row.niveau == Level.ECART:
                continue
            if row.niveau == Level.EMPLOI:
                g = by_code[row.code_metier]
                key = (str(Level.EMPLOI), f"{g.previous[0]}-{row.rang_emploi}") if g.one_to_one else None
                values[i] = float(own[key]) if key in own.index else float("nan")
            elif row.niveau == Level.DECLARE:
                values[i] = float(n1[(str(Level.BRANCHE), "")])
            elif row.niveau in (Level.NON_VENTILES, Level.VENTILES):  # the company's own, a reminder even when the
                values[i] = float(own.get((str(row.cell[0]), row.cell[1]), 0.0))  # branch's do not compare
            elif row.niveau == Level.METIER and (g := by_code[row.code_metier]).kind == Change.MERGED:
                values[i] = float(sum(own.get((str(Level.METIER), code), 0.0) for code in g.previous))
            else:
                values[i] = float(n1[(str(row.cell[0]), row.cell[1])])
        out[str(company)] = values
    return out


def _empty_figures() -> pd.DataFrame:
    return pd.DataFrame({"campagne": pd.Series(dtype=str), "societe": pd.Series(dtype=str),
                         "cle": pd.Series(dtype=str), "mesure": pd.Series(dtype=str),
                         "categorie": pd.Series(dtype=str), "valeur": pd.Series(dtype=float)})
