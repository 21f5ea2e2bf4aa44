"""The input cells' contracts judge a whole column at once (core.numeric.numbers_in): each check must fail on
exactly the values it failed on when it judged one value at a time."""

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pandera.pandas as pa
from hypothesis import given
from hypothesis import strategies as st

from pipeline.core.models import EFFECTIF_MAX_PAR_LIGNE, Saisies
from pipeline.core.models_etp import SaisiesEtp
from pipeline.core.numeric import is_number
from tests.strategies import property_settings

TEXT_COLUMNS = ["fichier", "societe", "feuille", "cellule", "cle", "mesure", "categorie"]


def one_at_a_time(v, etp: bool) -> set[str]:
    """The checks a value fails, as the element-wise checks (before numbers_in) decided."""
    failed = set()
    if not (v is None or is_number(v)):
        failed.add("valeur.texte")
    if is_number(v):
        if etp and not math.isclose(round(float(v), 1), float(v), abs_tol=1e-9):
            failed.add("valeur.decimale_etp")
        if not etp and not float(v).is_integer():
            failed.add("valeur.decimale")
        if v < 0:
            failed.add("valeur.negative")
        if v > EFFECTIF_MAX_PAR_LIGNE:
            failed.add("valeur.invraisemblable")
    return failed


def failures(model, values: list) -> dict[int, set[str]]:
    frame = pd.DataFrame({c: pd.Series(["x"] * len(values), dtype=str) for c in TEXT_COLUMNS})
    frame["brut"] = pd.Series(values, dtype=object)
    frame["nombre"] = pd.Series(values, dtype=object)
    found: dict[int, set[str]] = {}
    try:
        model.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        for fc in err.failure_cases.itertuples(index=False):
            assert not pd.isna(fc.index), fc  # never a check that broke down on a value
            found.setdefault(int(fc.index), set()).add(str(fc.check))
    return found


VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.integers(10**15, 10**400), st.integers(-10**400, -10**15),
    st.floats(allow_nan=True, allow_infinity=True), st.floats(-1000, 1000).map(lambda x: round(x, 1)),
    st.sampled_from([0.1, 0.25, 2.5, -0.0, 1e-10, 99_999.95, 100_000, 100_000.04, 100_001]),
    st.text(max_size=5), st.sampled_from(["12", " 7 ", "²", "NaN"]),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-1000, max_value=1000),
    st.fractions(max_denominator=20).filter(lambda f: abs(f) < 1000),
    st.integers(-1000, 1000).map(np.int64), st.floats(-1000, 1000).map(np.float64))


@property_settings(200)
@given(values=st.lists(VALUES, min_size=1, max_size=40), etp=st.booleans())
def test_a_column_judged_at_once_fails_where_each_value_failed(values, etp):
    expected = {i: f for i, v in enumerate(values) if (f := one_at_a_time(v, etp))}
    assert failures(SaisiesEtp if etp else Saisies, values) == expected


def test_the_awkward_values_one_by_one():
    values = [None, True, 12, 12.0, 2.5, -3, 10**400, -(10**400), float("nan"), float("inf"), "douze", Decimal("7.5"),
              Fraction(1, 3), np.int64(5), 100_001, 0.30000000000000004]
    got = failures(Saisies, values)
    assert got == {1: {"valeur.texte"}, 4: {"valeur.decimale"}, 5: {"valeur.negative"}, 6: {"valeur.texte"},
                   7: {"valeur.texte"}, 8: {"valeur.texte"}, 9: {"valeur.texte"}, 10: {"valeur.texte"},
                   11: {"valeur.texte"}, 12: {"valeur.decimale"}, 14: {"valeur.invraisemblable"},
                   15: {"valeur.decimale"}}
    assert failures(SaisiesEtp, [0.30000000000000004, 2.55, 7.5]) == {1: {"valeur.decimale_etp"}}
