"""Property-based tests: random damage to real returns never crashes the ingestion, and every file
always ends with a status; what is accepted always adds up."""

import datetime as dt
import shutil

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import consolidate
from tests.helpers import ACCEPTED, IGNORED, REJECTED, WARNED, ingest
from pipeline.core.form import SHEET_INPUT

STATUSES = {ACCEPTED, WARNED, REJECTED, IGNORED}
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

cell_values = st.one_of(
    st.none(), st.booleans(), st.integers(-10**7, 10**7), st.floats(allow_nan=True, allow_infinity=True),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40), st.sampled_from(["=1/0", "=SUM(A1:A3)", "#REF!", "1 200", "12,0", " 7 ", "=[1]X!A1"]),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
)


def _fresh(tmp_path_factory, campaign, good_returns, companies=("acta", "ima")):
    root = tmp_path_factory.mktemp("prop")
    folder = campaign.inputs_dir(root)
    folder.mkdir(parents=True)
    for c in companies:
        shutil.copyfile(good_returns[c], folder / good_returns[c].name)
    return root, folder


def _check_invariants(campaign, root):
    result = ingest(campaign, root)  # must not raise
    assert set(result.fichiers["statut"]) <= STATUSES
    assert len(result.fichiers) == len(list(campaign.inputs_dir(root).iterdir()))
    ok = result.fichiers[result.fichiers["statut"].isin([ACCEPTED, WARNED])]
    assert sorted(ok["societe"]) == sorted(result.declarations["societe"])
    for d in result.declarations.itertuples(index=False):
        assert d.total_declare == d.ventiles + d.non_ventiles
    if not result.declarations.empty:
        table = consolidate(result).table.set_index("niveau")
        assert int(table.loc["branche", "effectif"]) == int(result.declarations["total_declare"].sum())
    rejected = result.fichiers[result.fichiers["statut"] == REJECTED]["fichier"]
    for f in rejected:
        assert (result.messages[result.messages["fichier"] == f]["gravite"] == "erreur").any()
    return result


def _damage_input_sheet(tmp_path_factory, campaign, good_returns, damage) -> None:
    """A good return beside another, its input sheet damaged by ``damage(ws)``: the invariants hold."""
    root, folder = _fresh(tmp_path_factory, campaign, good_returns)
    path = folder / good_returns["acta"].name
    wb = openpyxl.load_workbook(path)
    damage(wb[SHEET_INPUT])
    wb.save(path)
    _check_invariants(campaign, root)


@SETTINGS
@given(edits=st.lists(st.tuples(st.integers(1, 90), st.integers(1, 8), cell_values), min_size=1, max_size=6))
def test_random_cell_damage(tmp_path_factory, campaign, good_returns, edits):
    def damage(ws):
        for row, col, value in edits:
            cell = ws.cell(row, col)
            if not isinstance(cell, openpyxl.cell.cell.MergedCell):  # the header block's merged labels
                cell.value = value
    _damage_input_sheet(tmp_path_factory, campaign, good_returns, damage)


@SETTINGS
@given(ops=st.lists(st.tuples(st.sampled_from(["insert", "delete", "hide", "insert_col", "delete_col"]),
                              st.integers(1, 90), st.integers(1, 4)), min_size=1, max_size=4))
def test_random_row_and_column_damage(tmp_path_factory, campaign, good_returns, ops):
    def damage(ws):
        for op, index, amount in ops:
            if op == "insert":
                ws.insert_rows(index, amount)
            elif op == "delete":
                ws.delete_rows(index, amount)
            elif op == "hide":
                ws.row_dimensions[index].hidden = True
            elif op == "insert_col":
                ws.insert_cols(min(index, 8), 1)
            else:
                ws.delete_cols(min(index, 8), 1)
    _damage_input_sheet(tmp_path_factory, campaign, good_returns, damage)


@SETTINGS
@given(data=st.data())
def test_random_byte_damage(tmp_path_factory, campaign, good_returns, data):
    root, folder = _fresh(tmp_path_factory, campaign, good_returns)
    path = folder / good_returns["acta"].name
    raw = bytearray(path.read_bytes())
    kind = data.draw(st.sampled_from(["flip", "truncate", "splice"]))
    if kind == "flip":
        for pos in data.draw(st.lists(st.integers(0, len(raw) - 1), min_size=1, max_size=20)):
            raw[pos] ^= data.draw(st.integers(1, 255))
    elif kind == "truncate":
        raw = raw[: data.draw(st.integers(0, len(raw) - 1))]
    else:
        at = data.draw(st.integers(0, len(raw)))
        raw[at:at] = data.draw(st.binary(min_size=1, max_size=200))
    path.write_bytes(bytes(raw))
    result = _check_invariants(campaign, root)
    assert "ima" in set(result.declarations["societe"])  # the other file of the batch still goes through
