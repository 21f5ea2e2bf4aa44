"""Evolution between campaigns through the nomenclature's correspondence table."""

import datetime as dt
import math

import pandas as pd
import pytest

from pipeline.core.campaign import campaign_toml, load_campaign
from pipeline.compute.branch import branch_table
from pipeline.core.errors import UserError
from pipeline.compute.evolution import Group, branch_evolution, comparable_groups, evolutions
from pipeline.core.nomenclature import load_nomenclature
from tests.conftest import variant_nomenclature

SPLIT_MERGE_MOVE = dict(
    remove=["0804", "0905"],
    add=["0108;01;Psychologue d'assistance;;;;", "0304;03;Chargé(e) de la qualité;;;;"],
    retitle={"0803": "Chargé(e) de formation et formateur(trice)"},
    correspondences=[("0104", "0104", "scission"), ("0104", "0108", "psychologues"),
                     ("0803", "0803", "fusion"), ("0804", "0803", "fusion"), ("0905", "0304", "changement de famille")],
)


def _corr(rows):
    return pd.DataFrame(rows, columns=["code_precedent", "code", "commentaire"])


def test_groups_of_every_kind():
    prev = {"0101", "0102", "0104", "0803", "0804", "0901", "0905", "0906"}
    cur = {"0101", "0102", "0104", "0108", "0803", "0907", "0910"}
    corr = _corr([("0104", "0104", ""), ("0104", "0108", ""), ("0803", "0803", ""), ("0804", "0803", ""),
                  ("0901", "0907", ""), ("0905", "", ""), ("", "0910", "")])
    kinds = {g.label: g.kind for g in comparable_groups(prev, cur, corr)}
    assert kinds == {
        "0101 ← 0101": "identique", "0102 ← 0102": "identique", "0104 + 0108 ← 0104": "scindé",
        "0803 ← 0803 + 0804": "fusionné", "0907 ← 0901": "renommé", "(supprimé) ← 0905": "supprimé",
        "0910 ← (nouveau)": "nouveau", "(supprimé) ← 0906": "supprimé",
    }


def test_many_to_many_is_one_group():
    groups = comparable_groups({"0301", "0302"}, {"0301", "0302"},
                               _corr([("0301", "0301", ""), ("0301", "0302", ""), ("0302", "0302", "")]))
    assert groups == [Group(("0301", "0302"), ("0301", "0302"))] and groups[0].kind == "regroupé"


def test_correspondence_table_is_checked(tmp_path):
    folder = variant_nomenclature(tmp_path / "n", correspondences=[("0104", "0199", "")])
    with pytest.raises(UserError, match="correspondances.csv, ligne 2 : le code « 0199 » n'existe pas"):
        load_nomenclature(folder)


def _campaign(tmp_path, ident, nomenclature, companies):
    text = campaign_toml(ident, f"Campagne {ident}", dt.date(int(ident), 7, 1), dt.date(int(ident), 10, 1),
                         {"nom": "SNSA"}, [(c, c.upper()) for c in companies], nomenclature)
    (tmp_path / f"{ident}.toml").write_text(text, encoding="utf-8")
    return load_campaign(tmp_path / f"{ident}.toml", tmp_path)


def _figures(campaign, values):
    rows = [dict(campagne=campaign.identifiant, societe=s, cle=k, mesure="effectif", categorie="tout",
                 valeur=float(v)) for s, per in values.items() for k, v in per.items()]
    return pd.DataFrame(rows)


def test_split_merge_and_move_against_an_independent_computation(tmp_path):
    variant_nomenclature(tmp_path / "nom", **SPLIT_MERGE_MOVE)
    before = _campaign(tmp_path, "2007", "defaut", ["a", "b", "c"])
    after = _campaign(tmp_path, "2026", "nom", ["a", "b", "d"])
    prev_values = {"a": {"0102": 100, "0104": 10, "0803": 4, "0804": 6, "0905": 2, "0301": 5, "NV": 9},
                   "b": {"0102": 50, "0104": 5, "0804": 1, "0601": 7, "NV": 3},
                   "c": {"0102": 20, "NV": 1}}
    cur_values = {"a": {"0102": 110, "0104": 7, "0108": 4, "0803": 9, "0304": 3, "0301": 5, "NV": 10},
                  "b": {"0102": 45, "0104": 6, "0803": 2, "0601": 7, "NV": 3},
                  "d": {"0102": 30, "0108": 1, "NV": 2}}
    previous = branch_table(before.nomenclature, _figures(before, prev_values))
    current = branch_table(after.nomenclature, _figures(after, cur_values))
    evo = branch_evolution(current, after.nomenclature, previous, before.nomenclature, "2007", before.date_arrete,
                           {"c": "C SA", "d": "D SA"})
    rows = evo.wide()
    assert (rows["effectif"] == current.wide().set_index(["niveau", "code"])["effectif"]).all()

    def prev(code):
        return sum(v.get(code, 0) for v in prev_values.values())

    def cur(code):
        return sum(v.get(code, 0) for v in cur_values.values())

    assert rows.loc[("metier", "0102"), "effectif_n1"] == prev("0102") == 170
    assert rows.loc[("metier", "0102"), "variation"] == cur("0102") - prev("0102")
    assert rows.loc[("metier", "0102"), "variation_pct"] == pytest.approx((185 - 170) / 170)
    for code in ("0104", "0108", "0803"):
        assert math.isnan(rows.loc[("metier", code), "effectif_n1"])
    # A one-to-one change of code (into another family) still compares at the métier level.
    assert rows.loc[("metier", "0304"), "effectif_n1"] == prev("0905") == 2
    assert rows.loc[("metier", "0304"), "note"] == "ancien code 0905"
    assert "scindé" in rows.loc[("metier", "0108"), "note"] and "fusionné" in rows.loc[("metier", "0803"), "note"]
    # Family 01 holds the whole split: comparable. 08 holds the whole merge: comparable.
    fam01_prev = sum(prev(c) for c in ("0101", "0102", "0103", "0104", "0105", "0106", "0107"))
    assert rows.loc[("famille", "01"), "effectif_n1"] == fam01_prev
    assert rows.loc[("famille", "08"), "effectif_n1"] == prev("0803") + prev("0804") == 11
    # 0905 moved from family 09 to 03: neither family compares, nor their groups.
    for fam in ("03", "09"):
        assert math.isnan(rows.loc[("famille", fam), "effectif_n1"])
        assert "non comparable" in rows.loc[("famille", fam), "note"]
    assert math.isnan(rows.loc[("groupe", "I"), "effectif_n1"]) and math.isnan(rows.loc[("groupe", "II"), "effectif_n1"])
    branch_prev = sum(sum(v.values()) for v in prev_values.values())
    assert rows.loc[("branche", ""), "effectif_n1"] == branch_prev
    assert rows.loc[("non_ventiles", "NV"), "effectif_n1"] == prev("NV")
    groups = evo.groups.set_index("libelle")
    assert groups.loc["0104 + 0108 ← 0104", "effectif_n1"] == prev("0104")
    assert groups.loc["0104 + 0108 ← 0104", "effectif"] == cur("0104") + cur("0108")
    assert groups.loc["0803 ← 0803 + 0804", "effectif"] == cur("0803")
    assert "0304 ← 0905" not in groups.index  # a rename is shown on its own row, not as a group
    assert evo.only_previous == ["C SA"] and evo.only_current == ["D SA"]


def test_the_evolution_that_counts_compares_the_same_companies(tmp_path):
    """c left, d arrived: the evolution at constant scope compares a and b only; the raw one everything."""
    before = _campaign(tmp_path, "2007", "defaut", ["a", "b", "c"])
    after = _campaign(tmp_path, "2026", "defaut", ["a", "b", "d"])
    prev_values = {"a": {"0102": 100, "NV": 9}, "b": {"0102": 50, "0201": 4, "NV": 3}, "c": {"0102": 20, "NV": 1}}
    cur_values = {"a": {"0102": 110, "NV": 10}, "b": {"0102": 45, "0201": 4, "NV": 3}, "d": {"0102": 300, "NV": 2}}
    f_before, f_after = _figures(before, prev_values), _figures(after, cur_values)
    previous, current = branch_table(before.nomenclature, f_before), branch_table(after.nomenclature, f_after)
    constant, raw = evolutions(current, after.nomenclature, f_after, previous, before.nomenclature, f_before, "2007",
                               before.date_arrete, {"c": "C SA", "d": "D SA"})
    same = constant.wide().loc[("metier", "0102")]
    assert (same["effectif"], same["effectif_n1"], same["variation"]) == (155, 150, 5)
    assert same["variation_pct"] == pytest.approx(5 / 150)
    everything = raw.wide().loc[("metier", "0102")]
    assert (everything["effectif"], everything["effectif_n1"]) == (455, 170)
    assert constant.only_previous == ["C SA"] and constant.only_current == ["D SA"]
    # The same companies both times: one comparison, the raw one.
    constant, raw = evolutions(previous, before.nomenclature, f_before, previous, before.nomenclature, f_before, "x",
                               before.date_arrete, {})
    assert constant is raw
    # No company in common: no evolution at constant scope.
    only_d = f_after[f_after["societe"] == "d"]
    constant, raw = evolutions(branch_table(after.nomenclature, only_d), after.nomenclature, only_d, previous,
                               before.nomenclature, f_before, "2007", before.date_arrete, {})
    assert constant is None and raw is not None
