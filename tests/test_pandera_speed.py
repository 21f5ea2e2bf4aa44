"""The cheaper dtype check of :mod:`pipeline.core.pandera_speed` decides as pandera does: the same frames pass,
the same fail with the same failure cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest
from pandera.backends.pandas.array import ArraySchemaBackend
from pandera.typing import Series
from pandera.validation_depth import ValidationScope, validate_scope

from pipeline.core import models, pandera_speed


class Sample(pa.DataFrameModel):
    texte: Series[str]
    entier: Series[int]
    reel: Series[float] = pa.Field(nullable=True)
    libre: Series[object] = pa.Field(nullable=True)


FRAMES = {
    "strings as objects": {"texte": pd.Series(["a", "b"], dtype=object)},
    "strings as str": {"texte": pd.Series(["a", "b"], dtype=str)},
    "a number among strings": {"texte": pd.Series(["a", 3], dtype=object)},
    "a None among strings": {"texte": pd.Series(["a", None], dtype=object)},
    "numbers only": {"texte": pd.Series([1, 2])},
    "empty": {"texte": pd.Series([], dtype=object), "entier": pd.Series([], dtype=int),
              "reel": pd.Series([], dtype=float), "libre": pd.Series([], dtype=object)},
    "floats for integers": {"entier": pd.Series([1.0, 2.0])},
    "objects for floats": {"reel": pd.Series([1.0, "x"], dtype=object)},
}


def _frame(columns: dict) -> pd.DataFrame:
    base = {"texte": pd.Series(["a", "b"], dtype=object), "entier": pd.Series([1, 2]),
            "reel": pd.Series([1.5, np.nan]), "libre": pd.Series([None, "x"], dtype=object)}
    return pd.DataFrame({**base, **columns}) if len(next(iter(columns.values()))) else pd.DataFrame(columns)


def _outcome(model, df: pd.DataFrame):
    try:
        model.validate(df, lazy=True)
        return None
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases.astype(str)
        return cases.sort_values(list(cases.columns)).reset_index(drop=True)


@pytest.mark.parametrize("name", list(FRAMES))
def test_the_cheaper_check_decides_as_pandera(name, monkeypatch):
    df = _frame(FRAMES[name])
    assert ArraySchemaBackend.check_dtype is pandera_speed._check_dtype  # installed with the contracts
    fast = _outcome(Sample, df)
    monkeypatch.setattr(ArraySchemaBackend, "check_dtype",
                        validate_scope(scope=ValidationScope.SCHEMA)(pandera_speed._PANDERAS))
    slow = _outcome(Sample, df)
    if slow is None:
        assert fast is None
    else:
        pd.testing.assert_frame_equal(fast, slow)


def test_a_return_with_errors_fails_the_same_cells(monkeypatch):
    raw = pd.DataFrame({c: pd.Series(["f.xlsx", "S1", "Saisie", "E5", "0101", "effectif", "tout"][i:i + 1] * 3,
                                     dtype=object) for i, c in enumerate(["fichier", "societe", "feuille", "cellule",
                                                                          "cle", "mesure", "categorie"])})
    raw["brut"] = pd.Series(["12", -3, 2.5], dtype=object)
    raw["nombre"] = pd.Series([12, -3, 2.5], dtype=object)
    fast = _outcome(models.Saisies, raw)
    monkeypatch.setattr(ArraySchemaBackend, "check_dtype",
                        validate_scope(scope=ValidationScope.SCHEMA)(pandera_speed._PANDERAS))
    pd.testing.assert_frame_equal(fast, _outcome(models.Saisies, raw))
    assert set(fast["check"]) == {"valeur.negative", "valeur.decimale"}
