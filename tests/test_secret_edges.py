"""Statistical confidentiality on the cells where values become derivable: as many people as
companies, single contributors. Checked by ``tests/auditor.py`` with ``tests/secret_attacker.py``, which
share no code with ``pipeline.compute.secret*``: no figure of a company can be bounded within ± 10 % by an
outside reader or by any other company using its own figures, from the published figures, sums and
numbers of companies.

Mutations these tests kill (each applied by hand, see docs/mutation-testing.md; the protection was rewritten
since — issue 15 — and these tests now check its stronger guarantee rather than a masking pattern):

- the protection skipping its audit: killed by the property test :func:`test_no_edge_cell_is_ever_derivable`
  (the issue's example — 0702 = one person in each of two companies, 0706 = one person in one company — is
  protected by the least-cost choice alone since issue 15, so its two tests below no longer kill that mutant;
  they check the example's published figures and counts);
- the frequency or dominance rule weakened (``<=``, ``>=``, a threshold off by one):
  :func:`test_primary_rules_hold_on_edge_cells`.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipeline.compute.secret import FREQUENCY, SECONDARY, SecretRules, published_ranges
from pipeline.core.form import KEY_NV, KEY_TOTAL
from pipeline.write.template import write_template
from tests.auditor import assert_resists, attack, published_from, read_diffusion
from tests.helpers import run_campaign
from tests.strategies import edge_fills, property_settings
from tests.tables import independent_cells, protect_figures

# Five companies in every métier of families 06 and 09 and in NV: no primary secret there.
BASE = {f"s{i}": {"0601": 10 + i, "0602": 20 + i, "0603": 5 + i, "0901": 30 + i, "0906": 4 + i, KEY_NV: 8 + i}
        for i in range(5)}


def _one_person_cells() -> dict[str, dict[str, int]]:
    fills = {c: dict(v) for c, v in BASE.items()}
    fills["s0"]["0702"] = fills["s1"]["0702"] = 1   # 2 people in 2 companies
    fills["s2"]["0706"] = 1                         # 1 person in 1 company
    return fills


def test_one_person_per_company_cells_are_not_derivable(campaign):
    p = protect_figures(campaign, _one_person_cells())
    assert p.reason("metier", "0702") == p.reason("metier", "0706") == FREQUENCY
    # Family 07 = 3 people in 3 companies: its number of companies would tell each company that the others
    # have exactly one person each (and, with the numbers of 0702 and 0706, pin both): none is published.
    assert {("metier", "0702"), ("metier", "0706"), ("famille", "07")} <= p.hidden_counts
    published, counts = published_from(p)
    assert counts["metier:0702"] is None and counts["famille:07"] is None and counts["famille:06"] == 5
    assert assert_resists(published, counts, _one_person_cells(), campaign.nomenclature) == {"metier:0702",
                                                                                            "metier:0706"}
    # the module's own ranges (the Secret sheet's « Encadrement (lecteur) ») agree with the attacker's
    outsider = attack(published, counts, _one_person_cells(), campaign.nomenclature)
    ours = {f"{n}:{c}": r for (n, c), r in published_ranges(p).items()}
    assert ours == {cell: outsider.interval(cell, None) for cell in outsider.hidden}


def test_published_workbook_of_one_person_cells_reveals_nothing(campaign, tmp_path):
    """The same figures through the whole run; diffusion.xlsx read back as a reader would."""
    ids = list(campaign.societes["identifiant"])[:5]
    folder = campaign.inputs_dir(tmp_path)
    folder.mkdir(parents=True)
    for i, (company, values) in enumerate(_one_person_cells().items()):
        write_template(campaign, ids[i], folder / f"{ids[i]}.xlsx", {**values, KEY_TOTAL: sum(values.values())})
    run = run_campaign(campaign, tmp_path, consolidate_it=True)
    published, companies, _, _ = read_diffusion(tmp_path / "outputs" / "2007" / "diffusion.xlsx",
                                                campaign.nomenclature)
    assert published["metier:0702"] is None and published["metier:0706"] is None
    assert companies["metier:0702"] is None and companies["famille:07"] is None
    assert published["branche:"] == run.consolidation.table.set_index("niveau").loc["branche", "effectif"]
    assert_resists(published, companies, _one_person_cells(), campaign.nomenclature)
    # the internal workbook shows every figure (the masking applies to the published edition only)
    internal, internal_companies, _, _ = read_diffusion(run.consolidation_path, campaign.nomenclature)
    assert (internal["metier:0702"], internal["metier:0706"], internal["famille:07"]) == (2, 1, 3)
    assert None not in internal.values() and internal_companies["famille:07"] == 3


def _keys(campaign) -> list[str]:
    return list(campaign.nomenclature.lignes["cle"]) + [KEY_NV]


@property_settings(40)
@given(data=st.data())
def test_no_edge_cell_is_ever_derivable(campaign, data):
    """Cells of one person per company, single contributors, dominant companies: nothing of a company
    bounded within 10 % by the outsider or any other company."""
    fills = data.draw(edge_fills(_keys(campaign)))
    p = protect_figures(campaign, fills)
    assert_resists(*published_from(p), fills, campaign.nomenclature)


@property_settings(30)
@given(data=st.data())
def test_primary_rules_hold_on_edge_cells(campaign, data):
    """Every cell of 1 or 2 companies, or with one company over 85 %, is masked; no empty cell is; and
    the headcounts and companies the protection works on are the fills' own."""
    fills = data.draw(edge_fills(_keys(campaign)))
    p = protect_figures(campaign, fills, SecretRules(3, 0.85))
    mine = independent_cells(campaign, fills).set_index(["niveau", "code"])
    cells = p.cells.set_index(["niveau", "code"])
    for cell, r in mine.iterrows():
        assert (cells.loc[cell, "effectif"], cells.loc[cell, "nb_societes"]) == (r.effectif, r.nb), cell
        if r.effectif and (r.nb < 3 or r.part > 0.85):
            assert cell in p.masked and p.reason(*cell) != SECONDARY, (cell, r.nb, r.part)
    empty = {cell for cell, r in cells.iterrows() if r.effectif == 0}
    assert not (empty & p.masked)
    assert all(cell in mine.index for cell in p.masked)
