"""Statistical confidentiality on the cells where values become derivable: as many people as
companies, single contributors. Checked by ``tests/auditor.py``, which shares no code with
``pipeline.compute.secret``.

Mutations these tests kill (each applied by hand, see docs/mutation-testing.md):

- ``secret.protect`` skipping the LP audit (``exposed = []``): with 0702 = one person in each of two
  companies and 0706 = one person in one company, 0702 = 2 and 0706 = 1 could be read from the
  published family total and numbers of companies
  (:func:`test_one_person_per_company_cells_are_not_derivable`,
  :func:`test_published_workbook_of_one_person_cells_reveals_nothing`, the property test);
- the frequency or dominance rule weakened (``<=``, ``>=``, a threshold off by one):
  :func:`test_primary_rules_hold_on_edge_cells`.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipeline.compute.secret import FREQUENCY, SECONDARY, SecretRules, published_ranges
from pipeline.core.form import KEY_NV, KEY_TOTAL
from pipeline.write.template import write_template
from tests.helpers import run_campaign
from tests.auditor import assert_nothing_derivable, audit, audit_relations, published_from, read_diffusion
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
    # Masking 0702 and 0706 alone is not enough: family 07 = 3 and "at least 2" and "at least 1"
    # people give 0702 = 2 and 0706 = 1. The family must be masked too, hence a second family of
    # group II (09, whose smallest métier 0906 then goes with it).
    assert p.masked == {("metier", "0702"), ("metier", "0706"), ("famille", "07"), ("famille", "09"),
                        ("metier", "0906")}
    assert p.reason("metier", "0702") == p.reason("metier", "0706") == FREQUENCY
    assert p.reason("famille", "07") == p.reason("famille", "09") == SECONDARY  # 3 and 5 companies
    published, lower = published_from(p)
    assert_nothing_derivable(published, lower, campaign.nomenclature)
    # the module's own ranges agree with the auditor's
    ours = {f"{n}:{c}": r for (n, c), r in published_ranges(p).items()}
    assert ours == audit(published, lower, audit_relations(campaign.nomenclature))


def test_published_workbook_of_one_person_cells_reveals_nothing(campaign, tmp_path):
    """The same figures through the whole run; diffusion.xlsx read back as a reader would."""
    ids = list(campaign.societes["identifiant"])[:5]
    folder = campaign.inputs_dir(tmp_path)
    folder.mkdir(parents=True)
    for i, (company, values) in enumerate(_one_person_cells().items()):
        write_template(campaign, ids[i], folder / f"{ids[i]}.xlsx", {**values, KEY_TOTAL: sum(values.values())})
    run = run_campaign(campaign, tmp_path, consolidate_it=True)
    published, companies = read_diffusion(tmp_path / "outputs" / "2007" / "diffusion.xlsx", campaign.nomenclature)
    assert published["metier:0702"] is None and published["metier:0706"] is None
    assert published["famille:07"] is None
    assert published["branche:"] == run.consolidation.table.set_index("niveau").loc["branche", "effectif"]
    assert_nothing_derivable(published, companies, campaign.nomenclature)
    # the internal workbook shows every figure (consolidate._masked applies to the published edition only)
    internal, _ = read_diffusion(run.consolidation_path, campaign.nomenclature)
    assert (internal["metier:0702"], internal["metier:0706"], internal["famille:07"]) == (2, 1, 3)
    assert None not in internal.values()


def _keys(campaign) -> list[str]:
    return list(campaign.nomenclature.lignes["cle"]) + [KEY_NV]


@property_settings(40)
@given(data=st.data())
def test_no_edge_cell_is_ever_derivable(campaign, data):
    """Cells of one person per company, single contributors, dominant companies: nothing derivable."""
    fills = data.draw(edge_fills(_keys(campaign)))
    p = protect_figures(campaign, fills)
    assert_nothing_derivable(*published_from(p), campaign.nomenclature)


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
