"""The branch table's contributions (each company's part of each cell), made on integer codes, against the
plain group-by on texts they replace: same rows, same order, same sums, same types."""

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from pipeline.compute.branch import branch_table
from pipeline.core.form import KEY_NV, KEY_TOTAL
from pipeline.core.layout import membership
from tests.strategies import property_settings

KEYS = ["niveau", "code", "societe", "mesure", "categorie"]


def _by_texts(figures: pd.DataFrame, cells: pd.DataFrame) -> pd.DataFrame:
    """The group-by the integer codes stand for: every figure joined to its cells, summed per cell and company."""
    joined = figures[figures["valeur"] != 0].merge(cells, on="cle")
    out = joined.groupby(KEYS, as_index=False)["valeur"].sum()
    return out.sort_values(KEYS, ignore_index=True).astype({"valeur": float})


@property_settings(25)
@given(data=st.data())
def test_contributions_equal_the_group_by_on_texts(campaign, data):
    keys = list(campaign.nomenclature.lignes["cle"]) + [KEY_NV]
    companies = data.draw(st.lists(st.sampled_from(["B", "a", "Z", "é", "A-2", "10", "9"]), min_size=1, max_size=5,
                                   unique=True))
    measures = data.draw(st.sampled_from([[("effectif", "tout")],
                                          [("effectif", "tout"), ("effectif", "femmes"), ("effectif", "hommes")],
                                          [("effectif", "tout"), ("etp", "tout")]]))
    rows = []
    for company in companies:
        chosen = data.draw(st.lists(st.sampled_from(keys), max_size=12, unique=True))
        for key in chosen:
            for mesure, categorie in measures:
                value = data.draw(st.sampled_from([0.0, 1.0, 3.0, 0.5, 120.0, 2.25]))
                rows.append(("2026", company, key, mesure, categorie, value))
        rows.append(("2026", company, KEY_TOTAL, "effectif", "tout", 7.0))
    chiffres = pd.DataFrame(rows, columns=["campagne", "societe", "cle", "mesure", "categorie", "valeur"])
    contributions = branch_table(campaign.nomenclature, chiffres).contributions
    expected = _by_texts(chiffres[chiffres["mesure"] != "etp"], membership(campaign.nomenclature))
    got = contributions[contributions["mesure"].isin(["effectif"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)
    assert list(contributions.dtypes.astype(str)) == list(expected.dtypes.astype(str))
    assert contributions.equals(contributions.sort_values(KEYS, ignore_index=True))


def test_contributions_of_figures_all_zero_are_none(campaign):
    chiffres = pd.DataFrame({"campagne": ["2026"] * 2, "societe": ["A", "A"], "cle": ["0101", KEY_TOTAL],
                             "mesure": ["effectif"] * 2, "categorie": ["tout"] * 2, "valeur": [0.0, 0.0]})
    branch = branch_table(campaign.nomenclature, chiffres)
    assert branch.contributions.empty
    assert branch.table["valeur"].eq(0).all() and branch.table["nb_societes"].eq(0).all()
    assert branch.companies == ("A",)
