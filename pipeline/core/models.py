"""The contracts between the stages: one pandera ``DataFrameModel`` per frame passed on.

Read this file to know what each stage promises the next. Data between stages is in **long form**: one row
per (campaign, company, row key, measure, category) and one value, so that a new measure or breakdown is more
``mesure`` / ``categorie`` values, not more columns. Wide tables exist only inside the writers.

Column names are the domain's own French words, the same as in the files users edit (``societe``,
``code_metier``, ``cle``…); the SQL schema of the history is private to :mod:`pipeline.store.history`.
Each check has a ``name`` that the text catalogue turns into what the user reads. The job-title assistant's
contracts are in :mod:`pipeline.core.models_titles`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import DataFrame, Series

from . import pandera_speed  # noqa: F401 (importing it makes pandera's passing dtype checks cheap)
from .numeric import numbers_in
from .vocab import Level, Severity, Status

__all__ = ["DataFrame", "validate"]

CODE_METIER = r"^\d{4}$"
CODE_FAMILLE = r"^\d{2}$"
# A headcount above this in a single line of one company is taken for a typing error.
EFFECTIF_MAX_PAR_LIGNE = 100_000


class _Model(pa.DataFrameModel):
    class Config:
        strict = False
        coerce = False


def validate(model: type[pa.DataFrameModel], df: pd.DataFrame) -> pd.DataFrame:
    """``df`` checked against ``model`` (as it is: no model coerces); a failure is our bug, not the user's."""
    try:
        return model.validate(df, lazy=True, inplace=True)
    except pa.errors.SchemaErrors as err:
        raise RuntimeError(f"{model.__name__} contract broken:\n{err.failure_cases.head(20)}") from err


def _not_blank(v: object) -> bool:
    return isinstance(v, str) and v.strip() != ""


# ---------------------------------------------------------------------------------------------
# The nomenclature, as the observatory edits it (indexed by the CSV line, so a failure names it)
# ---------------------------------------------------------------------------------------------


class FamillesCsv(_Model):
    code_famille: Series[str] = pa.Field(unique=True)
    groupe: Series[str]
    intitule_famille: Series[str]

    @pa.check("code_famille", element_wise=True, name="nomenclature.code_famille")
    def _code(cls, v) -> bool:
        return isinstance(v, str) and len(v) == 2 and v.isdigit()

    @pa.check("groupe", "intitule_famille", element_wise=True, name="nomenclature.texte_requis")
    def _text(cls, v) -> bool:
        return _not_blank(v)


class MetiersCsv(_Model):
    code_metier: Series[str] = pa.Field(unique=True)
    code_famille: Series[str]
    intitule_metier: Series[str]
    emplois_rattaches: Series[str]
    mission: Series[str]
    autres_denominations: Series[str]
    rattachements_hierarchiques: Series[str]

    @pa.check("code_metier", element_wise=True, name="nomenclature.code_metier")
    def _code(cls, v) -> bool:
        return isinstance(v, str) and len(v) == 4 and v.isdigit()

    @pa.check("code_famille", element_wise=True, name="nomenclature.code_famille")
    def _family(cls, v) -> bool:
        return isinstance(v, str) and len(v) == 2 and v.isdigit()

    @pa.check("intitule_metier", element_wise=True, name="nomenclature.texte_requis")
    def _text(cls, v) -> bool:
        return _not_blank(v)

    @pa.dataframe_check(name="nomenclature.code_prefixe_famille")
    def _prefix(cls, df: pd.DataFrame) -> Series[bool]:
        return df["code_metier"].str[:2] == df["code_famille"]


class Lignes(_Model):
    """The rows to fill in a template, one per métier — or one per emploi rattaché of a métier split
    into several (``0101-1``, ``0101-2``)."""

    cle: Series[str] = pa.Field(unique=True)
    code_metier: Series[str] = pa.Field(str_matches=CODE_METIER)
    rang_emploi: Series[int] = pa.Field(ge=0)          # 0 when the métier is not split
    intitule_emploi: Series[str]


# ---------------------------------------------------------------------------------------------
# Checking returned workbooks
# ---------------------------------------------------------------------------------------------


class Saisies(_Model):
    """Every input cell read from every returned workbook of a batch, *raw*: ``brut`` is what the cell holds, ``nombre``
    the number it stands for (text such as " 12 " converted, a formula's stored result), or the raw value itself when
    not a number — so that each case fails exactly one check below. Indexed 0..n-1: a failure names its cell."""

    fichier: Series[str]
    societe: Series[str]
    feuille: Series[str]
    cellule: Series[str]
    cle: Series[str]
    mesure: Series[str]
    categorie: Series[str]
    brut: Series[object] = pa.Field(nullable=True)
    nombre: Series[object] = pa.Field(nullable=True)

    @pa.check("nombre", name="valeur.texte", ignore_na=False)
    def _is_number(cls, s: Series[object]) -> Series[bool]:
        numeric, _, nothing = numbers_in(s)
        return pd.Series(numeric | nothing, index=s.index)

    @pa.check("nombre", name="valeur.decimale", ignore_na=False)
    def _whole(cls, s: Series[object]) -> Series[bool]:
        numeric, figures, _ = numbers_in(s)
        return pd.Series(~numeric | (figures == np.floor(figures)), index=s.index)

    @pa.check("nombre", name="valeur.negative", ignore_na=False)
    def _positive(cls, s: Series[object]) -> Series[bool]:
        numeric, figures, _ = numbers_in(s)
        return pd.Series(~numeric | (figures >= 0), index=s.index)

    @pa.check("nombre", name="valeur.invraisemblable", ignore_na=False)
    def _plausible(cls, s: Series[object]) -> Series[bool]:
        numeric, figures, _ = numbers_in(s)
        return pd.Series(~numeric | (figures <= EFFECTIF_MAX_PAR_LIGNE), index=s.index)


class Commentaires(_Model):
    """What HR wrote beside the figures: the Commentaire column of a row, or a note on a cell."""

    fichier: Series[str]
    societe: Series[str]
    feuille: Series[str]
    cellule: Series[str]
    cle: Series[str]
    texte: Series[str]
    source: Series[str] = pa.Field(isin=["colonne", "note"])


class Declarations(_Model):
    """One row per readable return: its declared total and the recomputed ones."""

    fichier: Series[str]
    feuille: Series[str]
    cellule_total: Series[str]
    total_declare: Series[object] = pa.Field(nullable=True)
    ventiles: Series[int]
    non_ventiles: Series[int]

    @pa.dataframe_check(name="total.vide")
    def _declared(cls, df: pd.DataFrame) -> Series[bool]:
        return df["total_declare"].notna() | (df["ventiles"] + df["non_ventiles"] == 0)

    @pa.dataframe_check(name="total.ecart")
    def _gap(cls, df: pd.DataFrame) -> Series[bool]:
        return df["total_declare"].isna() | (df["total_declare"] == df["ventiles"] + df["non_ventiles"])

    @pa.dataframe_check(name="total.aucun_effectif")
    def _something(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["ventiles"] + df["non_ventiles"] > 0) | df["total_declare"].fillna(0).gt(0)


class Messages(_Model):
    """What the checks found: a catalogue code and its parameters, where, and how serious."""

    fichier: Series[str]
    societe: Series[str]
    feuille: Series[str]
    cellule: Series[str]
    cle: Series[str]
    gravite: Series[str] = pa.Field(isin=[s.value for s in Severity])
    code: Series[str]
    params: Series[object]


class Fichiers(_Model):
    """One row per entry of the input folder: what it became."""

    fichier: Series[str]
    societe: Series[str]
    statut: Series[str] = pa.Field(isin=[s.value for s in Status])
    erreurs: Series[int] = pa.Field(ge=0)
    avertissements: Series[int] = pa.Field(ge=0)


class Chiffres(_Model):
    """Accepted figures, long form: one value per (campaign, company, row key, measure, category).

    Row keys are the template's (``0102``, ``0101-1``, ``NV``, ``TOTAL`` for the declared total)."""

    campagne: Series[str]
    societe: Series[str]
    cle: Series[str]
    mesure: Series[str]
    categorie: Series[str]
    valeur: Series[float] = pa.Field(ge=0)

    @pa.dataframe_check(name="chiffres.unique")
    def _unique(cls, df: pd.DataFrame) -> Series[bool]:
        return ~df.duplicated(["campagne", "societe", "cle", "mesure", "categorie"])


# ---------------------------------------------------------------------------------------------
# The branch table
# ---------------------------------------------------------------------------------------------


class LignesTableau(_Model):
    """The rows of the branch table, in the order of table 1.4, from the nomenclature alone."""

    niveau: Series[str] = pa.Field(isin=[lv.value for lv in Level])
    code: Series[str]
    libelle: Series[str]
    code_famille: Series[str]
    groupe: Series[str]


class Appartenance(_Model):
    """Which cells of the branch table each row key of a template adds to."""

    cle: Series[str]
    niveau: Series[str]
    code: Series[str]


class Contributions(_Model):
    """Each company's part of each cell of the branch table (long form)."""

    niveau: Series[str]
    code: Series[str]
    societe: Series[str]
    mesure: Series[str]
    categorie: Series[str]
    valeur: Series[float] = pa.Field(ge=0)


def _sums_match(df: pd.DataFrame, rows: pd.DataFrame, parent: str, child: str, by: str) -> bool:
    meta = rows.set_index(["niveau", "code"])[by]
    keyed = df.assign(_by=[meta.get((n, c), "") for n, c in zip(df["niveau"], df["code"])])
    parents = keyed[keyed["niveau"] == parent].groupby(["mesure", "categorie", "_by"])["valeur"].sum()
    children = keyed[keyed["niveau"] == child].groupby(["mesure", "categorie", "_by"])["valeur"].sum()
    return bool(parents.sub(children.reindex(parents.index).fillna(-1)).abs().lt(1e-6).all())


class Tableau(_Model):
    """The branch table, long form: per cell (niveau, code) and per (mesure, categorie), the value,
    its share of the branch and the number of companies with a non-zero value.

    Its invariants (family = Σ métiers, group = Σ families, ventilated = Σ groups, branch =
    ventilated + not ventilated, shares adding up to 100 %) are checked by :func:`check_tableau`."""

    niveau: Series[str] = pa.Field(isin=[lv.value for lv in Level])
    code: Series[str]
    mesure: Series[str]
    categorie: Series[str]
    valeur: Series[float] = pa.Field(ge=0)
    pourcentage: Series[float] = pa.Field(ge=0, le=1)
    nb_societes: Series[int] = pa.Field(ge=0)


def check_tableau(table: pd.DataFrame, rows: pd.DataFrame) -> None:
    """The arithmetic of table 1.4, for every measure and category; a failure is our bug."""
    validate(Tableau, table)
    problems = []
    if not _sums_match(table, rows, Level.FAMILLE, Level.METIER, "code_famille"):
        problems.append("family sub-totals")
    if not _sums_match(table, rows, Level.GROUPE, Level.FAMILLE, "groupe"):
        problems.append("group totals")
    for (mesure, categorie), part in table.groupby(["mesure", "categorie"]):
        by = part.groupby("niveau")["valeur"].sum()
        if not math.isclose(by.get(Level.VENTILES, 0), by.get(Level.GROUPE, 0), abs_tol=1e-6):
            problems.append(f"ventilated total ({mesure}, {categorie})")
        if not math.isclose(by.get(Level.BRANCHE, 0), by.get(Level.VENTILES, 0) + by.get(Level.NON_VENTILES, 0),
                            abs_tol=1e-6):
            problems.append(f"branch total ({mesure}, {categorie})")
        shares = part.loc[part["niveau"].isin([Level.METIER, Level.NON_VENTILES]), "pourcentage"].sum()
        if by.get(Level.BRANCHE, 0) > 0 and not math.isclose(shares, 1.0, abs_tol=1e-9):
            problems.append(f"shares add up to {shares} ({mesure}, {categorie})")
    if problems:
        raise RuntimeError("branch table breaks its invariants: " + ", ".join(problems))


class Evolutions(_Model):
    """Comparison of each cell of the branch table with the previous campaign."""

    niveau: Series[str]
    code: Series[str]
    mesure: Series[str]
    categorie: Series[str]
    valeur: Series[float]                                  # N, of the companies compared
    valeur_n1: Series[float] = pa.Field(nullable=True)
    variation: Series[float] = pa.Field(nullable=True)
    variation_pct: Series[float] = pa.Field(nullable=True)
    note: Series[str]


class CellulesSecret(_Model):
    """Each cell of the published edition (every measure and category) with what the confidentiality rules
    look at, why it is masked, and — for a masked cell — the intervals an outsider and the strongest insider
    (a company or holding group using its own figures) can infer, against what they had to be."""

    niveau: Series[str]
    code: Series[str]
    mesure: Series[str]
    categorie: Series[str]
    effectif: Series[int] = pa.Field(ge=0)
    nb_societes: Series[int] = pa.Field(ge=0)
    nb_unites: Series[int] = pa.Field(ge=0)        # companies, a holding group counting once
    part_max: Series[float] = pa.Field(ge=0, le=1)  # the largest unit's share
    motif: Series[str]                             # "" when published
    societes_publiees: Series[bool]                # whether the number of companies is published
    bas: Series[float] = pa.Field(nullable=True)   # the outsider's interval (masked cells)
    haut: Series[float] = pa.Field(nullable=True)
    requis: Series[float] = pa.Field(nullable=True)  # the deviation the outsider had to find feasible
    initie: Series[str]                            # the strongest insider (unit), "" when none
    bas_initie: Series[float] = pa.Field(nullable=True)
    haut_initie: Series[float] = pa.Field(nullable=True)
    requis_initie: Series[float] = pa.Field(nullable=True)
    protege: Series[str]                           # for a secondary cell: the primary cells it protects


# ---------------------------------------------------------------------------------------------
# The history and the campaign's state
# ---------------------------------------------------------------------------------------------


class Soumissions(_Model):
    """Every recorded submission of a campaign, in the order it arrived."""

    id: Series[int]
    societe: Series[object] = pa.Field(nullable=True)
    fichier: Series[str]
    sha256: Series[str]
    recu_le: Series[str]
    integre_le: Series[str]
    statut: Series[str] = pa.Field(isin=[s.value for s in Status])
    total_declare: Series[float] = pa.Field(nullable=True)
    messages: Series[str]
    arrivee: Series[int] = pa.Field(ge=1)      # order of its latest arrival


class Retenues(_Model):
    """The submissions a consolidation is made of: each expected company's latest accepted one."""
    identifiant: Series[str] = pa.Field(unique=True)
    fichier: Series[str]
    soumission: Series[int] = pa.Field(unique=True)
    recu_le: Series[str]
    total_declare: Series[float] = pa.Field(nullable=True)


class CommentairesRetenus(_Model):
    """HR's comments in the submissions retained (:class:`Commentaires`, from the history)."""
    soumission: Series[int]
    societe: Series[str]
    cle: Series[str]
    cellule: Series[str]
    source: Series[str] = pa.Field(isin=["colonne", "note"])
    texte: Series[str]


class Taches(_Model):
    """The secretary's own tasks (« À régler »): a :class:`~.vocab.Task`, the company ("" if none), its files."""
    tache: Series[str]
    societe: Series[str]
    fichiers: Series[object]


class Suivi(_Model):
    """The dashboard: one row per expected company."""

    identifiant: Series[str]
    raison_sociale: Series[str]
    statut: Series[str]
    fichiers_recus: Series[int] = pa.Field(ge=0)
    dernier_fichier: Series[str]
    recu_le: Series[str]
    en_retard: Series[bool]
    soumission_retenue: Series[str]
    contact: Series[str]
    email: Series[str]
