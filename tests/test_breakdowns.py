"""Breakdowns per métier and ETP: declared in the campaign file, asked in real templates, checked cell by cell,
consolidated (tables per breakdown, the age pyramid) and kept out of the published edition."""

from __future__ import annotations

import csv
import random
import shutil

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.core.breakdowns import ETP, NON_RENSEIGNE
from pipeline.core.campaign import embedded_campaign_path, load_campaign, new_campaign_file
from pipeline.core.errors import UserError
from pipeline.core.form import KEY_NV, KEY_TOTAL, SHEET_INPUT, columns, input_key
from pipeline.core.layout import membership
from pipeline.core.vocab import EFFECTIF, TOUT, Level
from pipeline.demo import later_figures, sample_breakdowns
from pipeline.write.breakdowns import breakdown_table, pyramid_data
from pipeline.write.template import write_template
from tests.helpers import ACCEPTED, REJECTED, WARNED, ingest, project_2009
from tests.conftest import row_of


@pytest.fixture(scope="module")
def campaign():
    return load_campaign(embedded_campaign_path("2009"))


@pytest.fixture(scope="module")
def filled(campaign):
    """Every company's figures and breakdowns (the demo's fictional ones), as write_template takes them."""
    figures = later_figures(campaign)
    extra = sample_breakdowns(campaign, figures)
    return {c: {**rows, **extra[c]} for c, rows in figures.items()}


def _column(ws, heading: str) -> int:
    for cell in ws[10]:
        if cell.value == heading:
            return cell.column
    raise KeyError(heading)


def _return(campaign, filled, tmp_path, company="ima", edit=None):
    inputs = campaign.inputs_dir(tmp_path)
    inputs.mkdir(parents=True, exist_ok=True)
    path = write_template(campaign, company, inputs / f"{company}.xlsx", filled[company])
    if edit is not None:
        wb = openpyxl.load_workbook(path)
        edit(wb[SHEET_INPUT])
        wb.save(path)
    return ingest(campaign, tmp_path)


# --- the declaration -------------------------------------------------------------------------------------------


def test_the_declaration_gives_breakdowns_crossed_pair_and_etp(campaign):
    s = campaign.saisie
    assert [b.key for b in s.breakdowns] == ["sexe", "age", "contrat", "statut", "temps", "sexe*age"]
    assert s.etp and s.share_gap == 10
    assert s.pyramid.crosses == ("sexe", "age")
    temps = next(b for b in s.with_categories() if b.key == "temps")
    assert temps.categories[-1] == (NON_RENSEIGNE, "non renseigné")
    headings = [c.heading for c in columns(campaign)]
    assert len(headings) == len(set(headings))
    assert "Temps de travail : non renseigné" in headings and "Femmes, Moins de 26 ans" in headings


SEXE_AGE = ('[[ventilations]]\nidentifiant = "sexe"\nlibelle = "Sexe"\ncategories = ["Femmes", "Hommes"]\n'
            '[[ventilations]]\nidentifiant = "age"\nlibelle = "Âge"\ncategories = ["Jeunes", "Autres"]\n')


@pytest.mark.parametrize("section, expected", [
    ('[[ventilations]]\nidentifiant = "sexe"\nlibelle = "Sexe"\ncategories = ["femmes"]\n', "au moins deux"),
    ('[[ventilations]]\nidentifiant = "Sexe!"\nlibelle = "Sexe"\ncategories = ["f", "h"]\n', "mot court"),
    ('[saisie]\netp = "oui"\n', "« etp » doit valoir true ou false"),
    ('[saisie]\ncroisements = [["sexe", "age"]]\n', "paires d'identifiants"),
    ('[[ventilations]]\nidentifiant = "a"\nlibelle = "A"\ncategories = ["x", "y"]\n'
     '[[ventilations]]\nidentifiant = "b"\nlibelle = "B"\ncategories = ["x", "z"]\n', "déjà utilisé"),
    # Two sheets of one name: the consolidation would stop once the templates are out.
    (('[[ventilations]]\nidentifiant = "a"\nlibelle = "Sexe"\ncategories = ["x", "y"]\n'
      '[[ventilations]]\nidentifiant = "b"\nlibelle = "sexe"\ncategories = ["z", "t"]\n'),
     "« Par sexe », qui est déjà"),
    ('[[ventilations]]\nidentifiant = "a"\nlibelle = "Société"\ncategories = ["x", "y"]\n', "« Par Société »"),
    (('[[ventilations]]\nidentifiant = "a"\nlibelle = "Région ou département de l\'établissement principal"\n'
      'categories = ["x", "y"]\n[[ventilations]]\nidentifiant = "b"\n'
      'libelle = "Région ou département de l\'établissement secondaire"\ncategories = ["z", "t"]\n'), "31 caractères"),
    # The one crossing drawn and published is the age pyramid.
    (SEXE_AGE + ('[[ventilations]]\nidentifiant = "region"\nlibelle = "Région"\ncategories = ["Nord", "Sud"]\n'
                 '[saisie]\ncroisements = [["region", "sexe"]]\n'), "ne sert qu'à la pyramide des âges"),
    (SEXE_AGE + '[saisie]\ncroisements = [["age", "sexe"]]\n', "ne sert qu'à la pyramide des âges"),
    (SEXE_AGE + '[saisie]\ncroisements = [["sexe", "age"], ["sexe", "age"]]\n', "ne sert qu'à la pyramide"),
    (SEXE_AGE.replace('["Femmes", "Hommes"]', '["Femmes", "Hommes", "Autre"]') +
     '[saisie]\ncroisements = [["sexe", "age"]]\n', "deux catégories"),
])
def test_a_wrong_declaration_is_explained_in_french(tmp_path, section, expected):
    text = embedded_campaign_path("2007").read_text(encoding="utf-8")
    at = text.index("# Une section [[societes]]")
    path = tmp_path / "c.toml"
    path.write_text(text[:at] + section + "\n" + text[at:], encoding="utf-8")
    with pytest.raises(UserError) as err:
        load_campaign(path, tmp_path)
    assert expected in str(err.value) + " ".join(err.value.details)


def test_a_new_campaign_starts_from_the_previous_declarations(tmp_path):
    (tmp_path / "campagnes").mkdir()
    shutil.copy(embedded_campaign_path("2009"), tmp_path / "campagnes" / "2009.toml")
    path = new_campaign_file("2011", tmp_path)
    new = load_campaign(path, tmp_path)
    assert new.saisie == load_campaign(tmp_path / "campagnes" / "2009.toml", tmp_path).saisie
    assert new.precedente == "2009"


# --- the template ----------------------------------------------------------------------------------------------


def test_the_template_groups_breakdown_columns_with_live_checks(campaign, tmp_path):
    path = write_template(campaign, "acta", tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(path)[SHEET_INPUT]
    femmes, hommes = _column(ws, "Femmes"), _column(ws, "Hommes")
    assert hommes == femmes + 1
    assert ws.cell(9, femmes).value == "Sexe"  # the breakdown's heading over its columns
    assert any(str(m) == f"{ws.cell(9, femmes).coordinate}:{ws.cell(9, hommes).coordinate}" for m in ws.merged_cells)
    r = row_of(ws, "0102")
    assert ws.cell(r, femmes).protection.locked is False
    assert ws.cell(row_of(ws, KEY_TOTAL), femmes).protection.locked is not False  # the declared total: headcount only
    # One rule per breakdown over every input row, written for the first row and read relative to each row.
    cell = ws.cell(r, femmes).coordinate
    covering = [(rng, rule.formula[0]) for rng in ws.conditional_formatting for rule in rng.rules
                if rule.formula and cell in rng.sqref]
    assert len(covering) == 2, covering  # the sum, and the empty breakdown
    top = min(b.min_row for b in covering[0][0].sqref.ranges)
    fl, hl = ws.cell(r, femmes).column_letter, ws.cell(r, hommes).column_letter
    assert f"SUM(${fl}{top}:${hl}{top})<>N($E{top})" in covering[0][1], covering
    assert top < r and row_of(ws, "0601") in {row for b in covering[0][0].sqref.ranges
                                               for row in range(b.min_row, b.max_row + 1)}
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert {"whole", "custom"} <= kinds  # whole people; ETP one decimal, never above the headcount
    assert ws.protection.sheet and ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$9:$10" and ws.print_title_cols == "$A:$B"


# --- the checks, each error kind as a fault of a real template -----------------------------------------------


def _cells(ws, heading: str, key: str):
    return ws.cell(row_of(ws, key), _column(ws, heading))


def test_a_correct_return_with_every_breakdown_is_accepted(campaign, filled, tmp_path):
    result = _return(campaign, filled, tmp_path)
    assert result.fichiers["statut"].tolist() in ([ACCEPTED], [WARNED]), result.messages.to_string()
    figures = result.chiffres
    assert set(figures["mesure"]) == {EFFECTIF, ETP}
    head = figures[(figures["categorie"] == TOUT) & (figures["mesure"] == EFFECTIF)].set_index("cle")["valeur"]
    women = figures[figures["categorie"] == "sexe=femmes"].set_index("cle")["valeur"]
    men = figures[figures["categorie"] == "sexe=hommes"].set_index("cle")["valeur"]
    assert ((women + men) == head.drop(KEY_TOTAL)).all()


def test_a_breakdown_that_does_not_add_up_names_row_breakdown_figures_and_cells(campaign, filled, tmp_path):
    def edit(ws):
        cell = _cells(ws, "Femmes", "0102")
        cell.value = cell.value + 3
    result = _return(campaign, filled, tmp_path, edit=edit)
    assert result.fichiers["statut"].tolist() == [REJECTED]
    m = result.messages[result.messages["code"] == "ventilation.somme"]
    assert len(m) == 1
    head = filled["ima"]["0102"]
    text = m["message"].iloc[0]
    assert "ligne 0102" in text and "« Sexe »" in text and f"{head + 3}" in text.replace("\u202f", "")
    assert f"{head}" in text.replace("\u202f", "") and "(écart +3)" in text and m["cellule"].iloc[0] in text


def test_an_empty_breakdown_on_a_non_empty_row_is_an_error(campaign, filled, tmp_path):
    def edit(ws):
        for heading in ("CDI", "CDD"):
            _cells(ws, heading, "0102").value = None
    result = _return(campaign, filled, tmp_path, edit=edit)
    m = result.messages[result.messages["code"] == "ventilation.vide"]
    assert result.fichiers["statut"].tolist() == [REJECTED] and len(m) == 1
    assert "« Contrat »" in m["message"].iloc[0]


def test_an_empty_breakdown_allowing_not_given_counts_as_not_given(campaign, filled, tmp_path):
    def edit(ws):
        for heading in ("Temps plein", "Temps partiel", "Temps de travail : non renseigné"):
            _cells(ws, heading, "0102").value = None
    result = _return(campaign, filled, tmp_path, edit=edit)
    assert result.fichiers["statut"].tolist() in ([ACCEPTED], [WARNED]), result.messages.to_string()
    f = result.chiffres.set_index(["cle", "mesure", "categorie"])["valeur"]
    assert f[("0102", EFFECTIF, f"temps={NON_RENSEIGNE}")] == filled["ima"]["0102"]


@pytest.mark.parametrize("heading, value, code", [
    ("ETP au 01/07/2009", "head+1", "etp.superieur"),
    ("ETP au 01/07/2009", 3.25, "valeur.decimale_etp"),
    ("Femmes", 2.5, "valeur.decimale"),
    ("Hommes", -1, "valeur.negative"),
    ("Cadres", "beaucoup", "valeur.texte"),
])
def test_each_cell_error_of_breakdowns_and_etp(campaign, filled, tmp_path, heading, value, code):
    def edit(ws):
        _cells(ws, heading, "0102").value = filled["ima"]["0102"] + 1 if value == "head+1" else value
    result = _return(campaign, filled, tmp_path, edit=edit)
    assert result.fichiers["statut"].tolist() == [REJECTED]
    assert code in set(result.messages["code"]), result.messages.to_string()


def test_etp_with_one_decimal_is_accepted(campaign, filled, tmp_path):
    def edit(ws):
        _cells(ws, "ETP au 01/07/2009", "0102").value = filled["ima"]["0102"] - 0.5
    result = _return(campaign, filled, tmp_path, edit=edit)
    assert result.fichiers["statut"].tolist() in ([ACCEPTED], [WARNED]), result.messages.to_string()


def test_etp_left_empty_on_a_non_empty_row_is_a_warning_naming_row_and_cell(campaign, filled, tmp_path):
    where = []

    def edit(ws):
        cell = _cells(ws, "ETP au 01/07/2009", "0102")
        cell.value = None
        where.append(cell.coordinate)
    result = _return(campaign, filled, tmp_path, edit=edit)
    assert result.fichiers["statut"].tolist() == [WARNED], result.messages.to_string()
    m = result.messages[result.messages["code"] == "etp.vide"]
    assert len(m) == 1, result.messages.to_string()
    m = m.iloc[0]
    assert (m["gravite"], m["feuille"], m["cellule"], m["cle"]) == ("avertissement", SHEET_INPUT, where[0], "0102")
    head = filled["ima"]["0102"]
    assert m["message"].replace("\u202f", " ") == (f"ligne 0102 (Chargé(e) d'assistance) : les ETP ne sont pas renseignés "
                                                   f"pour un effectif de {head:,}".replace(",", " "))
    assert m["action"] == "saisissez les ETP de la ligne"


def test_a_crossed_pair_that_disagrees_with_its_breakdown_is_an_error(campaign, filled, tmp_path):
    def edit(ws):  # one woman under 26 typed as a man: the pair still adds up to the row, not to « Sexe »
        women, men = _cells(ws, "Femmes, Moins de 26 ans", "0102"), _cells(ws, "Hommes, Moins de 26 ans", "0102")
        if not women.value:
            women, men = men, women
        women.value, men.value = women.value - 1, men.value + 1
    result = _return(campaign, filled, tmp_path, edit=edit)
    m = result.messages[result.messages["code"] == "ventilation.croisement"]
    assert result.fichiers["statut"].tolist() == [REJECTED] and len(m) == 1, result.messages.to_string()
    assert "« Sexe »" in m["message"].iloc[0]


# --- consolidation ----------------------------------------------------------------------------------------------


def _figures_frame(campaign, per_company: dict[str, dict[str, dict[str, int]]]) -> pd.DataFrame:
    rows = []
    for company, by_key in per_company.items():
        for key, cats in by_key.items():
            for categorie, v in cats.items():
                rows.append((campaign.identifiant, company, key, EFFECTIF, categorie, float(v)))
    return pd.DataFrame(rows, columns=["campagne", "societe", "cle", "mesure", "categorie", "valeur"])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), n_companies=st.integers(1, 4))
def test_breakdown_tables_match_an_independent_computation(campaign, seed, n_companies):
    from pipeline.compute.consolidation import consolidate as consolidate_figures
    rng = random.Random(seed)
    keys = list(campaign.nomenclature.lignes["cle"]) + [KEY_NV]
    sexe = campaign.saisie.of("sexe")
    companies = list(campaign.societes["identifiant"])[:n_companies]
    per_company = {}
    for company in companies:
        by_key = {}
        for key in rng.sample(keys, rng.randint(1, 12)):
            women, men = rng.randint(0, 50), rng.randint(0, 50)
            by_key[key] = {TOUT: women + men, "sexe=femmes": women, "sexe=hommes": men}
        per_company[company] = by_key
    figures = _figures_frame(campaign, per_company)
    retenues = pd.DataFrame({"identifiant": companies, "fichier": companies, "soumission": range(1, n_companies + 1),
                             "recu_le": ""})
    c = consolidate_figures(campaign, figures, retenues, pd.DataFrame(columns=["societe", "cle", "cellule", "source",
                                                                               "texte"]),
                            pd.DataFrame({"fichier": companies, "societe": companies}))
    table = breakdown_table(c, sexe).set_index(["niveau", "code"])
    # Independently: every row key's figure added to each cell it belongs to.
    member = membership(campaign.nomenclature)
    expected: dict[tuple[str, str, str], float] = {}
    for company, by_key in per_company.items():
        for key, cats in by_key.items():
            for m in member[member["cle"] == key].itertuples(index=False):
                for cat, v in cats.items():
                    expected[(m.niveau, m.code, cat)] = expected.get((m.niveau, m.code, cat), 0) + v
    for (niveau, code), row in table.iterrows():
        for cat, col in ((TOUT, "effectif"), ("sexe=femmes", "n:femmes"), ("sexe=hommes", "n:hommes")):
            assert row[col] == expected.get((niveau, code, cat), 0), (niveau, code, cat)
        whole = expected.get((niveau, code, TOUT), 0)
        assert row["p:femmes"] == pytest.approx(expected.get((niveau, code, "sexe=femmes"), 0) / whole if whole else 0)
        if whole:
            assert row["p:femmes"] + row["p:hommes"] == pytest.approx(1.0)


# --- the demo's second campaign: consolidation, pyramid, history, published edition -----------------------------


@pytest.fixture(scope="module")
def later(demo):
    return demo[1].breakdowns


def test_the_demo_runs_a_second_campaign_with_every_breakdown(later):
    assert later is not None and later.consolidation_path.is_file()
    assert set(later.checked.fichiers["statut"]) <= {ACCEPTED, WARNED}
    wb = openpyxl.load_workbook(later.consolidation_path)
    names = wb.sheetnames
    for name in ("Par Sexe", "Par Âge", "Par Contrat", "Par Statut", "Par Temps de travail", "ETP",
                 "Pyramide des âges"):
        assert name in names, names
    assert len(wb["Pyramide des âges"]._charts) == 1 + 9  # the branch and each family


def test_the_pyramid_table_holds_headcounts_as_they_are(later):
    """Both sexes are positive in the table, read back or copied; the chart draws the left half from a hidden
    column of the same figures negated (an observatory review read women as −575 in B6)."""
    for path in (later.consolidation_path, later.diffusion_path):
        ws = openpyxl.load_workbook(path)["Pyramide des âges"]
        numbers = [(r, c, v) for r, row in enumerate(ws.iter_rows(min_col=2, max_col=3, values_only=True), start=1)
                   for c, v in enumerate(row, start=2) if isinstance(v, (int, float))]
        assert numbers and all(v >= 0 for _, _, v in numbers)
        assert ws.column_dimensions["D"].hidden
        left = [(r, v) for r, c, v in numbers if c == 2]
        assert all(ws.cell(r, 4).value == -v for r, v in left)
        assert all(ws.cell(r, 4).value is None for r, c, v in numbers if c == 3 and ws.cell(r, 2).value is None)
    frames = pyramid_data(later.consolidation, later.consolidation.campaign.saisie.pyramid)
    branch = frames[(str(Level.BRANCHE), "")]
    ws = openpyxl.load_workbook(later.consolidation_path)["Pyramide des âges"]
    first = [ws.cell(r, 2).value for r in range(6, 6 + len(branch))]
    assert first == [int(v) for v in branch.iloc[:, 0]]


def test_the_pyramid_and_breakdown_tables_add_up(later):
    c = later.consolidation
    b = c.campaign.saisie.pyramid
    frames = pyramid_data(c, b)
    assert frames[(str(Level.BRANCHE), "")].to_numpy().sum() == c.total
    sexe = breakdown_table(c, c.campaign.saisie.of("sexe"))
    assert (sexe["n:femmes"] + sexe["n:hommes"] == sexe["effectif"]).all()
    temps = breakdown_table(c, c.campaign.saisie.with_categories()[4])
    assert (temps["n:temps-plein"] + temps["n:temps-partiel"] + temps[f"n:{NON_RENSEIGNE}"] == temps["effectif"]).all()
    assert temps[f"n:{NON_RENSEIGNE}"].iloc[-1] > 0  # the company that left « temps » empty


def test_the_history_keeps_breakdowns_in_long_form(later):
    from pipeline.api import Project
    from pipeline.store import history
    project = Project(later.consolidation_path.parents[2])
    with project._connect() as conn:
        accepted = history.accepted(conn, later.consolidation.campaign)
    cats = set(accepted.chiffres["categorie"])
    assert {"sexe=femmes", "age=moins-de-26-ans", "sexe=femmes&age=moins-de-26-ans", TOUT} <= cats
    assert ETP in set(accepted.chiffres["mesure"])


def test_evolution_per_category_needs_the_category_both_times(later):
    evo = later.consolidation.evolution
    assert set(evo.rows["categorie"]) == {TOUT}  # 2007 asked no breakdown: nothing to compare


def test_input_key_of_breakdown_columns(campaign):
    keys = {c.key for c in columns(campaign) if c.ventilation == "sexe"}
    assert keys == {input_key(EFFECTIF, "sexe=femmes"), input_key(EFFECTIF, "sexe=hommes")}


def _two_years(tmp_path, filled):
    """The 2009 campaign with every company's return, consolidated, and the 2010 campaign following it:
    (project, 2009, 2010)."""
    project, first = project_2009(tmp_path)
    folder = first.inputs_dir(tmp_path)
    folder.mkdir(parents=True)
    for company, values in filled.items():
        write_template(first, company, folder / f"{company}.xlsx", values)
    project.consolidate(first)
    return project, first, project.campaign(str(new_campaign_file("2010", tmp_path)))


def test_a_share_moving_from_the_previous_campaign_is_a_warning(tmp_path, filled):
    project, first, second = _two_years(tmp_path, filled)
    assert second.saisie == first.saisie and second.precedente == "2009"
    values = dict(filled["ima"])
    keys = {k[1] for k in values if isinstance(k, tuple)}
    for k in list(values):  # women and men swapped on row 0102: the share of women moves
        if isinstance(k, tuple) and k[0] == "0102" and "sexe=femmes" in k[1]:
            other = (k[0], k[1].replace("sexe=femmes", "sexe=hommes"))
            assert other[1] in keys
            values[k], values[other] = values[other], values[k]
    folder = second.inputs_dir(tmp_path)
    folder.mkdir(parents=True)
    write_template(second, "ima", folder / "ima.xlsx", values)
    run = project.check(second)
    m = run.checked.rendered_messages
    m = m[m["code"] == "ventilation.part"]
    women = filled["ima"][("0102", input_key(EFFECTIF, "sexe=femmes"))] / filled["ima"]["0102"]
    if abs(2 * women - 1) * 100 > 10:  # the swap moves the share by more than the campaign's 10 points
        assert set(m["cle"]) == {"0102"} and "Femmes" in " ".join(m["message"]), m.to_string()
        assert set(m["gravite"]) == {"avertissement"}
    # The evolution per category, at constant scope (ima, consolidated both times), in its breakdown sheet.
    c = project.consolidate(second).consolidation
    evo = c.evolution.rows.set_index(["niveau", "code", "mesure", "categorie"])
    before, now = filled["ima"][("0102", input_key(EFFECTIF, "sexe=femmes"))], values[("0102", input_key(
        EFFECTIF, "sexe=femmes"))]
    assert evo.loc[("metier", "0102", EFFECTIF, "sexe=femmes"), "variation"] == now - before
    ws = openpyxl.load_workbook(project.campaign("2010").outputs_dir(tmp_path) / "consolidation.xlsx")["Par Sexe"]
    assert "Évolution" in [cell.value for cell in ws[5]]


def test_a_breakdown_left_empty_both_years_keeps_its_share_not_given(tmp_path, filled):
    """The demo's last company leaves « Temps de travail » (« non renseigné » allowed) empty: the history counts
    its rows as not given; the same return a year later must not read as « non renseigné » going from 100 % to 0 %."""
    project, first, second = _two_years(tmp_path, filled)
    last = list(filled)[-1]
    folder = second.inputs_dir(tmp_path)
    folder.mkdir(parents=True)
    write_template(second, last, folder / f"{last}.xlsx", filled[last])
    m = project.check(second).checked.rendered_messages
    assert "ventilation.part" not in set(m["code"]), m[m["code"] == "ventilation.part"].to_string()


def _sent_back(tmp_path, values, edit):
    """ima's return, edited with openpyxl, checked as the secretary runs it: (the run, its return-to-sender sheet)."""
    project, own = project_2009(tmp_path)
    folder = own.inputs_dir(tmp_path)
    folder.mkdir(parents=True)
    path = write_template(own, "ima", folder / "ima.xlsx", values)
    wb = openpyxl.load_workbook(path)
    edit(wb[SHEET_INPUT])
    wb.save(path)
    run = project.check(own)
    return run, openpyxl.load_workbook(own.outputs_dir(tmp_path) / "retours" / "ima.xlsx")[SHEET_INPUT]


def test_a_rejected_return_goes_back_with_its_breakdowns(filled, tmp_path):
    def edit(ws):
        _cells(ws, "CDI", "0102").value += 1
    run, back = _sent_back(tmp_path, filled["ima"], edit)
    assert run.checked.fichiers["statut"].tolist() == [REJECTED]
    assert _cells(back, "CDI", "0102").value == filled["ima"][("0102", input_key(EFFECTIF, "contrat=cdi"))] + 1
    assert _cells(back, "Femmes", "0102").value == filled["ima"][("0102", input_key(EFFECTIF, "sexe=femmes"))]
    etp = _cells(back, "ETP au 01/07/2009", "0102").value
    assert etp == filled["ima"][("0102", input_key(ETP, TOUT))]


def _crossed_slip(ws):
    """One person under 26 moved from one sex to the other in the crossed pair only; returns the sex lowered."""
    women, men = _cells(ws, "Femmes, Moins de 26 ans", "0102"), _cells(ws, "Hommes, Moins de 26 ans", "0102")
    lowered = "Femmes"
    if not women.value:
        women, men, lowered = men, women, "Hommes"
    women.value, men.value = women.value - 1, men.value + 1
    return lowered


AGES = ["Moins de 26 ans", "26 à 35 ans", "36 à 45 ans", "46 à 55 ans", "Plus de 55 ans"]
HIGHLIGHTED = {"F8CBAD", "FFD966"}  # the error and warning fills of a return sent back


@pytest.mark.parametrize("code, edit, cells", [
    ("ventilation.somme", lambda ws, v: setattr(_cells(ws, "Femmes", "0102"), "value", v["sexe=femmes"] + 3),
     lambda lowered: {"Femmes", "Hommes"}),
    ("ventilation.vide", lambda ws, v: [setattr(_cells(ws, h, "0102"), "value", None) for h in ("CDI", "CDD")],
     lambda lowered: {"CDI", "CDD"}),
    ("ventilation.croisement", lambda ws, v: _crossed_slip(ws),
     lambda lowered: {lowered} | {f"{lowered}, {age}" for age in AGES}),
    ("etp.superieur", lambda ws, v: setattr(_cells(ws, "ETP au 01/07/2009", "0102"), "value", v[TOUT] + 1),
     lambda lowered: {"ETP au 01/07/2009"}),
    ("valeur.decimale_etp", lambda ws, v: setattr(_cells(ws, "ETP au 01/07/2009", "0102"), "value", 0.25),
     lambda lowered: {"ETP au 01/07/2009"}),
    ("valeur.texte", lambda ws, v: setattr(_cells(ws, "Cadres", "0102"), "value", "beaucoup"),
     lambda lowered: {"Cadres"}),
])
def test_a_return_sent_back_highlights_the_breakdown_and_etp_cells_named(filled, tmp_path, code, edit, cells):
    values = {k[1].split(":", 1)[1]: v for k, v in filled["ima"].items() if isinstance(k, tuple) and k[0] == "0102"}
    values[TOUT] = filled["ima"]["0102"]
    lowered = []
    run, back = _sent_back(tmp_path, filled["ima"], lambda ws: lowered.append(edit(ws, values)))
    assert code in set(run.checked.messages.loc[run.checked.messages["cle"] == "0102", "code"])
    r = row_of(back, "0102")
    marked = {back.cell(10, c).value: back.cell(r, c) for c in range(5, back.max_column + 1)
              if str(back.cell(r, c).fill.fgColor.rgb)[-6:] in HIGHLIGHTED}
    assert set(marked) == cells(lowered[0]), marked
    assert {cell.number_format for cell in marked.values()} == {"General"}  # 0.25 ETP shows 0.25, not 0


def test_a_cell_warned_and_explained_stays_highlighted_as_warned(tmp_path, filled):
    """CDI typed as text (a warning) on a row whose contract shares moved, explained in its comment (information on
    both contract cells): the CDI cell is highlighted as warned, whatever the order of the messages."""
    project, first = project_2009(tmp_path)
    folder = first.inputs_dir(tmp_path)
    folder.mkdir(parents=True)
    write_template(first, "ima", folder / "ima.xlsx", filled["ima"])
    project.consolidate(first)
    second = project.campaign(str(new_campaign_file("2010", tmp_path)))
    cdi, cdd = (("0102", input_key(EFFECTIF, f"contrat={c}")) for c in ("cdi", "cdd"))
    values = {**filled["ima"], cdi: f" {filled['ima'][cdd]} ", cdd: filled["ima"][cdi]}  # the shares swapped
    assert abs(values[cdd] - filled["ima"][cdd]) / filled["ima"]["0102"] > 0.1
    folder = second.inputs_dir(tmp_path)
    folder.mkdir(parents=True)
    write_template(second, "ima", folder / "ima.xlsx", values, {"0102": "Titularisation de nos CDD cette année"})
    run = project.check(second)
    m = run.checked.rendered_messages
    assert {"valeur.texte_lu", "ventilation.part"} <= set(m.loc[m["cle"] == "0102", "code"]), m.to_string()
    back = openpyxl.load_workbook(second.outputs_dir(tmp_path) / "retours" / "ima.xlsx")[SHEET_INPUT]
    r = row_of(back, "0102")
    marked = {back.cell(10, c).value: str(back.cell(r, c).fill.fgColor.rgb)[-6:] for c in range(5, back.max_column + 1)
              if str(back.cell(r, c).fill.fgColor.rgb)[-6:] in HIGHLIGHTED}
    assert marked == {"CDI": "FFD966"}, marked


def test_modeles_says_a_template_changed_because_of_its_breakdowns(tmp_path):
    from pipeline.api import Project
    (tmp_path / "campagnes").mkdir()
    text = embedded_campaign_path("2009").read_text(encoding="utf-8").replace('precedente = "2007"\n', "")
    path = tmp_path / "campagnes" / "2009.toml"
    path.write_text(text, encoding="utf-8")
    project = Project(tmp_path)
    project.write_templates(project.campaign("2009"), force=True)
    assert {w.state for w in project.write_templates(project.campaign("2009"), force=True).written} == {"unchanged"}
    path.write_text(text.replace("etp = true", "etp = false"), encoding="utf-8")
    written = project.write_templates(project.campaign("2009"), force=True).written
    assert {w.state for w in written} == {"changed"}
    assert all(w.reasons == ("effectifs_saisie",) for w in written), [w.reasons for w in written]
    ws = openpyxl.load_workbook(written[0].path)[SHEET_INPUT]
    assert "ETP au 01/07/2009" not in [c.value for c in ws[10]]
