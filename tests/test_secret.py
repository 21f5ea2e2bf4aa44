"""Statistical confidentiality of the published edition, checked by an independent auditor."""

import datetime as dt

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.core.campaign import campaign_toml, load_campaign
from pipeline.compute.secret import DOMINANCE, FREQUENCY, SECONDARY, SecretRules
from tests.auditor import assert_nothing_derivable, published_from, read_diffusion
from tests.strategies import property_settings
from tests.tables import protect_figures


# --- the 2007 demo ----------------------------------------------------------------------------------


def test_demo_masks_0105_and_another_cell_of_family_01(demo, campaign):
    _, r = demo
    p = r.consolidation.protection
    assert p.reason("metier", "0105") == FREQUENCY
    family01 = [code for n, code in p.masked if n == "metier" and code.startswith("01") and code != "0105"]
    assert family01, p.masked
    assert p.reason("emploi", "0101-2") == FREQUENCY  # 3 people in 2 companies


def test_published_demo_reveals_no_masked_value(demo, campaign):
    root, r = demo
    published, companies = read_diffusion(root / "outputs" / "2007" / "diffusion.xlsx", campaign.nomenclature)
    assert published["metier:0105"] is None and published["branche:"] == 5523
    hidden = {k for k, v in published.items() if v is None}
    assert hidden == {f"{n}:{c}" for n, c in r.consolidation.protection.masked}
    assert_nothing_derivable(published, companies, campaign.nomenclature)


def test_published_edition_layout(demo):
    root, r = demo
    wb = openpyxl.load_workbook(root / "outputs" / "2007" / "diffusion.xlsx")
    assert "Par société" not in wb.sheetnames and "Note" in wb.sheetnames
    note = " ".join(str(c.value) for c in wb["Note"]["A"] if c.value)
    assert "moins de 3 sociétés" in note and "plus de 85\u202f%" in note and "secret secondaire" in note
    rows = {row[0]: row for row in wb["Synthèse"].iter_rows(values_only=True) if row[0]}
    assert rows["0105"][2] == "s" and rows["0105"][3] == "s" and rows["0105"][4] == 2
    assert not any("Non consolidée" in str(a) for a in rows)
    internal = openpyxl.load_workbook(r.consolidation_path)
    head = next(row for row in internal["Synthèse"].iter_rows(values_only=True) if row[0] == "Code")
    col = head.index("Édition publiée")
    marks = {row[0]: row[col] for row in internal["Synthèse"].iter_rows(values_only=True) if row[0]}
    assert marks["0105"] == "masqué : secret primaire (fréquence)" and marks["0102"] == ""
    assert "Secret" in internal.sheetnames


# --- hand-built tables with known answers -----------------------------------------------------------


def _protect(campaign, per_company, rules=None):
    return protect_figures(campaign, per_company, rules)


def _base(extra=None):
    """Five companies, each in every métier of family 06 and 09 (no primary secret there) and NV."""
    data = {f"s{i}": {"0601": 10 + i, "0602": 20 + i, "0603": 5 + i, "0901": 30 + i, "0906": 4 + i, "NV": 8 + i}
            for i in range(5)}
    for company, values in (extra or {}).items():
        data[company].update(values)
    return data


def _masked(p):
    return {(n, c): p.reason(n, c) for n, c in p.masked}


def test_frequency_rule_and_its_smallest_partner(campaign):
    p = _protect(campaign, _base({"s0": {"0702": 7}, "s1": {"0702": 4, "0701": 9}, "s2": {"0701": 3},
                                  "s3": {"0701": 2}, "s4": {"0706": 40}}))
    m = _masked(p)
    assert m[("metier", "0702")] == FREQUENCY      # 2 companies
    assert m[("metier", "0706")] == FREQUENCY      # 1 company
    assert ("metier", "0701") not in m             # 3 companies: published
    assert ("famille", "07") not in m              # two cells masked in the family already
    assert_nothing_derivable(*published_from(p), campaign.nomenclature)


def test_dominance_rule(campaign):
    p = _protect(campaign, _base({"s0": {"0801": 95}, "s1": {"0801": 3}, "s2": {"0801": 2, "0802": 10},
                                  "s3": {"0802": 10}, "s4": {"0802": 10}}))
    m = _masked(p)
    assert m[("metier", "0801")] == DOMINANCE      # 95 of 100
    assert m[("metier", "0802")] == SECONDARY      # the only other non-zero métier of family 08
    assert_nothing_derivable(*published_from(p), campaign.nomenclature)


def test_a_lonely_cell_masks_its_total_and_the_total_a_neighbour(campaign):
    """Family 05 has one non-zero métier, of one company: its total is as confidential; then group I
    needs a second masked family, and that family (one métier) its métier."""
    p = _protect(campaign, _base({"s0": {"0501": 6, "0301": 5, "0102": 50}, "s1": {"0301": 5, "0102": 60},
                                  "s2": {"0301": 5, "0102": 70}}))
    m = _masked(p)
    assert m[("metier", "0501")] == FREQUENCY
    assert m[("famille", "05")] == FREQUENCY       # the family is that single company's métier
    assert m[("famille", "03")] == SECONDARY       # smallest other non-zero family of group I
    assert m[("metier", "0301")] == SECONDARY      # family 03 has one métier: its total is it
    assert_nothing_derivable(*published_from(p), campaign.nomenclature)


def test_zero_cells_are_never_masked(campaign):
    p = _protect(campaign, _base({"s0": {"0702": 3}}))
    m = _masked(p)
    assert all(p.cells.set_index(["niveau", "code"]).loc[c, "effectif"] > 0 for c in m)


def test_thresholds_come_from_the_campaign_file(tmp_path, campaign):
    text = campaign_toml("t", "T", dt.date(2026, 7, 1), dt.date(2026, 9, 1), {"nom": "SNSA"}, [("a", "A")])
    text = text.replace("frequence_min = 3", "frequence_min = 6").replace("dominance = 0.85", "dominance = 0.5")
    (tmp_path / "t.toml").write_text(text, encoding="utf-8")
    c = load_campaign(tmp_path / "t.toml", tmp_path)
    assert c.secret == {"frequence_min": 6, "dominance": 0.5}
    from pipeline.compute.secret import rules_of
    p = _protect(campaign, _base(), rules_of(c))
    assert p.reason("metier", "0601") == FREQUENCY  # 5 companies < 6
    bad = text.replace("dominance = 0.5", "dominance = 85")
    (tmp_path / "t.toml").write_text(bad, encoding="utf-8")
    with pytest.raises(Exception, match="« dominance » doit être une part entre 0 et 1"):
        load_campaign(tmp_path / "t.toml", tmp_path)


@property_settings(25)
@given(data=st.data())
def test_no_masked_cell_is_ever_derivable(campaign, data):
    keys = list(campaign.nomenclature.lignes["cle"]) + ["NV"]
    n = data.draw(st.integers(1, 6))
    per_company = {}
    for i in range(n):
        chosen = data.draw(st.lists(st.sampled_from(keys), min_size=1, max_size=25, unique=True))
        per_company[f"s{i}"] = {k: data.draw(st.integers(0, 300)) for k in chosen}
    if sum(sum(v.values()) for v in per_company.values()) == 0:
        per_company["s0"]["NV"] = 1
    p = _protect(campaign, per_company, SecretRules(3, 0.85))
    published, lower = published_from(p)
    assert_nothing_derivable(published, lower, campaign.nomenclature)  # and no sum with one masked cell


# --- two campaigns ----------------------------------------------------------------------------------


def test_cells_masked_in_one_campaign_only_are_reported(two_campaigns, figures, tmp_path):
    from tests.helpers import run_campaign
    from pipeline.write.template import write_template
    from tests.conftest import fresh_root, values_2026

    root = fresh_root(two_campaigns, tmp_path)
    _, _, c2026 = two_campaigns
    for company, f in figures.items():
        v = values_2026(f)
        if company in ("europ-assistance", "mondial-assistance", "axa-assistance"):
            v["0105"] = v.get("0105", 0) + 3   # 0105 now in more companies: published in 2026
            v["TOTAL"] += 3
        write_template(c2026, company, c2026.inputs_dir(root) / f"{company}.xlsx", v)
    run = run_campaign(c2026, root, consolidate_it=True)
    coherence = run.consolidation.protection.coherence.set_index("code")
    assert ("metier", "0105") not in run.consolidation.protection.masked  # 5 companies in 2026
    assert coherence.loc["0105", "avant"] == "masqué" and coherence.loc["0105", "maintenant"] == "publié"
    assert "ne pas publier son évolution depuis 2007" in coherence.loc["0105", "note"]
    wb = openpyxl.load_workbook(run.consolidation_path)
    assert any("Cohérence avec la campagne précédente" == r[0] for r in wb["Secret"].iter_rows(values_only=True))
    assert (root / "outputs" / "2026" / "diffusion.xlsx").is_file()


def test_an_emploi_masked_with_its_metier_is_protected_through_the_family(campaign):
    """Found by the edge-case strategies: 0101 (one emploi, one person of one company) and 0102 (one
    person in each of three companies). 0101-1 is disclosed, but its only relation (0101 = 0101-1 +
    0101-2) is all masked or zero: protection goes through 0101's family. It used to raise."""
    p = _protect(campaign, {"s0": {"0101-1": 1, "0102": 1}, "s1": {"0102": 1}, "s2": {"0102": 1}})
    assert {("emploi", "0101-1"), ("metier", "0101"), ("metier", "0102"), ("famille", "01")} <= p.masked
    assert_nothing_derivable(*published_from(p), campaign.nomenclature)
