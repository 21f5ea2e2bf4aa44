"""Stage 5b — evolution from the previous campaign, through the nomenclature's correspondence table.

Entry points: :func:`comparable_groups` (which previous métiers compare with which current ones) and
:func:`branch_evolution` (N−1, change and % change for every row of the branch table).

A métier that maps one-to-one onto a previous one (same code, or renamed) is compared directly. A
split, a merge or any many-to-many change is compared as a *group* ("0104 + 0108 ← 0104"): the
previous headcount cannot be divided among the new métiers. A family is compared when every group
touching it stays within it; the branch, the ventilated and the non-ventilated totals always are.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .nomenclature import Nomenclature


@dataclass(frozen=True)
class Group:
    previous: tuple[str, ...]   # codes of the previous nomenclature
    current: tuple[str, ...]    # codes of the current one

    @property
    def kind(self) -> str:
        if not self.previous:
            return "nouveau"
        if not self.current:
            return "supprimé"
        if len(self.previous) == len(self.current) == 1:
            return "identique" if self.previous == self.current else "renommé"
        if len(self.previous) == 1:
            return "scindé"
        if len(self.current) == 1:
            return "fusionné"
        return "regroupé"

    @property
    def one_to_one(self) -> bool:
        return self.kind in ("identique", "renommé")

    @property
    def label(self) -> str:
        now = " + ".join(self.current) or "(supprimé)"
        before = " + ".join(self.previous) or "(nouveau)"
        return f"{now} ← {before}"


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
    previous_date: str                 # dd/mm/yyyy
    rows: pd.DataFrame                 # aligned on the branch table: effectif_n1, variation, variation_pct, note
    groups: pd.DataFrame               # splits, merges, new and removed métiers: libelle, nature, N, N−1, …
    only_previous: list[str]           # companies consolidated in the previous campaign only
    only_current: list[str]            # companies consolidated in this campaign only


def branch_evolution(table: pd.DataFrame, nomenclature: Nomenclature, previous_table: pd.DataFrame,
                     previous_id: str, previous_date: str, companies: set[str], previous_companies: set[str],
                     names: dict[str, str]) -> Evolution:
    """N−1, change and % change for each row of ``table`` (both tables follow ``TABLE_COLUMNS``)."""
    prev = previous_table.set_index(["niveau", "code"])["effectif"]
    prev_metiers = {code: int(v) for (niveau, code), v in prev.items() if niveau == "metier"}
    current = table.set_index(["niveau", "code"])["effectif"]
    groups = comparable_groups(set(prev_metiers), set(nomenclature.metiers["code_metier"]),
                               nomenclature.correspondances)
    by_code = {code: g for g in groups for code in g.current}
    families = set(nomenclature.familles["code_famille"])

    family_n1: dict[str, float] = {f: 0.0 for f in families}
    not_comparable: set[str] = set()
    for g in groups:
        touched = {c[:2] for c in g.current + g.previous} & families  # both sides: a move crosses a border
        if len(touched) > 1:
            not_comparable |= touched
        elif touched:
            family_n1[touched.pop()] += sum(prev_metiers.get(c, 0) for c in g.previous)
    for f in not_comparable:
        family_n1[f] = float("nan")
    new_families = families - {c[:2] for c in prev_metiers}
    for f in new_families:
        family_n1[f] = float("nan")

    values, notes = [], []
    for t in table.itertuples(index=False):
        note = ""
        if t.niveau == "metier":
            g = by_code[t.code]
            if g.one_to_one:
                n1 = prev_metiers.get(g.previous[0], 0)
                note = f"ancien code {g.previous[0]}" if g.kind == "renommé" else ""
            else:
                n1 = float("nan")
                note = "nouveau métier" if g.kind == "nouveau" else f"{g.kind} : voir le regroupement {g.label}"
        elif t.niveau == "famille":
            n1 = family_n1.get(t.code, float("nan"))
            if t.code in not_comparable:
                note = "non comparable (un métier a changé de famille)"
            elif t.code in new_families:
                note = "famille nouvelle"
        elif t.niveau == "groupe":
            codes = table.loc[(table["niveau"] == "famille") & (table["groupe"] == t.groupe), "code"]
            n1 = sum(family_n1.get(c, float("nan")) for c in codes)
        else:
            n1 = float(prev.get((t.niveau, t.code), float("nan")))
        values.append(n1)
        notes.append(note)
    rows = pd.DataFrame({"effectif_n1": values, "note": notes}, index=table.index)
    rows["variation"] = table["effectif"] - rows["effectif_n1"]
    rows["variation_pct"] = rows["variation"] / rows["effectif_n1"].where(rows["effectif_n1"] > 0)

    changed = [g for g in groups if not g.one_to_one]
    group_rows = []
    for g in changed:
        n = sum(int(current.get(("metier", c), 0)) for c in g.current)
        n1 = sum(prev_metiers.get(c, 0) for c in g.previous)
        group_rows.append(dict(libelle=g.label, nature=g.kind, effectif=n, effectif_n1=n1, variation=n - n1,
                               variation_pct=(n - n1) / n1 if n1 else float("nan")))
    groups_df = pd.DataFrame(group_rows, columns=["libelle", "nature", "effectif", "effectif_n1", "variation",
                                                  "variation_pct"])
    return Evolution(previous_id, previous_date, rows, groups_df,
                     sorted(names.get(c, c) for c in previous_companies - companies),
                     sorted(names.get(c, c) for c in companies - previous_companies))


def previous_values(campaign, previous_campaign, figures: pd.DataFrame) -> dict[str, dict[int, float]]:
    """Per company, the N−1 reminder of each row of the current template (layout row index -> headcount).

    ``figures``: the previous campaign's accepted figures (``schemas.EFFECTIFS`` shape). Rows that do not
    compare one-to-one (split, merged or new métiers, families crossed by a change) stay blank.
    """
    from .consolidate import branch_table
    from .templates import build_layout

    layout = build_layout(campaign.nomenclature)
    empty = pd.DataFrame({"societe": pd.Series(dtype=str), "cle": pd.Series(dtype=str),
                          "code_metier": pd.Series(dtype=str), "rang_emploi": pd.Series(dtype=int),
                          "effectif": pd.Series(dtype=int)})
    skeleton, _, _ = branch_table(campaign, empty)
    out: dict[str, dict[int, float]] = {}
    for company, own in figures.groupby("societe"):
        prev_table, prev_emplois, _ = branch_table(previous_campaign, own)
        evo = branch_evolution(skeleton, campaign.nomenclature, prev_table, previous_campaign.identifiant, "",
                               {company}, {company}, {})
        n1 = pd.Series(evo.rows["effectif_n1"].to_numpy(), index=pd.MultiIndex.from_frame(skeleton[["niveau", "code"]]))
        groups = comparable_groups(set(prev_table.loc[prev_table["niveau"] == "metier", "code"]),
                                   set(campaign.nomenclature.metiers["code_metier"]),
                                   campaign.nomenclature.correspondances)
        by_code = {code: g for g in groups for code in g.current}
        emplois = prev_emplois.set_index(["code_metier", "rang_emploi"])["effectif"]
        lookup = {"metier": lambda r: ("metier", r.code_metier), "sous_total": lambda r: ("famille", r.ref),
                  "total_groupe": lambda r: ("groupe", r.ref), "ventiles": lambda r: ("ventiles", ""),
                  "non_ventiles": lambda r: ("non_ventiles", "NV"), "calcule": lambda r: ("branche", ""),
                  "declare": lambda r: ("branche", "")}
        values: dict[int, float] = {}
        for i, row in enumerate(layout):
            if row.kind == "saisie" and row.rang_emploi:
                g = by_code[row.code_metier]
                key = (g.previous[0], row.rang_emploi) if g.one_to_one else None
                values[i] = float(emplois[key]) if key in emplois.index else float("nan")
            elif row.kind == "saisie":
                values[i] = float(n1[("metier", row.code_metier)])
            elif row.kind in lookup:
                values[i] = float(n1[lookup[row.kind](row)])
        out[str(company)] = values
    return out
