"""The branch table: accepted figures (long form) in, table 1.4 of the cartography out.

Entry point: :func:`branch_table`. Every cell of the table — emploi, métier, family, group,
ventilated, not ventilated, branch — is one group-by over the figures joined with the membership of
each row key (:func:`pipeline.core.layout.membership`), for every measure and category at once; the
result is checked against the table's invariants before anyone writes it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core import models
from ..core.breakdowns import ETP, ETP_COVERED
from ..core.form import KEY_TOTAL
from ..core.layout import membership, table_rows
from ..core.models import DataFrame
from ..core.nomenclature import Nomenclature
from ..core.vocab import EFFECTIF, TOUT, Level

KEYS = ["niveau", "code", "mesure", "categorie"]


@dataclass(frozen=True)
class Branch:
    """The branch table of a set of companies' figures."""

    rows: DataFrame[models.LignesTableau]           # the table's rows, in order
    table: DataFrame[models.Tableau]                # value, share and companies per cell, measure, category
    contributions: DataFrame[models.Contributions]  # each company's part of each cell
    companies: tuple[str, ...]   # the companies whose figures are in it

    def wide(self, mesure: str = EFFECTIF, categorie: str = TOUT, emplois: bool = False) -> pd.DataFrame:
        """The rows with ``effectif`` (the value), ``pourcentage`` and ``nb_societes`` of one measure and
        category, in table order; without the emploi rows unless ``emplois``."""
        part = self.table[(self.table["mesure"] == mesure) & (self.table["categorie"] == categorie)]
        out = self.rows.merge(part[["niveau", "code", "valeur", "pourcentage", "nb_societes"]],
                              on=["niveau", "code"], how="left")
        out["effectif"] = out["valeur"].fillna(0).round().astype(int) if mesure == EFFECTIF else \
            out["valeur"].fillna(0.0)
        out["pourcentage"] = out["pourcentage"].fillna(0.0)
        out["nb_societes"] = out["nb_societes"].fillna(0).astype(int)
        out = out.drop(columns="valeur")
        if not emplois:
            out = out[out["niveau"] != Level.EMPLOI]
        return out.reset_index(drop=True)

    def matrix(self, mesure: str = EFFECTIF, categorie: str = TOUT, emplois: bool = False) -> pd.DataFrame:
        """Each company's value per row (index: niveau, code, in table order; one column per company)."""
        part = self.contributions[(self.contributions["mesure"] == mesure)
                                  & (self.contributions["categorie"] == categorie)]
        rows = self.rows if emplois else self.rows[self.rows["niveau"] != Level.EMPLOI]
        index = pd.MultiIndex.from_frame(rows[["niveau", "code"]])
        wide = part.pivot_table(index=["niveau", "code"], columns="societe", values="valeur", aggfunc="sum")
        wide = wide.reindex(index=index, columns=list(self.companies)).fillna(0)
        return wide.round().astype(int) if mesure == EFFECTIF else wide

    def headcount(self) -> Branch:
        """The branch table of the headcount alone (no ETP, no breakdown)."""
        t, c = self.table, self.contributions
        return Branch(self.rows, t[(t["mesure"] == EFFECTIF) & (t["categorie"] == TOUT)].reset_index(drop=True),
                      c[(c["mesure"] == EFFECTIF) & (c["categorie"] == TOUT)].reset_index(drop=True), self.companies)

    def counts(self) -> Branch:
        """The branch table of the headcount, every category (no ETP): what the published edition shows."""
        t, c = self.table, self.contributions
        return Branch(self.rows, t[t["mesure"] == EFFECTIF].reset_index(drop=True),
                      c[c["mesure"] == EFFECTIF].reset_index(drop=True), self.companies)

    def total(self, mesure: str = EFFECTIF, categorie: str = TOUT) -> float:
        t = self.table
        hit = t[(t["niveau"] == Level.BRANCHE) & (t["mesure"] == mesure) & (t["categorie"] == categorie)]
        return float(hit["valeur"].sum())


def _contributions(figures: pd.DataFrame, cells: pd.DataFrame) -> pd.DataFrame:
    """Each company's part of each cell (:class:`~pipeline.core.models.Contributions`), sorted by cell, company,
    measure and category. Every figure adds to one cell per level; the sums are made on integer codes (each text
    numbered in its sorted order, so that the codes sort as the texts do), never on the texts themselves: ten
    thousand companies' figures are some two million (cell, company, measure, category) additions, which a
    group-by on five text columns would hold many times over. A zero adds nothing to a cell nor to its number
    of companies: left out (an empty cell of every return is a zero). A figure of a row key in no cell (the
    declared total) adds to none. Nothing of ``figures`` is copied."""
    valeur = figures["valeur"].to_numpy(dtype=float)
    societe, companies = pd.factorize(figures["societe"], sort=True)
    mesure, measures = pd.factorize(figures["mesure"], sort=True)
    categorie, categories = pd.factorize(figures["categorie"], sort=True)
    cle, keys = pd.factorize(figures["cle"])
    pairs = sorted(set(zip(cells["niveau"], cells["code"])))
    rank = {pair: i for i, pair in enumerate(pairs)}
    key_index = {k: i for i, k in enumerate(keys)}
    by_measure = mesure * len(categories) + categorie       # (measure, category), in the order of their texts
    per_company = len(measures) * len(categories)
    width = len(companies) * per_company
    found, sums = [], []
    for niveau, level in cells.groupby("niveau", sort=False):  # one level at a time: its cells hold each figure once
        cell_of = np.full(len(keys), -1, dtype=np.int64)   # each row key's cell at this level (-1: none)
        for k, code in zip(level["cle"], level["code"]):
            if k in key_index:
                cell_of[key_index[k]] = rank[(niveau, code)]
        cell = cell_of[cle]
        kept = (cell >= 0) & (valeur != 0)
        codes, where = np.unique(cell[kept] * width + societe[kept] * per_company + by_measure[kept], return_inverse=True)
        found.append(codes)
        sums.append(np.bincount(where, weights=valeur[kept], minlength=len(codes)))
    order = np.argsort(np.concatenate(found), kind="stable")
    found, sums = np.concatenate(found)[order], np.concatenate(sums)[order]
    cell, rest = np.divmod(found, width)
    company, by_measure = np.divmod(rest, per_company)
    texts = {"niveau": (np.array([n for n, _ in pairs], dtype=object), cell),
             "code": (np.array([c for _, c in pairs], dtype=object), cell),
             "societe": (np.asarray(companies, dtype=object), company),
             "mesure": (np.asarray(measures, dtype=object), by_measure // max(len(categories), 1)),
             "categorie": (np.asarray(categories, dtype=object), by_measure % max(len(categories), 1))}
    return pd.DataFrame({**{name: pd.Series(uniques[codes], dtype=str) for name, (uniques, codes) in texts.items()},
                         "valeur": sums.astype(float, copy=False)})


def branch_table(nomenclature: Nomenclature, chiffres: DataFrame[models.Chiffres]) -> Branch:
    """The branch table of ``chiffres`` (:class:`~pipeline.core.models.Chiffres`) in ``nomenclature``."""
    rows = table_rows(nomenclature)
    figures, counted = chiffres, chiffres["cle"] != KEY_TOTAL  # the declared total is in no cell (no copy made)
    given = figures.loc[counted & (figures["mesure"] == ETP), ["societe", "cle"]]
    if len(given):  # what the ETP are a share of: the headcount of the rows where they are given
        head = figures[counted & (figures["mesure"] == EFFECTIF) & (figures["categorie"] == TOUT)]
        figures = pd.concat([figures, head.merge(given, on=["societe", "cle"]).assign(mesure=ETP_COVERED)],
                            ignore_index=True)
        counted = figures["cle"] != KEY_TOTAL
    contributions = models.validate(models.Contributions, _contributions(figures, membership(nomenclature)))
    measures = figures.loc[counted, ["mesure", "categorie"]].drop_duplicates()
    if measures.empty:
        measures = pd.DataFrame({"mesure": [EFFECTIF], "categorie": [TOUT]})
    skeleton = rows[["niveau", "code"]].merge(measures, how="cross")
    by_cell = [contributions[k] for k in KEYS]
    sums = pd.DataFrame({"valeur": contributions["valeur"].groupby(by_cell).sum(),
                         "nb_societes": (contributions["valeur"] > 0).groupby(by_cell).sum()})
    table = skeleton.merge(sums.reset_index(), on=KEYS, how="left")
    table["valeur"] = table["valeur"].fillna(0.0).astype(float)
    table["nb_societes"] = table["nb_societes"].fillna(0).astype(int)
    branch = table[table["niveau"] == Level.BRANCHE].set_index(["mesure", "categorie"])["valeur"]
    whole = pd.Series([branch.get((m, c), 0.0) for m, c in zip(table["mesure"], table["categorie"])],
                      index=table.index)
    table["pourcentage"] = (table["valeur"] / whole.where(whole > 0)).fillna(0.0)
    table = table[["niveau", "code", "mesure", "categorie", "valeur", "pourcentage", "nb_societes"]]
    models.check_tableau(table, rows)
    companies = tuple(sorted(figures.loc[counted, "societe"].unique()))
    return Branch(rows, table, contributions, companies)
