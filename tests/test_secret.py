"""Statistical confidentiality of the published edition, attacked by tests/secret_attacker.py — an outside
reader and every company (or holding group) using its own figures — which shares no code with the module."""

import csv
import datetime as dt

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.compute.branch import branch_table
from pipeline.compute.secret import (DOMINANCE, FREQUENCY, P_RULE, SECONDARY, SecretRules, protect,
                                     published_ranges, rules_of)
from pipeline.core.campaign import campaign_toml, load_campaign
from tests.auditor import assert_resists, published_from, read_diffusion
from tests.secret_attacker import Attack, parts_per_company, primary, sums
from tests.strategies import property_settings

# --- the 2007 demo --------------------------------------------------------------------------------------


def test_demo_masks_0105_and_protects_it_against_every_company(demo, campaign, figures):
    root, r = demo
    p = r.consolidation.protection
    assert p.reason("metier", "0105") == FREQUENCY
    assert p.reason("emploi", "0101-2") == FREQUENCY  # 3 people in 2 companies
    published, counts, _, _ = read_diffusion(root / "outputs" / "2007" / "diffusion.xlsx", campaign.nomenclature)
    assert published["metier:0105"] is None and published["branche:"] == 5523
    assert {k for k, v in published.items() if v is None} == {f"{n}:{c}" for n, c in p.masked}
    assert all(counts[k] is None for k, v in published.items() if v is None)
    assert assert_resists(published, counts, figures, campaign.nomenclature) == {"metier:0105", "emploi:0101-2"}
    assert published_ranges(p)[("metier", "0105")] == (0.0, 16.0)  # what the Secret sheet reports


def test_published_edition_layout(demo):
    root, r = demo
    wb = openpyxl.load_workbook(root / "outputs" / "2007" / "diffusion.xlsx")
    assert "Par société" not in wb.sheetnames and "Note" in wb.sheetnames
    note = " ".join(str(c.value) for c in wb["Note"]["A"] if c.value)
    assert "moins de 3 sociétés" in note and "plus de 85\u202f%" in note and "secret secondaire" in note
    assert "à moins de 10\u202f% près" in note and "Le nombre de sociétés n'est pas publié pour une cellule masquée" in note
    rows = {row[0]: row for row in wb["Synthèse"].iter_rows(values_only=True) if row[0]}
    assert rows["0105"][2] == "s" and rows["0105"][3] == "s" and rows["0105"][4] == "s"
    assert rows["0102"][4] == 8
    assert not any("Non consolidée" in str(a) for a in rows)
    internal = openpyxl.load_workbook(r.consolidation_path)
    head = next(row for row in internal["Synthèse"].iter_rows(values_only=True) if row[0] == "Code")
    col = head.index("Édition publiée")
    marks = {row[0]: row[col] for row in internal["Synthèse"].iter_rows(values_only=True) if row[0]}
    assert marks["0105"] == "masqué : secret primaire (fréquence)" and marks["0102"] == ""
    secret = [row for row in internal["Secret"].iter_rows(values_only=True)]
    head = next(row for row in secret if row[0] == "Niveau")
    assert head[6:] == ("Protège", "Encadrement (lecteur)", "Marge requise", "Société la mieux placée",
                        "Encadrement (cette société)", "Marge requise")
    by_code = {row[1]: row for row in secret if row[0] in ("métier", "emploi rattaché")}
    assert by_code["0105"][5] == "primaire (fréquence)" and by_code["0105"][7].startswith("0 à ")
    secondary = [row for row in by_code.values() if row[5] == "secondaire"]
    assert secondary and all(row[6] for row in secondary)  # each says which primary cell it protects
    assert any(str(row[0]).startswith("« Société la mieux placée » : pour une cellule protégée") for row in secret)
    assert not any(str(row[0]).startswith("Ce tableau détaille") for row in secret)  # 2007 has no breakdowns


def test_the_secret_sheet_says_it_details_the_main_table_and_how_many_cells_the_edition_masks(demo):
    """With breakdowns (2009), the sheet lists the main table's masked cells and says how many the whole edition
    masks: as many as diffusion.csv leaves empty."""
    root, _ = demo
    secret = [row for row in openpyxl.load_workbook(root / "outputs/2009/consolidation.xlsx")["Secret"]
              .iter_rows(values_only=True)]
    scope = next(str(row[0]) for row in secret if str(row[0]).startswith("Ce tableau détaille"))
    with open(root / "outputs/2009/diffusion.csv", encoding="utf-8", newline="") as f:
        masked = sum(row["effectif_secret"] == "true" for row in csv.DictReader(f))
    assert f"({masked} cellules masquées en tout dans l'édition)" in scope and masked > 3
    head = next(i for i, row in enumerate(secret) if row[0] == "Niveau")
    listed = [row for row in secret[head + 1:] if row[0] in ("métier", "emploi rattaché", "famille")]
    assert listed and len(listed) < masked


# --- hand-built tables with known answers -----------------------------------------------------------------


def _figures(rows):
    return pd.DataFrame([dict(campagne="t", societe=s, cle=k if isinstance(k, str) else k[0], mesure="effectif",
                              categorie="tout" if isinstance(k, str) else k[1], valeur=float(v))
                         for s, values in rows.items() for k, v in values.items()])


def _protect(campaign, per_company, rules=None, **kw):
    return protect(branch_table(campaign.nomenclature, _figures(per_company)), campaign.nomenclature, rules, **kw)


def _base(extra=None, n=5):
    """Five companies, each in every métier of family 06 and 09 (no primary secret there) and NV."""
    data = {f"s{i}": {"0601": 10 + i, "0602": 20 + i, "0603": 5 + i, "0901": 30 + i, "0906": 4 + i, "NV": 8 + i}
            for i in range(n)}
    for company, values in (extra or {}).items():
        data.setdefault(company, {}).update(values)
    return data


def _masked(p):
    return {(n, c): p.reason(n, c) for n, c in p.masked}


def _check(campaign, data, rules=None, groups=None, **kw):
    rules = rules or SecretRules()
    p = _protect(campaign, data, rules, **kw)
    assert_resists(*published_from(p), data, campaign.nomenclature, groups or rules.holdings, rules.p / 100,
                   rules.regle)
    return p


def test_frequency_rule(campaign):
    p = _check(campaign, _base({"s0": {"0702": 7}, "s1": {"0702": 4, "0701": 9}, "s2": {"0701": 3},
                                "s3": {"0701": 2}, "s4": {"0706": 40}}))
    m = _masked(p)
    assert m[("metier", "0702")] == FREQUENCY      # 2 companies
    assert m[("metier", "0706")] == FREQUENCY      # 1 company
    assert m.get(("metier", "0701")) != FREQUENCY  # 3 companies


def test_dominance_rule(campaign):
    p = _check(campaign, _base({"s0": {"0801": 95}, "s1": {"0801": 3}, "s2": {"0801": 2, "0802": 10},
                                "s3": {"0802": 10}, "s4": {"0802": 10}}))
    m = _masked(p)
    assert m[("metier", "0801")] == DOMINANCE      # 95 of 100
    assert m[("metier", "0802")] == SECONDARY      # the only other non-zero métier of family 08


def test_p_rule(campaign):
    """80 + 15 + 5: not dominated at 85 %, but the second company would bound the first within 10 %."""
    data = _base({"s0": {"0801": 80, "0802": 10}, "s1": {"0801": 15, "0802": 10}, "s2": {"0801": 5, "0802": 10}})
    assert _masked(_check(campaign, data)).get(("metier", "0801")) is None
    p = _check(campaign, data, SecretRules(regle="p%"))
    assert _masked(p)[("metier", "0801")] == P_RULE


def test_two_single_company_cells_do_not_reveal_each_other(campaign):
    """The issue's case: 0301 held by one company, 0302 by another, family 03 published: each company knew
    the other's figure by subtracting its own."""
    p = _check(campaign, _base({"s0": {"0301": 12}, "s1": {"0302": 9}}))
    m = _masked(p)
    assert m[("metier", "0301")] == m[("metier", "0302")] == FREQUENCY
    assert ("famille", "03") in m


def test_as_many_people_as_companies_hides_the_number_of_companies(campaign):
    """6 people in 6 companies: published, but its number of companies would tell each it has exactly 1."""
    data = _base({f"s{i}": {"0702": 1} for i in range(6)} | {"s5": {"0702": 1, "0601": 3, "0901": 3}}, n=5)
    p = _check(campaign, data)
    assert ("metier", "0702") not in p.masked and ("metier", "0702") in p.hidden_counts
    assert ("metier", "0601") not in p.hidden_counts


def test_a_holding_group_counts_as_one_company(campaign):
    data = _base({"s0": {"0801": 30}, "s1": {"0801": 30}, "s2": {"0801": 30}})
    assert ("metier", "0801") not in _check(campaign, data).masked
    rules = SecretRules(groupes=(("s0", "Groupe A"), ("s1", "Groupe A")))
    p = _check(campaign, data, rules)
    assert p.reason("metier", "0801") == FREQUENCY
    assert p.part().set_index(["niveau", "code"]).loc[("metier", "0801"), "nb_unites"] == 2


def test_zero_cells_are_never_masked(campaign):
    p = _protect(campaign, _base({"s0": {"0702": 3}}))
    assert all(p.cells.set_index(["niveau", "code"]).loc[c, "effectif"] > 0 for c in p.masked)


def test_cost_modes_minimise_what_they_say(campaign):
    data = _base({"s0": {"0101-1": 40, "0102": 3, "0103": 50, "0104": 2}, "s1": {"0101-1": 40, "0103": 60},
                  "s2": {"0101-1": 40, "0103": 70, "0106": 4}})
    people = _check(campaign, data, SecretRules(cout="effectif"))
    cells = _check(campaign, data, SecretRules(cout="cellules"))

    def hidden(p):
        m = p.part()
        m = m[m["motif"] == SECONDARY]
        return len(m), int(m["effectif"].sum())

    assert hidden(people)[1] <= hidden(cells)[1] and hidden(cells)[0] <= hidden(people)[0]


def test_secret_settings_come_from_the_campaign_file(tmp_path, campaign):
    text = campaign_toml("t", "T", dt.date(2026, 7, 1), dt.date(2026, 9, 1), {"nom": "SNSA"},
                         [("a", "A", "", "", "Groupe Alpha"), ("b", "B", "", "", "Groupe Alpha"), ("c", "C")])
    text = text.replace("frequence_min = 3", "frequence_min = 6").replace("dominance = 0.85", "dominance = 0.5")
    text = text.replace('regle = "dominance"', 'regle = "p%"').replace("p = 10", "p = 15")
    (tmp_path / "t.toml").write_text(text, encoding="utf-8")
    c = load_campaign(tmp_path / "t.toml", tmp_path)
    assert c.secret == {"frequence_min": 6, "dominance": 0.5, "p": 15.0, "regle": "p%", "cout": "effectif"}
    rules = rules_of(c)
    assert rules.groupes == (("a", "Groupe Alpha"), ("b", "Groupe Alpha")) and rules.share == 0.15
    assert _protect(campaign, _base(), rules).reason("metier", "0601") == FREQUENCY  # 5 companies < 6
    for bad, message in [("dominance = 0.5", "dominance = 85"), ('regle = "p%"', 'regle = "pourcent"'),
                         ("p = 15", "p = 150"), ('cout = "effectif"', 'cout = "euros"'),
                         ('groupe = "Groupe Alpha"', "groupe = 3")]:
        (tmp_path / "t.toml").write_text(text.replace(bad, message), encoding="utf-8")
        with pytest.raises(Exception, match="secret|groupe"):
            load_campaign(tmp_path / "t.toml", tmp_path)


# --- random campaigns ---------------------------------------------------------------------------------------


@st.composite
def campaigns(draw, keys):
    """Nine companies of varied sizes, with cells of 1 or 2 contributors, dominated cells, cells with as many
    people as companies, and sometimes holding groups."""
    sizes = [draw(st.sampled_from([1, 3, 10, 40, 150])) for _ in range(9)]
    data: dict[str, dict] = {f"s{i}": {} for i in range(9)}
    for key in draw(st.lists(st.sampled_from(keys), min_size=5, max_size=30, unique=True)):
        kind = draw(st.sampled_from(["spread", "single", "pair", "dominated", "ones"]))
        who = draw(st.permutations(range(9)))
        n = {"single": 1, "pair": 2, "dominated": 4, "ones": draw(st.integers(3, 9))}.get(kind, draw(st.integers(3, 9)))
        for rank, i in enumerate(who[:n]):
            if kind == "ones":
                v = 1
            elif kind == "dominated" and rank == 0:
                v = 20 * sizes[i] + 50
            else:
                v = draw(st.integers(1, 2 * sizes[i] + 2))
            data[f"s{i}"][key] = v
    groups = {}
    if draw(st.booleans()):
        a, b = draw(st.lists(st.integers(0, 8), min_size=2, max_size=2, unique=True))
        groups = {f"s{a}": "G", f"s{b}": "G"}
    return data, groups


KEYS = None


def _keys(campaign):
    return list(campaign.nomenclature.lignes["cle"]) + ["NV"]


@property_settings(12)
@given(data=st.data())
def test_random_campaigns_resist_every_attacker(campaign, data):
    figures, groups = data.draw(campaigns(_keys(campaign)))
    rule = data.draw(st.sampled_from(["dominance", "p%"]))
    _check(campaign, figures, SecretRules(regle=rule, groupes=tuple(groups.items())), groups)


@property_settings(15)
@given(data=st.data())
def test_few_companies_with_any_figures_resist_every_attacker(campaign, data):
    """One to six companies with any figures, zeros included (the whole table primary, or nothing primary):
    nothing of a company is bounded within 10 % by anyone."""
    keys = _keys(campaign)
    per_company = {}
    for i in range(data.draw(st.integers(1, 6))):
        chosen = data.draw(st.lists(st.sampled_from(keys), min_size=1, max_size=25, unique=True))
        per_company[f"s{i}"] = {k: data.draw(st.integers(0, 300)) for k in chosen}
    if sum(sum(v.values()) for v in per_company.values()) == 0:
        per_company["s0"]["NV"] = 1
    _check(campaign, per_company, SecretRules(3, 0.85))


@property_settings(5)
@given(data=st.data())
def test_breakdown_tables_are_protected_with_the_main_table(campaign, data):
    """Synthetic breakdown by sex, fed to the protection as more categories and the relation
    tout = femmes + hommes for every cell: no cell of either table is recoverable from both."""
    figures, groups = data.draw(campaigns(_keys(campaign)))
    split = {}
    for company, values in figures.items():
        split[company] = {}
        for key, v in values.items():
            women = data.draw(st.integers(0, v))
            split[company].update({key: v, (key, "femmes"): women, (key, "hommes"): v - women})
    rules = SecretRules(groupes=tuple(groups.items()))
    p = _protect(campaign, split, rules, breakdowns={"sexe": ("femmes", "hommes")})
    published, counts = published_from(p)
    assert_resists(published, counts, split, campaign.nomenclature, groups,
                   categories=("tout", "femmes", "hommes"), breakdowns=[("femmes", "hommes")])


# --- two campaigns --------------------------------------------------------------------------------------------


def test_two_editions_and_the_evolution_resist_together(two_campaigns, figures, tmp_path):
    from pipeline.write.template import write_template
    from tests.conftest import fresh_root, values_2026
    from tests.helpers import run_campaign

    root = fresh_root(two_campaigns, tmp_path)
    _, c2007, c2026 = two_campaigns
    after = {}
    for company, f in figures.items():
        v = values_2026(f)
        if company in ("europ-assistance", "mondial-assistance", "axa-assistance"):
            v["0105"] = v.get("0105", 0) + 3   # 0105 now in more companies: published in 2026
            v["TOTAL"] += 3
        after[company] = v
        write_template(c2026, company, c2026.inputs_dir(root) / f"{company}.xlsx", v)
    run = run_campaign(c2026, root, consolidate_it=True)
    protection = run.consolidation.protection
    coherence = protection.coherence.set_index("code")
    assert ("metier", "0105") not in protection.masked
    assert coherence.loc["0105", "avant"] == "masqué" and coherence.loc["0105", "maintenant"] == "publié"
    assert "son évolution depuis 2007 est masquée" in coherence.loc["0105", "note"]
    wb = openpyxl.load_workbook(run.consolidation_path)
    assert any("Cohérence avec la campagne précédente" == r[0] for r in wb["Secret"].iter_rows(values_only=True))
    # The internal Synthèse says it beside 0105, published now: its N−1 and evolution are masked in the edition.
    synthese = [r for r in wb["Synthèse"].iter_rows(values_only=True) if r[0] == "0105"][0]
    assert "publié ; N−1 et évolution masqués (secret de l'édition 2007)" in synthese
    old = read_diffusion(root / "outputs" / "2007" / "diffusion.xlsx", c2007.nomenclature) \
        if (root / "outputs" / "2007" / "diffusion.xlsx").is_file() else None
    published, counts, previous, change = read_diffusion(root / "outputs" / "2026" / "diffusion.xlsx",
                                                         c2026.nomenclature)
    assert previous["metier:0105"] is None and change["metier:0105"] is None  # masked in 2007
    assert previous["branche:"] is not None and change["branche:"] is not None
    for cell, evo in change.items():  # an evolution is never published beside a masked figure
        assert evo is None or (published[cell] is not None and previous[cell] is not None), cell
    with open(root / "outputs" / "2026" / "diffusion.csv", encoding="utf-8", newline="") as f:
        rows = {f"{r['niveau']}:{r['code']}": r for r in csv.DictReader(f)}
    for cell, evo in change.items():  # the open data says the same
        assert rows[cell]["evolution"] == ("" if evo is None else str(evo)), cell
        assert rows[cell]["effectif_precedent"] == ("" if previous[cell] is None else str(previous[cell])), cell
        assert rows[cell]["evolution_secret"] == ("true" if evo is None else "false"), cell
    before = protect(branch_table(c2007.nomenclature, _figures(figures)), c2007.nomenclature)
    old_published, old_counts = published_from(before)
    if old is not None:
        assert old[0] == {k: v for k, v in old_published.items() if "|" not in k}
    # both editions and the evolution columns in one attack: 2007 cells prefixed, N−1 = the 2007 cell
    joint = {**published, **{f"2007/{k}": v for k, v in old_published.items()}}
    relations = sums(c2026.nomenclature) + [(f"2007/{t}", [f"2007/{p}" for p in ps]) for t, ps in
                                            sums(c2007.nomenclature)]
    free = set()
    for cell, evo in change.items():
        joint[f"evo/{cell}"] = evo
        free.add(f"evo/{cell}")
        relations.append((cell, [f"2007/{cell}", f"evo/{cell}"]))
    parts = parts_per_company(c2026.nomenclature, after)
    parts.update({f"2007/{k}": v for k, v in parts_per_company(c2007.nomenclature, figures).items()})
    primaries = {c for c, v in parts.items() if primary(v, {})}
    attack = Attack(relations, joint, parts, {}, free)
    assert not attack.failures(primaries)


def test_an_emploi_masked_with_its_metier_is_protected_through_the_family(campaign):
    """Found by the edge-case strategies: 0101 (one emploi, one person of one company) and 0102 (one
    person in each of three companies). 0101-1's only relation (0101 = 0101-1 + 0101-2) is all masked or
    zero, so its protection goes through 0101's family. It used to raise."""
    data = {"s0": {"0101-1": 1, "0102": 1}, "s1": {"0102": 1}, "s2": {"0102": 1}}
    p = _check(campaign, data)
    assert {("emploi", "0101-1"), ("metier", "0101")} <= p.masked
    assert p.reason("emploi", "0101-1") == p.reason("metier", "0101") == FREQUENCY


def _consolidated_2007_then_acta_corrected(two_campaigns, figures, tmp_path):
    """A project whose 2007 campaign is consolidated (its edition written), then Acta's 2007 return corrected (five
    more people in 0804) in its folder: (project, 2007, 2026)."""
    from pipeline.api import Project
    from pipeline.write.template import write_template
    from tests.conftest import fresh_root

    root = fresh_root(two_campaigns, tmp_path)
    _, c2007, c2026 = two_campaigns
    project = Project(root)
    project.consolidate(c2007)
    corrected = dict(figures["acta"], **{"0804": figures["acta"].get("0804", 0) + 5})
    corrected["TOTAL"] = corrected["TOTAL"] + 5
    write_template(c2007, "acta", c2007.inputs_dir(root) / "acta.xlsx", corrected)
    return project, c2007, c2026


def _acta_0804_in_n1(project, c2026) -> int:
    """Acta's 0804 in the figures 2026 compares with."""
    conn = project._connect()
    try:
        n1 = project.previous(conn, c2026).figures
    finally:
        conn.close()
    return int(n1.loc[(n1["societe"] == "acta") & (n1["cle"] == "0804") & (n1["mesure"] == "effectif"), "valeur"].sum())


def test_the_next_campaign_compares_with_the_edition_published_not_with_returns_corrected_since(two_campaigns,
                                                                                                figures, tmp_path):
    """2007 consolidated (its edition published), then Acta corrects its 2007 return: 2026's N−1 figures, the previous
    edition's protection and the groups it publishes stay those of the 2007 edition — the corrected figure would have
    made the N−1 column differ from the 2007 edition, and the difference revealed a cell it masked (found by an
    attack: 0804 recovered exactly)."""
    project, c2007, c2026 = _consolidated_2007_then_acta_corrected(two_campaigns, figures, tmp_path)
    assert project.check(c2007).checked.fichiers.set_index("fichier").loc["acta.xlsx", "statut"] == "accepté"
    assert _acta_0804_in_n1(project, c2026) == figures["acta"].get("0804", 0)  # as the 2007 edition counted it


def test_a_run_whose_edition_could_not_be_written_is_not_the_edition(two_campaigns, figures, tmp_path, monkeypatch):
    """2007 consolidated, then consolidated again after Acta's correction while diffusion.xlsx is held open: the
    edition on disk is still the first one, and so is what 2026 compares with (found by a review)."""
    import pipeline.api as api
    from pipeline.write.xlsx import OutputBusy

    project, c2007, c2026 = _consolidated_2007_then_acta_corrected(two_campaigns, figures, tmp_path)

    def held_open(conso, path, moment=None):
        raise OutputBusy([path])

    monkeypatch.setattr(api, "write_diffusion", held_open)
    run = project.consolidate(c2007)
    assert run.diffusion_path is None and run.busy == [project.root / "outputs" / "2007" / "diffusion.xlsx"]
    assert _acta_0804_in_n1(project, c2026) == figures["acta"].get("0804", 0)
