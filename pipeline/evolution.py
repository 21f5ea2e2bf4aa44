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
    rows_index = pd.MultiIndex.from_frame(skeleton[["niveau", "code"]])
    # Every branch table lists every métier of its nomenclature: the groups are the same for all companies.
    groups = comparable_groups(set(previous_campaign.nomenclature.metiers["code_metier"]),
                               set(campaign.nomenclature.metiers["code_metier"]),
                               campaign.nomenclature.correspondances)
    by_code = {code: g for g in groups for code in g.current}
    lookup = {"metier": lambda r: ("metier", r.code_metier), "sous_total": lambda r: ("famille", r.ref),
              "total_groupe": lambda r: ("groupe", r.ref), "ventiles": lambda r: ("ventiles", ""),
              "non_ventiles": lambda r: ("non_ventiles", "NV"), "calcule": lambda r: ("branche", ""),
              "declare": lambda r: ("branche", "")}
    out: dict[str, dict[int, float]] = {}
    for company, own in figures.groupby("societe"):
        prev_table, prev_emplois, _ = branch_table(previous_campaign, own)
        evo = branch_evolution(skeleton, campaign.nomenclature, prev_table, previous_campaign.identifiant, "",
                               {company}, {company}, {})
        n1 = pd.Series(evo.rows["effectif_n1"].to_numpy(), index=rows_index)
        emplois = prev_emplois.set_index(["code_metier", "rang_emploi"])["effectif"]
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


# ---------------------------------------------------------------------------------------------
# Year-over-year checks of each company's figures
# ---------------------------------------------------------------------------------------------

# Hidiroglou–Berthelot (1986) on the ratio N / N−1, pooled over every (company, métier) of the
# campaign with a headcount both years: s is the ratio's distance to the median ratio, E = s ×
# max(N, N−1)^U weighs it by size (small counts move a lot without meaning much), and a unit is
# unusual when E lies outside [E_med − C·d_Q1, E_med + C·d_Q3], d_Q = max(quartile distance, A·|E_med|).
HB_U, HB_A, HB_C = 0.5, 0.05, 4.0
HB_MIN_UNITS = 10          # fewer units with both years non-zero: no meaningful median, no HB test
APPEAR_MIN = 3             # a métier appearing or disappearing is flagged from this many people
TOTAL_CHANGE = 0.20        # the declared total moving by more than 20 % …
TOTAL_CHANGE_MIN = 5       # … and by at least this many people
# HB measures how far a unit is from the others; when most units did not move at all (figures often
# repeat from one campaign to the next) its spread collapses and the smallest move would stand out.
# A flagged unit must also move materially: by at least this many people and this share.
MATERIAL_ABS, MATERIAL_REL = 3, 0.10


def hidiroglou_berthelot(x1: pd.Series, x2: pd.Series) -> pd.Series:
    """True for the units whose change N−1 -> N is unusual and material (a zero either year: not tested)."""
    both = (x1 > 0) & (x2 > 0)
    flags = pd.Series(False, index=x1.index)
    if both.sum() < HB_MIN_UNITS:
        return flags
    r = x2[both] / x1[both]
    r_med = r.median()
    s = (1 - r_med / r).where(r < r_med, r / r_med - 1)
    e = s * pd.concat([x1[both], x2[both]], axis=1).max(axis=1) ** HB_U
    q1, med, q3 = e.quantile(0.25), e.median(), e.quantile(0.75)
    d1, d3 = max(med - q1, abs(HB_A * med)), max(q3 - med, abs(HB_A * med))
    flags[both] = (e < med - HB_C * d1) | (e > med + HB_C * d3)
    change = (x2 - x1).abs()
    return flags & (change >= MATERIAL_ABS) & (change >= MATERIAL_REL * x1)


def yoy_messages(checked, previous_campaign, previous_figures: pd.DataFrame) -> pd.DataFrame:
    """Warnings on the accepted returns of ``checked`` whose figures move unusually since the previous campaign.

    A warning the company explained in the comment cell of the line is kept as information.
    """
    from .ingest import INFO, WARNING

    campaign = checked.campaign
    cells = checked.saisies
    files = checked.fichiers.set_index("fichier")
    ok_files = [f for f in files.index if files.loc[f, "statut"] in ("accepté", "accepté avec avertissements")]
    cells = cells[cells["fichier"].isin(ok_files)]
    titles = dict(zip(campaign.nomenclature.metiers["code_metier"], campaign.nomenclature.metiers["intitule_metier"]))
    prev_codes = set(previous_figures["code_metier"]) - {"NV"}
    groups = [g for g in comparable_groups(prev_codes | set(previous_campaign.nomenclature.metiers["code_metier"]),
                                           set(campaign.nomenclature.metiers["code_metier"]),
                                           campaign.nomenclature.correspondances) if g.current and g.previous]
    units = []
    previous_of = dict(tuple(previous_figures.groupby("societe", sort=False)))
    for fichier, own in cells.groupby("fichier"):
        company = own["societe"].iloc[0]
        before = previous_of.get(company)
        if before is None or before.empty:
            continue
        number = {r.cle: (0 if r.nombre is None else int(r.nombre)) for r in own.itertuples(index=False)}
        by_code = own.groupby("code_metier")
        for g in groups:
            keys = [k for c in g.current if c in by_code.groups for k in by_code.get_group(c)["cle"]]
            x2 = sum(number.get(k, 0) for k in keys)
            x1 = int(before.loc[before["code_metier"].isin(g.previous), "effectif"].sum())
            rows = own[own["cle"].isin(keys)]
            units.append(dict(fichier=fichier, societe=company, libelle=" + ".join(
                f"{c} {titles.get(c, '')}".strip() for c in g.current), x1=x1, x2=x2,
                cellule=rows["cellule"].iloc[0] if len(rows) else "", cle=keys[0] if keys else "",
                feuille=rows["feuille"].iloc[0] if len(rows) else "",
                commentaire=" ".join(c for c in rows["commentaire"] if c).strip(), total=False))
        total = own[own["kind"] == "declare"]
        if len(total):
            t2 = number.get(total["cle"].iloc[0], 0)
            t1 = int(before["effectif"].sum())
            if t1 and abs(t2 - t1) >= TOTAL_CHANGE_MIN and abs(t2 - t1) / t1 > TOTAL_CHANGE:
                units.append(dict(fichier=fichier, societe=company, libelle="total", x1=t1, x2=t2, total=True,
                                  cellule=total["cellule"].iloc[0], cle=total["cle"].iloc[0],
                                  feuille=total["feuille"].iloc[0], commentaire=total["commentaire"].iloc[0]))
    df = pd.DataFrame(units, columns=["fichier", "societe", "libelle", "x1", "x2", "cellule", "cle", "feuille",
                                      "commentaire", "total"])
    rows = []
    if df.empty:
        return pd.DataFrame(rows, columns=["fichier", "societe", "feuille", "cellule", "cle", "gravite", "message",
                                           "attendu", "action"])
    lines = df[~df["total"]]
    hb = hidiroglou_berthelot(lines["x1"].astype(float), lines["x2"].astype(float))
    before_id = previous_campaign.identifiant
    for i, u in df.iterrows():
        if u["total"]:
            what = (f"effectif total déclaré : {u.x1} en {before_id}, {u.x2} maintenant "
                    f"({(u.x2 - u.x1) / u.x1:+.0%})".replace("%", " %"))
        elif u.x1 == 0 and u.x2 >= APPEAR_MIN:
            what = f"métier apparu : {u.libelle} compte {u.x2} personne(s), aucune en {before_id}"
        elif u.x2 == 0 and u.x1 >= APPEAR_MIN:
            what = f"métier disparu : {u.libelle} comptait {u.x1} personne(s) en {before_id}, aucune maintenant"
        elif hb.get(i, False):
            what = (f"évolution inhabituelle : {u.libelle} passe de {u.x1} en {before_id} à {u.x2} "
                    f"({(u.x2 - u.x1) / u.x1:+.0%})".replace("%", " %"))
        else:
            continue
        explained = bool(str(u.commentaire or "").strip())
        rows.append(dict(
            fichier=u.fichier, societe=u.societe, feuille=u.feuille, cellule=u.cellule, cle=u.cle,
            gravite=INFO if explained else WARNING,
            message=what + (f" — expliqué en commentaire : « {str(u.commentaire).strip()[:120]} »" if explained else ""),
            attendu="une évolution cohérente avec celle de la branche, ou expliquée",
            action="vérifiez l'effectif ; s'il est juste, expliquez l'évolution dans la colonne Commentaire de la ligne",
        ))
    return pd.DataFrame(rows, columns=["fichier", "societe", "feuille", "cellule", "cle", "gravite", "message",
                                       "attendu", "action"])
