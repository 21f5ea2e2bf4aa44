"""Evolution between campaigns through the nomenclature's correspondence table."""

import datetime as dt
import math

import pandas as pd
import pytest

from pipeline.core.campaign import campaign_toml, load_campaign
from pipeline.compute.branch import branch_table
from pipeline.core.errors import UserError
from pipeline.compute.evolution import Group, branch_evolution, comparable_groups, evolutions
from pipeline.core.correspondences import check_correspondences, correspondences_between
from pipeline.compute.evolution import groups_between
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


# The user's walk-through: 0104 split (0104 + 0108), 0804 merged into 0803, 0901 recoded 0907.
WALK_THROUGH = dict(remove=["0804", "0901"], add=["0108;01;Psychologue d'assistance;;;;",
                                                  "0907;09;Secrétaire / assistant(e) de direction;;;;"])
WALK_THROUGH_LINKS = [("0104", "0104", "scission"), ("0104", "0108", ""), ("0803", "0803", "fusion"),
                      ("0804", "0803", "fusion"), ("0901", "0907", "recodé")]


def _refusal(tmp_path, links, **changes) -> str:
    folder = variant_nomenclature(tmp_path / "nom2026", **{**WALK_THROUGH, **changes}, correspondences=links)
    with pytest.raises(UserError) as refused:
        check_correspondences(load_nomenclature(None), load_nomenclature(folder), "2007", "2026")
    return str(refused.value)


def test_an_empty_table_for_a_changed_nomenclature_is_refused(tmp_path):
    text = _refusal(tmp_path, [])
    assert text.startswith(f"La table de correspondance {tmp_path / 'nom2026' / 'correspondances.csv'} ne décrit pas "
                           "le passage de la nomenclature de la campagne 2007 (nomenclature livrée avec l'outil) à "
                           f"celle de la campagne 2026 ({tmp_path / 'nom2026'}) ;")
    assert "métier 0804 « Formateur(trice) Assistance » de la campagne 2007 : il n'existe plus et n'est dans aucune " \
           "ligne en code_precedent — à faire : ajoutez une ligne « 0804;… » vers chaque métier qui le reprend, ou " \
           "« 0804; » s'il est supprimé" in text
    assert "métier 0901 « Secrétaire / assistant(e) » de la campagne 2007 : il n'existe plus" in text
    assert "métier 0108 « Psychologue d'assistance » de la campagne 2026 : il est nouveau et n'est dans aucune ligne " \
           "en code — à faire : ajoutez une ligne « …;0108 » depuis chaque métier d'où il vient, ou « ;0108 » s'il " \
           "est créé" in text
    assert "métier 0907 « Secrétaire / assistant(e) de direction » de la campagne 2026 : il est nouveau" in text
    assert text.count("\n  - ") == 5 and "vérifiez-le avec « effectifs nomenclature -c 2026 »" in text


def test_a_table_line_whose_previous_code_never_existed_is_refused(tmp_path):
    text = _refusal(tmp_path, [*WALK_THROUGH_LINKS, ("0999", "0108", "")])
    assert "correspondances.csv, ligne 7, colonne code_precedent : le code « 0999 » n'existe pas dans la " \
           "nomenclature de la campagne 2007 — à faire : corrigez le code ou retirez la ligne" in text
    assert text.count("\n  - ") == 2


def test_a_listed_code_must_be_listed_on_both_sides(tmp_path):
    """Listed in the table, a code no longer links to itself: a split without « 0104;0104 » would show 0104 as
    new, a merge without « 0803;0803 » would leave 0803's previous headcount compared with nothing."""
    text = _refusal(tmp_path, [("0104", "0108", ""), ("0804", "0803", ""), ("0901", "0907", "")])
    assert "métier 0104 « Spécialiste d'assistance (f/h) » : il figure dans la table en code_precedent mais en " \
           "aucune ligne en code, il serait donc présenté comme un métier nouveau — à faire : ajoutez la ligne " \
           "« 0104;0104 » s'il continue" in text
    assert "métier 0803 « Chargé(e) de formation » : il figure dans la table en code mais en aucune ligne en " \
           "code_precedent, ses effectifs passés ne seraient donc comparés à rien — à faire : ajoutez la ligne " \
           "« 0803;0803 » s'il continue" in text


def test_a_complete_table_passes_and_explicit_removals_and_creations_count(tmp_path):
    folder = variant_nomenclature(tmp_path / "a", **WALK_THROUGH, correspondences=WALK_THROUGH_LINKS)
    check_correspondences(load_nomenclature(None), load_nomenclature(folder), "2007", "2026")
    explicit = [("0104", "0104", ""), ("", "0108", "créé"), ("0804", "", "supprimé"), ("0901", "0907", "")]
    folder = variant_nomenclature(tmp_path / "b", **WALK_THROUGH, correspondences=explicit)
    check_correspondences(load_nomenclature(None), load_nomenclature(folder), "2007", "2026")
    folder = variant_nomenclature(tmp_path / "c", **SPLIT_MERGE_MOVE)
    check_correspondences(load_nomenclature(None), load_nomenclature(folder), "2007", "2026")


def test_a_nomenclature_kept_by_the_next_campaign_links_every_code_to_itself(tmp_path):
    """2027 keeping 2026's folder: its table describes 2007 → 2026, not 2026 → 2027; it is neither checked nor
    read (read, it would compare 2027's 0104 + 0108 with 2026's 0104 alone, and drop 2026's 0108)."""
    folder = variant_nomenclature(tmp_path / "nom2026", **WALK_THROUGH, correspondences=WALK_THROUGH_LINKS)
    nom = load_nomenclature(folder)
    again = load_nomenclature(tmp_path / "." / "nom2026")
    check_correspondences(nom, again, "2026", "2027")
    assert correspondences_between(nom, again).empty and not correspondences_between(load_nomenclature(None), nom).empty
    assert all(g.kind == "identique" for g in groups_between(nom, again))


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


def _one_company_evolution(tmp_path, variant: dict, before_values: dict, now_values: dict) -> pd.DataFrame:
    """The evolution (wide) of one company's figures from the shipped nomenclature to a variant of it."""
    variant_nomenclature(tmp_path / "nom", **variant)
    before = _campaign(tmp_path, "2007", "defaut", ["a"])
    after = _campaign(tmp_path, "2026", "nom", ["a"])
    previous = branch_table(before.nomenclature, _figures(before, {"a": before_values}))
    current = branch_table(after.nomenclature, _figures(after, {"a": now_values}))
    return branch_evolution(current, after.nomenclature, previous, before.nomenclature, "2007", before.date_arrete,
                            {}).wide()


def test_a_family_gaining_or_losing_a_metier_does_not_compare(tmp_path):
    """0905 removed (its people went anywhere: another family, NV) and 0110 created (its people came from anywhere):
    families 09 and 01 changed scope, and neither compares — nor its group; the other families and the branch do
    (family 09 compared 721 → 686 with the removed métier's 52 in its N−1, found by a walk-through)."""
    rows = _one_company_evolution(tmp_path, dict(remove=["0905"], add=["0110;01;Régulateur(trice);;;;"],
                                                 correspondences=[("0905", "", ""), ("", "0110", "")]),
                                  {"0102": 10, "0905": 52, "0601": 7, "NV": 1}, {"0102": 10, "0110": 4, "0601": 7, "NV": 49})
    for fam in ("01", "09"):
        assert math.isnan(rows.loc[("famille", fam), "effectif_n1"])
        assert rows.loc[("famille", fam), "note"] == "non comparable (un métier y a été créé ou supprimé)"
    assert math.isnan(rows.loc[("groupe", "I"), "effectif_n1"]) and math.isnan(rows.loc[("groupe", "II"), "effectif_n1"])
    assert rows.loc[("famille", "06"), "effectif_n1"] == 7 and rows.loc[("famille", "06"), "note"] == ""
    assert rows.loc[("branche", ""), "effectif_n1"] == 70 and rows.loc[("metier", "0102"), "effectif_n1"] == 10
    # NV (and so the ventilated total) took the removed métier's people: no comparison either, said so.
    for level, code in (("non_ventiles", "NV"), ("ventiles", "")):
        assert math.isnan(rows.loc[(level, code), "effectif_n1"])
        assert rows.loc[(level, code), "note"] == "non comparable (un métier a été créé ou supprimé)"
    assert rows.loc[("groupe", "I"), "note"] == rows.loc[("groupe", "II"), "note"] == \
        "non comparable (un métier y a été créé ou supprimé)"


def test_a_group_compares_when_a_metier_moves_between_its_own_families(tmp_path):
    """0303 recoded 0404 moves from family 03 to 04, both of group I: neither family compares, group I does — its
    previous cell (it was hidden, found by a walk-through) — and so does group II; NV too (nothing created)."""
    rows = _one_company_evolution(tmp_path, dict(remove=["0303"], add=["0404;04;Gestionnaire d'assistance;;;;"],
                                                 correspondences=[("0303", "0404", "")]),
                                  {"0102": 10, "0303": 6, "0601": 7, "NV": 1}, {"0102": 11, "0404": 6, "0601": 7, "NV": 2})
    for fam in ("03", "04"):
        assert math.isnan(rows.loc[("famille", fam), "effectif_n1"]), fam
    assert rows.loc[("groupe", "I"), "effectif_n1"] == 16 and rows.loc[("groupe", "I"), "variation"] == 1
    assert rows.loc[("groupe", "II"), "effectif_n1"] == 7 and rows.loc[("groupe", "I"), "note"] == ""
    assert rows.loc[("non_ventiles", "NV"), "effectif_n1"] == 1 and rows.loc[("ventiles", ""), "effectif_n1"] == 23
