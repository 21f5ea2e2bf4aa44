"""The pandera contracts between the stages, and the French meaning of each check.

Read this file to know what each stage promises the next one:

- ``FAMILLES`` / ``METIERS``: the nomenclature as the observatory edits it (one row per CSV line,
  indexed by the CSV line number so that a failure names the line).
- ``SAISIES``: every input cell read from every returned workbook, *raw* (before any type
  conversion), one long frame for the whole batch, indexed so that a failure names the cell.
- ``DECLARATIONS``: one row per returned workbook with its recomputed totals.
- ``EFFECTIFS``: the accepted figures handed to the consolidation (whole numbers ≥ 0).
- ``TABLEAU_BRANCHE``: the branch table; its checks are the arithmetic invariants of table 1.4.

Each check has a ``name``; ``MESSAGES`` turns that name into what the user reads.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers

import pandas as pd
import pandera.pandas as pa

# A headcount above this in a single line of one company is taken for a typing error.
EFFECTIF_MAX_PAR_LIGNE = 100_000

CODE_METIER = r"^\d{4}$"
CODE_FAMILLE = r"^\d{2}$"


def Text(*checks, **kwargs) -> pa.Column:
    """A text column. Coercion text -> text is lossless (pandas 3 stores text as its own dtype)."""
    return pa.Column(str, list(checks), coerce=True, **kwargs)


def _not_blank(value: object) -> bool:
    return isinstance(value, str) and value.strip() != ""


# ---------------------------------------------------------------------------------------------
# Nomenclature
# ---------------------------------------------------------------------------------------------

FAMILLES = pa.DataFrameSchema(
    {
        "code_famille": Text(pa.Check.str_matches(CODE_FAMILLE, error="code_famille_format"), unique=True
        ),
        "groupe": Text(pa.Check(_not_blank, element_wise=True, name="texte_requis")),
        "intitule_famille": Text(pa.Check(_not_blank, element_wise=True, name="texte_requis")
        ),
    },
    strict=False,
    name="familles",
)

METIERS = pa.DataFrameSchema(
    {
        "code_metier": Text(pa.Check.str_matches(CODE_METIER, error="code_metier_format"), unique=True
        ),
        "code_famille": Text(pa.Check.str_matches(CODE_FAMILLE, error="code_famille_format")),
        "intitule_metier": Text(pa.Check(_not_blank, element_wise=True, name="texte_requis")
        ),
        "emplois_rattaches": Text(),
        "mission": Text(),
        "autres_denominations": Text(),
        "rattachements_hierarchiques": Text(),
    },
    checks=[
        pa.Check(
            lambda df: df["code_metier"].str[:2] == df["code_famille"],
            name="code_prefixe_famille",
        ),
    ],
    strict=False,
    name="metiers",
)

# ---------------------------------------------------------------------------------------------
# Ingestion: raw input cells, checked before any conversion
# ---------------------------------------------------------------------------------------------


def _is_number(v: object) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool) and math.isfinite(v)


def valeur_est_nombre(v: object) -> bool:
    """Blank, a number, or text that reads as a number (the reader puts that in ``nombre``)."""
    return v is None or _is_number(v)


def valeur_entiere(v: object) -> bool:
    return not _is_number(v) or float(v).is_integer()


def valeur_positive(v: object) -> bool:
    return not _is_number(v) or v >= 0


def valeur_plausible(v: object) -> bool:
    return not _is_number(v) or v <= EFFECTIF_MAX_PAR_LIGNE


SAISIES = pa.DataFrameSchema(
    {
        # ``brut`` is what the cell holds; ``nombre`` is the number read from it (text such as
        # " 12 " converted), or the raw value itself when it is not a number, so that the checks
        # below see every case and each case fails exactly one check.
        "nombre": pa.Column(
            object,
            [
                pa.Check(valeur_est_nombre, element_wise=True, name="nombre_attendu"),
                pa.Check(valeur_entiere, element_wise=True, name="nombre_entier"),
                pa.Check(valeur_positive, element_wise=True, name="nombre_positif"),
                pa.Check(valeur_plausible, element_wise=True, name="nombre_plausible"),
            ],
            nullable=True,
        ),
        "cle": Text(),
        "fichier": Text(),
        "cellule": Text(),
    },
    strict=False,
    name="saisies",
)

DECLARATIONS = pa.DataFrameSchema(
    {
        "fichier": Text(),
        "total_declare": pa.Column(object, nullable=True),
        "ventiles": pa.Column(int),
        "non_ventiles": pa.Column(int),
    },
    checks=[
        pa.Check(
            lambda df: df["total_declare"].notna() | (df["ventiles"] + df["non_ventiles"] == 0),
            name="total_declare_manquant",
        ),
        pa.Check(
            lambda df: df["total_declare"].isna()
            | (df["total_declare"] == df["ventiles"] + df["non_ventiles"]),
            name="total_declare_ecart",
        ),
        pa.Check(
            lambda df: (df["ventiles"] + df["non_ventiles"] > 0) | df["total_declare"].fillna(0).gt(0),
            name="aucun_effectif",
        ),
    ],
    strict=False,
    name="declarations",
)

# ---------------------------------------------------------------------------------------------
# Accepted figures -> consolidation
# ---------------------------------------------------------------------------------------------

EFFECTIFS = pa.DataFrameSchema(
    {
        "societe": Text(),
        "cle": Text(),
        "code_metier": Text(pa.Check.str_matches(r"^(\d{4}|NV)$")),
        "rang_emploi": pa.Column(int, pa.Check.ge(0)),
        "effectif": pa.Column(int, [pa.Check.ge(0), pa.Check.le(EFFECTIF_MAX_PAR_LIGNE)]),
    },
    unique=["societe", "cle"],
    strict=False,
    name="effectifs",
)


def _sums_match(df: pd.DataFrame, level: str, parent: str, child: str) -> pd.Series:
    """Rows of kind ``parent`` equal the sum of the rows of kind ``child`` sharing ``level``."""
    parents = df[df["niveau"] == parent].set_index(level)
    children = df[df["niveau"] == child].groupby(level)["effectif"].sum()
    return parents["effectif"].eq(children.reindex(parents.index).fillna(-1))


TABLEAU_BRANCHE = pa.DataFrameSchema(
    {
        "niveau": Text(pa.Check.isin(["metier", "famille", "groupe", "ventiles", "non_ventiles", "branche"])),
        "effectif": pa.Column(int, pa.Check.ge(0)),
        "pourcentage": pa.Column(float, [pa.Check.ge(0), pa.Check.le(1)]),
        "nb_societes": pa.Column(int, pa.Check.ge(0)),
    },
    checks=[
        pa.Check(
            lambda df: _sums_match(df, "code_famille", "famille", "metier").all(),
            name="sous_totaux_familles",
        ),
        pa.Check(
            lambda df: _sums_match(df, "groupe", "groupe", "famille").all(),
            name="totaux_groupes",
        ),
        pa.Check(
            lambda df: int(df.loc[df["niveau"] == "ventiles", "effectif"].sum())
            == int(df.loc[df["niveau"] == "groupe", "effectif"].sum()),
            name="total_ventiles",
        ),
        pa.Check(
            lambda df: int(df.loc[df["niveau"] == "branche", "effectif"].sum())
            == int(df.loc[df["niveau"].isin(["ventiles", "non_ventiles"]), "effectif"].sum()),
            name="total_branche",
        ),
        pa.Check(
            lambda df: df["effectif"].sum() == 0
            or math.isclose(
                df.loc[df["niveau"].isin(["metier", "non_ventiles"]), "pourcentage"].sum(),
                1.0,
                abs_tol=1e-9,
            ),
            name="pourcentages_100",
        ),
    ],
    strict=False,
    name="tableau_branche",
)

# ---------------------------------------------------------------------------------------------
# What each check means, in French
# ---------------------------------------------------------------------------------------------

MESSAGES: dict[str, tuple[str, str, str]] = {
    # check name: (what is wrong, what was expected, what to do); {valeur} is the failing value.
    "code_famille_format": (
        "code de famille « {valeur} » invalide",
        "un code de famille de 2 chiffres (par exemple « 01 »)",
        "corrigez le code ; dans Excel, mettez la colonne au format Texte pour garder le zéro initial",
    ),
    "code_metier_format": (
        "code métier « {valeur} » invalide",
        "un code métier de 4 chiffres (par exemple « 0101 »)",
        "corrigez le code ; dans Excel, mettez la colonne au format Texte pour garder le zéro initial",
    ),
    "field_uniqueness": (
        "la valeur « {valeur} » apparaît plusieurs fois",
        "un code unique par ligne",
        "supprimez ou renumérotez le doublon",
    ),
    "texte_requis": (
        "intitulé vide",
        "un intitulé non vide",
        "renseignez l'intitulé",
    ),
    "nombre_attendu": (
        "la valeur « {valeur} » n'est pas un nombre",
        "un nombre entier de personnes (0 ou plus), ou une cellule vide pour 0",
        "saisissez un nombre entier sans texte, ou videz la cellule",
    ),
    "nombre_entier": (
        "la valeur {valeur} n'est pas un nombre entier",
        "un nombre entier de personnes",
        "comptez chaque personne une fois, dans le métier où elle passe le plus de temps, "
        "sans fraction ni équivalent temps plein",
    ),
    "nombre_positif": (
        "la valeur {valeur} est négative",
        "un nombre entier de personnes, 0 ou plus",
        "corrigez l'effectif",
    ),
    "nombre_plausible": (
        "la valeur {valeur} est invraisemblable pour une ligne d'une société",
        f"un effectif d'au plus {EFFECTIF_MAX_PAR_LIGNE:,} personnes".replace(",", " "),
        "vérifiez la saisie (zéros en trop, collage d'une autre donnée)",
    ),
}


def describe_value(v: object) -> str:
    """A value as a French user would recognise it in a message."""
    if v is None:
        return "(vide)"
    if isinstance(v, bool):
        return "VRAI" if v else "FAUX"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, float):
        return f"{v:g}".replace(".", ",")
    if isinstance(v, (dt.datetime, dt.date)):
        return v.strftime("%d/%m/%Y")
    text = str(v)
    return text if len(text) <= 60 else text[:57] + "…"
