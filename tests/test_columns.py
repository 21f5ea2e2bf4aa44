"""Columns read from their arrays (pipeline.core.columns) give what pandas gives: the same values, of the same
types, for every kind of column a frame of the pipeline holds."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from pipeline.core.columns import column_values, records

COLUMNS = {
    "text": pd.Series(["0101", "", "Chargé(e) d'accueil", None], dtype=str),
    "object": pd.Series([{"n": 2}, "E14", 3, None], dtype=object),
    "float": pd.Series([1.5, 0.0, float("nan"), -2.0]),
    "int": pd.Series([4, 0, -1, 2**40], dtype="int64"),
    "bool": pd.Series([True, False, True, False]),
    "nullable": pd.Series([1, None, 3, 4], dtype="Int64"),
    "date": pd.to_datetime(pd.Series(["2009-07-01", "2007-07-01", None, "2026-11-28"])),
    "category": pd.Series(["a", "b", "a", None], dtype="category"),
}


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if a is pd.NA or b is pd.NA or a is pd.NaT or b is pd.NaT:
        return a is b
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("kind", COLUMNS)
def test_a_column_s_values_are_what_iterating_it_gives(kind):
    column = COLUMNS[kind]
    got, expected = list(column_values(column)), list(column)
    assert len(got) == len(expected)
    assert all(_same(a, b) for a, b in zip(got, expected)), (got, expected)


def test_a_text_column_is_read_from_its_own_array():
    column = COLUMNS["text"]
    assert isinstance(column_values(column), np.ndarray)
    assert column_values(column)[2] is column.iloc[2]  # the column's own strings, not copies


def test_records_are_the_rows_itertuples_gives():
    frame = pd.DataFrame(COLUMNS)
    frame["1 bad name"] = "x"  # renamed by the row class as pandas renames it
    got, expected = list(records(frame)), list(frame.itertuples(index=False))
    assert [g._fields for g in got[:1]] == [e._fields for e in expected[:1]]
    assert all(_same(a, b) for g, e in zip(got, expected) for a, b in zip(g, e))
    assert got[0].text == "0101" and got[1].int == 0
    plain = list(records(frame[["text", "int"]], named=False))
    assert plain == list(frame[["text", "int"]].itertuples(index=False, name=None))
    assert type(plain[0]) is tuple


def test_records_of_frames_without_rows_or_columns():
    assert list(records(pd.DataFrame({"a": pd.Series([], dtype=str)}))) == []
    assert list(records(pd.DataFrame(index=range(2)))) == list(pd.DataFrame(index=range(2)).itertuples(index=False))
