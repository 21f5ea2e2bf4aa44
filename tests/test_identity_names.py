"""A workbook filled in one company's template but named after another company of the campaign (Garantie
Assistance's figures in Mondial Assistance's template, sent as « effectifs_garantie_assistance.xlsx »): its status
kept, a point « À régler » for the secretary, nothing sent back to the company whose template it is."""

from types import SimpleNamespace

import openpyxl
import pytest

from pipeline.check.identity import CompanyNames
from pipeline.check.tasks import secretary_tasks
from pipeline.write.console import check_lines, tasks_lines
from pipeline.write.control import task_lines, write_control_report
from pipeline.write.feedback import sent_back
from pipeline.write.template import write_template
from tests.helpers import ACCEPTED, REJECTED, consolidate, ingest

MONDIAL, GARANTIE = "mondial-assistance", "garantie-assistance"
STRAY = "effectifs_garantie_assistance.xlsx"
NOTE = ("le nom de ce fichier évoque Garantie Assistance, mais il a été rempli dans le modèle de Mondial Assistance")
TASK = ("Le nom de ce fichier évoque Garantie Assistance, mais il a été rempli dans le modèle de cette société, à qui "
        "ses chiffres sont attribués : vérifiez auprès de Garantie Assistance avant de consolider. S'il vient bien de "
        "cette société, renommez-le, par exemple « effectifs_2007_mondial-assistance.xlsx » ; sinon, retirez-le du "
        "dossier et demandez à Garantie Assistance de remplir son propre modèle. Rien n'est renvoyé à cette société "
        "pour ce fichier.")


@pytest.fixture
def garantie_in_mondial(inputs, campaign, figures):
    """Garantie Assistance's figures, typed in Mondial Assistance's template, under Garantie's name."""
    return write_template(campaign, MONDIAL, inputs / STRAY, figures[GARANTIE])


def test_a_return_named_after_another_company_is_the_secretarys_to_check(garantie_in_mondial, campaign, tmp_path,
                                                                        figures):
    r = ingest(campaign, tmp_path)
    files = r.fichiers.set_index("fichier")
    assert files.loc[STRAY, "societe"] == MONDIAL and files.loc[STRAY, "statut"] == ACCEPTED  # its status kept
    said = r.messages[r.messages["code"] == "societe.nom_autre"]
    assert said[["fichier", "societe", "gravite"]].values.tolist() == [[STRAY, MONDIAL, "information"]]
    assert said.iloc[0]["message"] == NOTE
    assert said.iloc[0]["action"] == "vérifiez auprès de Garantie Assistance avant de consolider (feuille « À régler »)"
    assert GARANTIE in set(r.manquantes["identifiant"])
    tasks = secretary_tasks(r)
    assert tasks.values.tolist() == [["nom_autre", MONDIAL, [STRAY]]]
    assert task_lines(r, tasks) == [("Mondial Assistance", STRAY, TASK)]
    assert f"  - Mondial Assistance — {STRAY} : {TASK}" in tasks_lines(r, tasks)
    assert f"      - information : {NOTE}" in check_lines(r)
    # Counted as Mondial's until the secretary settles it (Garantie's figures, as the file holds them).
    assert consolidate(r).retenues["identifiant"].tolist() == [MONDIAL]
    report = write_control_report(r, tmp_path / "controle.xlsx")
    wb = openpyxl.load_workbook(report, read_only=True)
    rows = [[c for c in row if c is not None] for row in wb["À régler"].iter_rows(values_only=True)]
    assert ["Mondial Assistance", STRAY, TASK] in rows
    problems = [row for row in wb["Anomalies"].iter_rows(values_only=True) if row[0] == STRAY]
    assert [(p[4], p[5]) for p in problems] == [("information", NOTE)]


def test_nothing_goes_back_to_the_company_whose_template_holds_another_companys_figures(inputs, campaign, tmp_path,
                                                                                       figures):
    wrong = dict(figures[GARANTIE], **{"TOTAL": figures[GARANTIE]["TOTAL"] + 5})  # rejected: a total that is off
    write_template(campaign, MONDIAL, inputs / STRAY, wrong)
    r = ingest(campaign, tmp_path)
    assert r.fichiers.set_index("fichier").loc[STRAY, "statut"] == REJECTED
    assert sent_back(r) == {}
    assert secretary_tasks(r)["tache"].tolist() == ["nom_autre"]


def test_two_files_of_a_company_one_named_after_another_says_so(garantie_in_mondial, put, campaign, tmp_path):
    own = put(MONDIAL).name
    r = ingest(campaign, tmp_path)
    tasks = secretary_tasks(r)
    assert tasks[["tache", "societe"]].values.tolist() == [["plusieurs_fichiers", MONDIAL]]  # no second point
    assert sorted(tasks.iloc[0]["fichiers"]) == sorted([own, STRAY])
    (company, _, action), = task_lines(r, tasks)
    assert company == "Mondial Assistance"
    assert action.startswith("Plusieurs fichiers pour cette société : gardez")
    assert action.endswith(f" Attention : le nom de « {STRAY} » évoque Garantie Assistance, qui a peut-être rempli le "
                           "modèle de cette société. Vérifiez auprès de Garantie Assistance avant de choisir ; si "
                           "c'est le cas, ce n'est pas ce fichier qu'il faut garder, et Garantie Assistance doit "
                           "remplir son propre modèle.")


@pytest.mark.parametrize("name", ["effectifs_2007_mondial-assistance.xlsx", "effectifs_2007_mondial-assistance (2).xlsx",
                                  "Retour MONDIAL Assistance version finale.xlsx", "Effectifs 2007 assistance.xlsx",
                                  "tableau RH.xlsx"])
def test_a_file_renamed_or_named_after_no_company_is_not_flagged(put, campaign, tmp_path, name):
    put(MONDIAL, name=name)
    r = ingest(campaign, tmp_path)
    assert "societe.nom_autre" not in set(r.messages["code"])
    assert secretary_tasks(r).empty


def test_every_templates_own_name_names_its_company_only(campaign):
    names = CompanyNames(campaign)
    for company in campaign.company_ids:
        assert names.named(campaign.template_name(company)) == {company}
        assert names.other(campaign.template_name(company), company) is None


@pytest.mark.parametrize(("name", "named"), [
    ("effectifs_garantie_assistance.xlsx", {GARANTIE}),
    ("GARANTIE ASSISTANCE - Copie (2).xlsx", {GARANTIE}),
    ("Garantie.xlsx", {GARANTIE}),             # its own word: « assistance » is half the campaign's
    ("Inter Mutuelles Assistance.ods", {"ima"}),  # by its raison sociale
    ("Europ_Assistance_2007.xlsx.pdf", {"europ-assistance"}),
    ("Délta-Services.xlsx", {"delta-services"}),
    ("Retour FIDELIA RH version finale.xlsx", {"fidelia"}),
    ("Effectifs 2007 assistance.xlsx", set()),
    ("Delta.xlsx", set()),                     # « services » is its own word too
    ("tableau RH de l'an.xlsx", set()),
])
def test_which_companies_a_name_names(campaign, name, named):
    assert CompanyNames(campaign).named(name) == named


def test_a_generic_word_alone_names_no_company(campaign):
    """« AXA France » beside « AXA Assistance »: its only own word, « france », names no company by itself."""
    with_axa = SimpleNamespace(template_name=campaign.template_name,
                               names={**campaign.names, "axa-france": "AXA France"})
    names = CompanyNames(with_axa)
    for name in ("Effectifs France 2007.xlsx", "effectifs_2007_assistance_france.xlsx", "Délégation France.xlsx"):
        assert names.named(name) == set(), name
    assert names.named("AXA France effectifs.xlsx") == {"axa-france"}
