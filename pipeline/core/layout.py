"""The shape of a campaign's data, derived once from the nomenclature.

- :func:`build_layout`: the rows of the template's input sheet, in order (headings, inputs, formulas);
- :func:`table_rows`: the rows of the branch table (table 1.4 of the cartography, with the emplois of
  split métiers), as a :class:`~pipeline.core.models.LignesTableau` frame;
- :func:`membership`: for every row key of the template, the cells of the branch table it adds to
  (:class:`~pipeline.core.models.Appartenance`), so that every total is one group-by;
- :func:`relations`: parent = Σ children, for every total of the branch table.

A row of the template and a cell of the table share one vocabulary (:class:`~pipeline.core.vocab.Level`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import models
from .form import KEY_NV, KEY_TOTAL
from .nomenclature import Nomenclature
from .texts import fr
from .texts import labels as L
from .vocab import Level, Role

Cell = tuple[str, str]  # (niveau, code): ("metier", "0102"), ("emploi", "0101-1"), ("branche", "")


@dataclass(frozen=True)
class LayoutRow:
    """One row of the input sheet below the headings.

    ``cle``: what the Code column shows (the row key of an input; the number or code of a heading; the
    code of a split métier's total). ``cell``: the cell of the branch table the row stands for (None for
    headings and the template-only rows). ``somme``: indexes (in the layout) of the rows a formula row
    adds up; for ``ecart``, the declared row then the computed row.
    """

    niveau: Level
    role: Role
    cle: str = ""
    intitule: str = ""
    emploi: str = ""
    autres: str = ""
    code_metier: str = ""
    rang_emploi: int = 0
    somme: tuple[int, ...] = field(default=())
    cell: Cell | None = None

    @property
    def is_input(self) -> bool:
        return self.role == Role.SAISIE


def build_layout(nomenclature: Nomenclature) -> list[LayoutRow]:
    """The rows of the input sheet, in order (computed once per nomenclature)."""
    if "layout" not in nomenclature.cache:
        nomenclature.cache["layout"] = _layout(nomenclature)
    return nomenclature.cache["layout"]


def _layout(nom: Nomenclature) -> list[LayoutRow]:
    rows: list[LayoutRow] = []
    group_totals = []
    for numero, groupe in nom.groupes:
        rows.append(LayoutRow(Level.GROUPE, Role.TITRE, numero, fr(L.GROUP_HEADING, groupe=L.lower_first(groupe))))
        family_totals = []
        for fam in nom.familles_du_groupe(groupe).itertuples(index=False):
            rows.append(LayoutRow(Level.FAMILLE, Role.TITRE, fam.code_famille, fam.intitule_famille))
            inputs = []
            for m in nom.metiers_de(fam.code_famille).itertuples(index=False):
                autres = ", ".join(m.autres)
                lignes = nom.lignes_du_metier(m.code_metier)
                if len(lignes) == 1:
                    ligne = lignes.iloc[0]
                    inputs.append(len(rows))
                    rows.append(LayoutRow(Level.METIER, Role.SAISIE, ligne.cle, m.intitule_metier,
                                          ligne.intitule_emploi, autres, m.code_metier,
                                          cell=(Level.METIER, m.code_metier)))
                    continue
                first = len(rows) + 1
                rows.append(LayoutRow(Level.METIER, Role.FORMULE, m.code_metier, m.intitule_metier, L.METIER_TOTAL,
                                      autres, m.code_metier, somme=tuple(range(first, first + len(lignes))),
                                      cell=(Level.METIER, m.code_metier)))
                for ligne in lignes.itertuples(index=False):
                    inputs.append(len(rows))
                    rows.append(LayoutRow(Level.EMPLOI, Role.SAISIE, ligne.cle, "", ligne.intitule_emploi, "",
                                          m.code_metier, int(ligne.rang_emploi), cell=(Level.EMPLOI, ligne.cle)))
            family_totals.append(len(rows))
            rows.append(LayoutRow(Level.FAMILLE, Role.FORMULE, "",
                                  fr(L.FAMILY_TOTAL, code=fam.code_famille, intitule=fam.intitule_famille),
                                  somme=tuple(inputs), cell=(Level.FAMILLE, fam.code_famille)))
        group_totals.append(len(rows))
        rows.append(LayoutRow(Level.GROUPE, Role.FORMULE, "", group_total_label(groupe), somme=tuple(family_totals),
                              cell=(Level.GROUPE, numero)))
    ventiles = len(rows)
    rows.append(LayoutRow(Level.VENTILES, Role.FORMULE, "", L.VENTILES, somme=tuple(group_totals),
                          cell=(Level.VENTILES, "")))
    nv = len(rows)
    rows.append(LayoutRow(Level.NON_VENTILES, Role.SAISIE, KEY_NV, L.NON_VENTILES, L.NON_VENTILES_HELP,
                          cell=(Level.NON_VENTILES, KEY_NV)))
    calcule = len(rows)
    rows.append(LayoutRow(Level.BRANCHE, Role.FORMULE, "", L.CALCULE, somme=(ventiles, nv), cell=(Level.BRANCHE, "")))
    declare = len(rows)
    rows.append(LayoutRow(Level.DECLARE, Role.SAISIE, KEY_TOTAL, L.DECLARE))
    rows.append(LayoutRow(Level.ECART, Role.FORMULE, "", L.ECART, somme=(declare, calcule)))
    return rows


def group_total_label(groupe: str) -> str:
    return fr(L.GROUP_TOTAL, groupe=L.lower_first(groupe))


def input_rows(nomenclature: Nomenclature) -> dict[str, LayoutRow]:
    """The rows to fill, by row key."""
    return {row.cle: row for row in build_layout(nomenclature) if row.is_input}


def layout_values(layout: list[LayoutRow], inputs: dict[str, object]) -> list[float | int]:
    """The value of every row as a spreadsheet computes it: inputs as given (anything but a number
    counts 0, as SUM does), formula rows summed. A formula row may refer to rows below it (a split métier sums its
    emplois, written under it): each is computed from the rows it refers to, whatever their order."""
    values: list[float | int | None] = [None] * len(layout)

    def value(i: int) -> float | int:
        if values[i] is None:
            row = layout[i]
            if row.is_input:
                v = inputs.get(row.cle)
                ok = isinstance(v, (int, float)) and not isinstance(v, bool) and v == v and abs(v) != float("inf")
                values[i] = (int(v) if float(v).is_integer() else v) if ok else 0
            elif row.niveau == Level.ECART:
                values[i] = value(row.somme[0]) - value(row.somme[1])
            else:
                values[i] = sum(value(j) for j in row.somme) if row.somme else 0
        return values[i]

    return [value(i) for i in range(len(layout))]


# ---------------------------------------------------------------------------------------------
# The branch table's shape
# ---------------------------------------------------------------------------------------------


def table_rows(nomenclature: Nomenclature) -> pd.DataFrame:
    """The rows of the branch table in the order of table 1.4 (the emplois of a split métier follow it)."""
    if "table_rows" in nomenclature.cache:
        return nomenclature.cache["table_rows"]
    nom = nomenclature
    rows = []
    for numero, groupe in nom.groupes:
        for fam in nom.familles_du_groupe(groupe).itertuples(index=False):
            for m in nom.metiers_de(fam.code_famille).itertuples(index=False):
                rows.append((Level.METIER, m.code_metier, m.intitule_metier, fam.code_famille, groupe))
                lignes = nom.lignes_du_metier(m.code_metier)
                if len(lignes) > 1:
                    rows += [(Level.EMPLOI, e.cle, e.intitule_emploi, fam.code_famille, groupe)
                             for e in lignes.itertuples(index=False)]
            rows.append((Level.FAMILLE, fam.code_famille,
                         fr(L.FAMILY_TOTAL, code=fam.code_famille, intitule=fam.intitule_famille),
                         fam.code_famille, groupe))
        rows.append((Level.GROUPE, numero, group_total_label(groupe), "", groupe))
    rows += [(Level.VENTILES, "", L.VENTILES, "", ""), (Level.NON_VENTILES, KEY_NV, L.NON_VENTILES_TABLE, "", ""),
             (Level.BRANCHE, "", L.BRANCHE, "", "")]
    df = pd.DataFrame(rows, columns=["niveau", "code", "libelle", "code_famille", "groupe"])
    df["niveau"] = df["niveau"].astype(str)
    nom.cache["table_rows"] = models.validate(models.LignesTableau, df)
    return nom.cache["table_rows"]


def membership(nomenclature: Nomenclature) -> pd.DataFrame:
    """For every row key of the template, the cells of the branch table it adds to."""
    if "membership" in nomenclature.cache:
        return nomenclature.cache["membership"]
    nom = nomenclature
    family_of = dict(zip(nom.metiers["code_metier"], nom.metiers["code_famille"]))
    group_of = {f: dict((g, n) for n, g in nom.groupes)[g] for f, g in zip(nom.familles["code_famille"],
                                                                            nom.familles["groupe"])}
    rows = []
    for ligne in nom.lignes.itertuples(index=False):
        fam = family_of[ligne.code_metier]
        cells = [(Level.METIER, ligne.code_metier), (Level.FAMILLE, fam), (Level.GROUPE, group_of[fam]),
                 (Level.VENTILES, ""), (Level.BRANCHE, "")]
        if ligne.rang_emploi:
            cells.insert(0, (Level.EMPLOI, ligne.cle))
        rows += [(ligne.cle, str(n), c) for n, c in cells]
    rows += [(KEY_NV, str(Level.NON_VENTILES), KEY_NV), (KEY_NV, str(Level.BRANCHE), "")]
    df = pd.DataFrame(rows, columns=["cle", "niveau", "code"])
    nom.cache["membership"] = models.validate(models.Appartenance, df)
    return nom.cache["membership"]


def relations(nomenclature: Nomenclature) -> list[tuple[Cell, tuple[Cell, ...]]]:
    """parent = Σ children, for every total of the branch table (emplois included)."""
    nom = nomenclature
    rel: list[tuple[Cell, tuple[Cell, ...]]] = []
    for code in nom.metiers["code_metier"]:
        lines = nom.lignes_du_metier(code)
        if len(lines) > 1:
            rel.append(((Level.METIER, code), tuple((Level.EMPLOI, k) for k in lines["cle"])))
    groups = []
    for numero, groupe in nom.groupes:
        families = list(nom.familles_du_groupe(groupe)["code_famille"])
        for f in families:
            rel.append(((Level.FAMILLE, f), tuple((Level.METIER, c) for c in nom.metiers_de(f)["code_metier"])))
        rel.append(((Level.GROUPE, numero), tuple((Level.FAMILLE, f) for f in families)))
        groups.append((Level.GROUPE, numero))
    rel.append(((Level.VENTILES, ""), tuple(groups)))
    rel.append(((Level.BRANCHE, ""), ((Level.VENTILES, ""), (Level.NON_VENTILES, KEY_NV))))
    return [((str(p[0]), p[1]), tuple((str(n), c) for n, c in ch)) for p, ch in rel]
