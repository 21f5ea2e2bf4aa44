"""Property-based tests: random damage to real returns never crashes the ingestion; every entry of the
folder gets one verdict consistent with its messages; the untouched return always goes through; what is
accepted always adds up; and a damage of a known class always gets its verdict and its message."""

import datetime as dt
import shutil

import openpyxl
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import consolidate
from tests.helpers import ACCEPTED, IGNORED, REJECTED, WARNED, ingest
from pipeline.core.vocab import Severity
from pipeline.core.form import KEY_TOTAL, SHEET_INPUT
from tests.conftest import cell_of
from tests.strategies import property_settings, total_offsets

ERROR, WARNING = Severity.ERROR, Severity.WARNING

SETTINGS = property_settings(25)

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


def _check_invariants(campaign, root, figures):
    result = ingest(campaign, root)  # must not raise
    # every entry of the folder, once, with a verdict its messages justify
    assert sorted(result.fichiers["fichier"]) == sorted(p.name for p in campaign.inputs_dir(root).iterdir())
    for f in result.fichiers.itertuples(index=False):
        levels = set(result.messages.loc[result.messages["fichier"] == f.fichier, "gravite"])
        expected = {ACCEPTED: ERROR not in levels and WARNING not in levels,
                    WARNED: ERROR not in levels and WARNING in levels,
                    REJECTED: ERROR in levels, IGNORED: ERROR not in levels}
        assert expected[f.statut], (f.fichier, f.statut, levels)
    ok = result.fichiers[result.fichiers["statut"].isin([ACCEPTED, WARNED])]
    assert sorted(ok["societe"]) == sorted(result.declarations["societe"])
    # the untouched return goes through with its own figures
    declared = result.declarations.set_index("societe")["total_declare"]
    assert declared["ima"] == figures["ima"][KEY_TOTAL]
    # conservation: what is accepted adds up, line by line and in the branch table
    typed = result.effectifs.groupby("societe")["effectif"].sum()
    for d in result.declarations.itertuples(index=False):
        assert d.total_declare == d.ventiles + d.non_ventiles == typed.get(d.societe, 0)
    table = consolidate(result).table.set_index("niveau")
    assert int(table.loc["branche", "effectif"]) == int(declared.sum())
    return result


def _damage_input_sheet(tmp_path_factory, campaign, good_returns, figures, damage):
    """A good return beside another, its input sheet damaged by ``damage(ws)``: the invariants hold."""
    root, folder = _fresh(tmp_path_factory, campaign, good_returns)
    path = folder / good_returns["acta"].name
    wb = openpyxl.load_workbook(path)
    damage(wb[SHEET_INPUT])
    wb.save(path)
    return _check_invariants(campaign, root, figures)


@SETTINGS
@given(edits=st.lists(st.tuples(st.integers(1, 90), st.integers(1, 8), cell_values), min_size=1, max_size=6))
def test_random_cell_damage(tmp_path_factory, campaign, good_returns, figures, edits):
    def damage(ws):
        for row, col, value in edits:
            cell = ws.cell(row, col)
            if not isinstance(cell, openpyxl.cell.cell.MergedCell):  # the header block's merged labels
                cell.value = value
    _damage_input_sheet(tmp_path_factory, campaign, good_returns, figures, damage)


@SETTINGS
@given(ops=st.lists(st.tuples(st.sampled_from(["insert", "delete", "hide", "insert_col", "delete_col"]),
                              st.integers(1, 90), st.integers(1, 4)), min_size=1, max_size=4))
def test_random_row_and_column_damage(tmp_path_factory, campaign, good_returns, figures, ops):
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
    _damage_input_sheet(tmp_path_factory, campaign, good_returns, figures, damage)


@SETTINGS
@given(data=st.data())
def test_random_byte_damage(tmp_path_factory, campaign, good_returns, figures, data):
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
    _check_invariants(campaign, root, figures)  # the other file of the batch still goes through


# Damage of a known class to one input cell of acta's return: (new value from the old one and a drawn
# offset, whether the declared total is corrected to match, verdict, what the message says).
DAMAGE_CLASSES = {
    "décimal": (lambda n, d: n + 0.5, False, REJECTED, "n'est pas un nombre entier"),
    "négatif": (lambda n, d: -(n + 1), False, REJECTED, "est négative"),
    "texte": (lambda n, d: "une dizaine", False, REJECTED, "n'est pas un nombre"),
    "absurde": (lambda n, d: 100_001, True, REJECTED, "invraisemblable"),
    "recompté, total corrigé": (lambda n, d: n + 3, True, ACCEPTED, None),
    "vidé, total corrigé": (lambda n, d: None, True, ACCEPTED, None),
    "recompté, total oublié": (lambda n, d: n + abs(d), False, REJECTED, "ne correspond pas à la somme"),
}


@property_settings(20)
@given(damage=st.sampled_from(sorted(DAMAGE_CLASSES)), key=st.sampled_from(["0101-1", "0102", "0201", "0906", "NV"]),
       offset=total_offsets)
def test_each_damage_class_gets_its_verdict(tmp_path_factory, campaign, good_returns, figures, damage, key, offset):
    new_value, fix_total, verdict, message = DAMAGE_CLASSES[damage]
    old = figures["acta"].get(key, 0)
    value = new_value(old, offset)
    total = figures["acta"][KEY_TOTAL] - old + (value or 0) if fix_total else figures["acta"][KEY_TOTAL]

    def edit(ws):
        ws[cell_of(ws, key)] = value
        ws[cell_of(ws, KEY_TOTAL)] = total

    result = _damage_input_sheet(tmp_path_factory, campaign, good_returns, figures, edit)
    statut = result.fichiers.set_index("societe").loc["acta", "statut"]
    assert statut == verdict, (damage, key, result.messages["message"].tolist())
    said = " | ".join(result.messages.loc[result.messages["societe"] == "acta", "message"])
    if message:
        assert message in said
    else:
        assert result.declarations.set_index("societe").loc["acta", "total_declare"] == total
