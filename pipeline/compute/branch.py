"""The branch table: accepted figures (long form) in, table 1.4 of the cartography out.

Entry point: :func:`branch_table`. Every cell of the table — emploi, métier, family, group,
ventilated, not ventilated, branch — is one group-by over the figures joined with the membership of
each row key (:func:`pipeline.core.layout.membership`), for every measure and category at once; the
result is checked against the table's invariants before anyone writes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import compress

import numpy as np
import pandas as pd

from ..core import models
from ..core.breakdowns import ETP, ETP_COVERED
from ..core.columns import column_values
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
        c = self.contributions
        part = _kept(c, (c["mesure"] == mesure) & (c["categorie"] == categorie))
        rows = self.rows if emplois else self.rows[self.rows["niveau"] != Level.EMPLOI]
        # Summed on integer codes, as the contributions were: a pivot table of their texts would hold some 30 MB
        # of group keys at 10,000 companies.
        levels, level_names = pd.factorize(part["niveau"])
        codes, code_names = pd.factorize(part["code"])
        row_of = {pair: i for i, pair in enumerate(zip(rows["niveau"], rows["code"]))}
        cell_row = np.array([row_of.get((lv, code), -1) for lv in level_names for code in code_names], dtype=np.int64)
        row = cell_row[levels * len(code_names) + codes]
        del levels, codes
        column = pd.Index(self.companies).get_indexer(part["societe"])
        found = (row >= 0) & (column >= 0)
        values = np.zeros((len(rows), len(self.companies)))
        np.add.at(values, (row[found], column[found]), part["valeur"].to_numpy(dtype=float)[found])
        wide = pd.DataFrame(values, index=pd.MultiIndex.from_frame(rows[["niveau", "code"]]),
                            columns=pd.Index(list(self.companies), name="societe"))
        return wide.round().astype(int) if mesure == EFFECTIF else wide

    def headcount(self) -> Branch:
        """The branch table of the headcount alone (no ETP, no breakdown)."""
        t, c = self.table, self.contributions
        return Branch(self.rows, _kept(t, (t["mesure"] == EFFECTIF) & (t["categorie"] == TOUT)),
                      _kept(c, (c["mesure"] == EFFECTIF) & (c["categorie"] == TOUT)), self.companies)

    def counts(self) -> Branch:
        """The branch table of the headcount, every category (no ETP): what the published edition shows."""
        t, c = self.table, self.contributions
        return Branch(self.rows, _kept(t, t["mesure"] == EFFECTIF), _kept(c, c["mesure"] == EFFECTIF), self.companies)

    def total(self, mesure: str = EFFECTIF, categorie: str = TOUT) -> float:
        t = self.table
        hit = t[(t["niveau"] == Level.BRANCHE) & (t["mesure"] == mesure) & (t["categorie"] == categorie)]
        return float(hit["valeur"].sum())


def _kept(frame: pd.DataFrame, rows: pd.Series) -> pd.DataFrame:
    """The ``rows`` of ``frame``, indexed 0..n-1: ``frame`` itself when they are all of it (a campaign without
    breakdowns nor ETP), not a copy of every company's contributions (some 25 MB at 10,000 companies)."""
    mask = rows.to_numpy(dtype=bool)
    return (frame if mask.all() else frame[mask]).reset_index(drop=True)


def _contributions(figures: pd.DataFrame, cells: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each company's part of each cell (:class:`~pipeline.core.models.Contributions`), sorted by cell, company,
    measure and category; and each cell's sum (KEYS, ``valeur``, ``nb_societes``: the companies with a part).

    Every figure adds to one cell per level. The sums are made on integer codes (each text numbered in its sorted
    order, so that the codes sort as the texts do), never on the texts: ten thousand companies' figures are some
    two million (cell, company, measure, category) additions, which group-bys on text columns would hold many
    times over. A zero adds nothing to a cell nor to its number of companies: left out (an empty cell of every
    return is a zero). A figure of a row key in no cell (the declared total) adds to none. Nothing of
    ``figures`` is copied; each working array is let go as soon as used (3 MB each at 10,000 companies)."""
    valeur = figures["valeur"].to_numpy(dtype=float)
    societe, companies = pd.factorize(figures["societe"], sort=True)
    mesure, measures = pd.factorize(figures["mesure"], sort=True)
    categorie, categories = pd.factorize(figures["categorie"], sort=True)
    per_measure = max(len(categories), 1)
    per_company = max(len(measures), 1) * per_measure
    width = len(companies) * per_company
    # Each figure's (company, measure, category), in the order of their texts: one number per figure.
    base = societe * per_company + mesure * per_measure + categorie
    del societe, mesure, categorie
    cle, keys = pd.factorize(figures["cle"])
    pairs = sorted(set(zip(cells["niveau"], cells["code"])))
    rank = {pair: i for i, pair in enumerate(pairs)}
    key_index = {k: i for i, k in enumerate(keys)}
    found, sums = [], []
    for niveau, level in cells.groupby("niveau", sort=False):  # one level at a time: its cells hold each figure once
        cell_of = np.full(len(keys), -1, dtype=np.int64)   # each row key's cell at this level (-1: none)
        for k, code in zip(level["cle"], level["code"]):
            if k in key_index:
                cell_of[key_index[k]] = rank[(niveau, code)]
        cell = cell_of[cle]
        kept = (cell >= 0) & (valeur != 0)
        code = cell[kept]
        del cell
        code *= width
        code += base[kept]
        codes, where = np.unique(code, return_inverse=True)
        del code
        found.append(codes)
        sums.append(np.bincount(where, weights=valeur[kept], minlength=len(codes)))
        del where
    del base, cle
    order = np.argsort(np.concatenate(found), kind="stable")
    found, sums = np.concatenate(found)[order], np.concatenate(sums)[order]
    del order
    cell, rest = np.divmod(found, width)
    del found
    company, by_measure = np.divmod(rest, per_company)
    del rest
    levels, row_codes = [n for n, _ in pairs], [c for _, c in pairs]

    def texts(cell: np.ndarray, measure: np.ndarray) -> dict[str, pd.Series]:
        """The texts of (cell, measure and category) codes: niveau, code, mesure, categorie."""
        return {"niveau": _texts(levels, cell), "code": _texts(row_codes, cell),
                "mesure": _texts(measures, measure // per_measure),
                "categorie": _texts(categories, measure % per_measure)}

    totals, at = np.unique(cell * per_company + by_measure, return_inverse=True)
    table = pd.DataFrame({**texts(*np.divmod(totals, per_company)),
                          "valeur": np.bincount(at, weights=sums, minlength=len(totals)).astype(float, copy=False),
                          "nb_societes": np.bincount(at[sums > 0], minlength=len(totals)).astype(int, copy=False)})
    del at
    contributions = pd.DataFrame(texts(cell, by_measure), copy=False)
    del cell, by_measure
    contributions.insert(2, "societe", _texts(companies, company))
    contributions["valeur"] = sums.astype(float, copy=False)
    return contributions, table


def _texts(uniques, codes: np.ndarray) -> pd.Series:
    """The texts of the codes: a column referencing ``uniques``'s strings."""
    return pd.Series(np.asarray(uniques, dtype=object)[codes], dtype=str)


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
    contributions, sums = _contributions(figures, membership(nomenclature))
    models.validate(models.Contributions, contributions)
    # The measures and categories given, in the order met, and the companies: read along the columns, not copied.
    in_cells = counted.to_numpy()  # one byte a row, read twice
    given_as = compress(zip(column_values(figures["mesure"]), column_values(figures["categorie"])), in_cells)
    measures = pd.DataFrame(list(dict.fromkeys(given_as)), columns=["mesure", "categorie"])
    if measures.empty:
        measures = pd.DataFrame({"mesure": [EFFECTIF], "categorie": [TOUT]})
    skeleton = rows[["niveau", "code"]].merge(measures, how="cross")
    table = skeleton.merge(sums, on=KEYS, how="left")
    table["valeur"] = table["valeur"].fillna(0.0).astype(float)
    table["nb_societes"] = table["nb_societes"].fillna(0).astype(int)
    branch = table[table["niveau"] == Level.BRANCHE].set_index(["mesure", "categorie"])["valeur"]
    whole = pd.Series([branch.get((m, c), 0.0) for m, c in zip(table["mesure"], table["categorie"])],
                      index=table.index)
    table["pourcentage"] = (table["valeur"] / whole.where(whole > 0)).fillna(0.0)
    table = table[["niveau", "code", "mesure", "categorie", "valeur", "pourcentage", "nb_societes"]]
    models.check_tableau(table, rows)
    companies = tuple(sorted(set(compress(column_values(figures["societe"]), in_cells))))
    return Branch(rows, table, contributions, companies)
