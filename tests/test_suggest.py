"""The job-title assistant on titles as HR systems write them: reading, proposals, the review workbook filled
with openpyxl as HR would, the codes as HR type them, and the measured accuracy."""

import math
import re

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from pipeline.api import Project
from pipeline.check.export import export_titles
from pipeline.check.review import review_to_values, typed_code
from pipeline.cli import main
from pipeline.compute.evaluation import EMPTY_HISTORY, evaluate
from pipeline.compute.lexicon import effective
from pipeline.compute.matching import Matcher, suggest
from pipeline.compute.titles import Reader, fold
from pipeline.core.errors import UserError
from pipeline.core.form import COL_CONFIDENCE, COL_KEPT, KEY_NV, KEY_TOTAL, REVIEW_HEADER_ROW, SHEET_REVIEW
from pipeline.core.nomenclature import load_nomenclature
from pipeline.core.texts import matching as M
from pipeline.core.titles import (load_abbreviations, load_control_set, load_evaluation_set, load_starter_lexicon,
                                  load_variants)
from pipeline.read.export import export_sheets
from pipeline.write.review import write_review
from tests.conftest import demo_root
from tests.helpers import ACCEPTED, ingest

NOMENCLATURE = load_nomenclature()
TABLE = load_abbreviations()
STARTER = load_starter_lexicon(NOMENCLATURE)


@pytest.fixture(scope="module")
def matcher():
    """The assistant as shipped: nomenclature, table of abbreviations, starter lexicon, empty history."""
    return Matcher(NOMENCLATURE, TABLE, effective(STARTER, EMPTY_HISTORY))


def read_export(path, title_column=None, count_column=None):
    return export_titles(export_sheets(path), path.name, title_column, count_column).titles


# --- reading a title --------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("Chargé(e) d'assistance", "Chargée d'assistance senior"),
    ("Chargé(e) d'assistance", "CDA N2"),
    ("Médecin régulateur(trice)", "Médecin de régulation"),
    ("Assistant(e) de régulation médicale", "Assistante régulation médicale F/H"),
    ("Technicien(ne) informatique", "Tech. informatique junior"),
    ("Gestionnaire des factures prestataires (f/h)", "prestataires factures gest."),
    ("Infirmier(e) de transport", "IDE rapatriement"),
])
def test_titles_written_differently_read_the_same(a, b):
    reader = Reader(TABLE)
    assert reader(a).key == reader(b).key


def test_a_department_suffix_is_context_not_the_job():
    reader = Reader(TABLE)
    payroll = reader("Gestionnaire paie - DRH")
    assert [w.form for w in payroll.words if not w.context] == ["gestionnaire", "paie"]
    assert "directeur" not in payroll.forms                     # DRH read as a department, not a director
    assert "directeur" in reader("DRH").forms                    # alone, it is the director
    assert all(w.context for w in reader("Chargée d'assistance (plateau auto)").words[2:])
    assert [w.context for w in reader("Technicien support DSI").words] == [False, False, True]


# --- proposals ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("title, code", [
    ("CDA", "0102"), ("CDA senior", "0102"), ("Gestionnaire paie - DRH", "0801"),
    ("Chargée d'assistance médicale", "0102"), ("Médecin de régulation", "0201"), ("Technicien helpdesk", "0701"),
    ("Infirmier convoyeur", "0203"), ("IDE rapatriement", "0203"), ("Flight nurse", "0203"),
    ("Standardiste bilingue", "0101"), ("Chef comptable", "0903"),
])
def test_titles_of_the_issue_get_a_confident_right_proposal(matcher, title, code):
    p = matcher.propose(title)
    assert p.confident, (title, p)
    assert p.code == code, (title, p)


def test_a_generic_word_does_not_decide_alone(matcher):
    p = matcher.propose("Assistante - Direction médicale")     # an assistant in a directorate, not 0202
    assert not (p.confident and p.code == "0202"), p
    for title in ("Assistance", "Responsable assistance", "Assistant"):
        generic = matcher.propose(title)
        assert generic.cle and not generic.confident and "trop général" in generic.flag, generic


def test_no_word_recognised_is_no_proposal_never_a_zero_percent_code(matcher, campaign, tmp_path):
    p = matcher.propose("Jardinier paysagiste")
    assert (p.cle, p.score, p.strong, p.alternatives) == ("", None, False, ())
    assert p.flag == M.MATCH_NONE and "NV" in p.flag
    proposals = suggest(matcher, pd.DataFrame({"intitule": ["Jardinier paysagiste"], "effectif": [2]}))
    assert proposals["cle"].tolist() == [""] and math.isnan(proposals["confiance"].iloc[0])
    path = write_review(campaign, "acta", proposals, tmp_path / "revue.xlsx")
    row = openpyxl.load_workbook(path)[SHEET_REVIEW][REVIEW_HEADER_ROW + 2]
    assert row[2].value in (None, "") and row[COL_CONFIDENCE].value is None and row[COL_KEPT].value in (None, "")


def test_only_strong_evidence_is_pre_filled(matcher):
    exact = matcher.propose("Chargée d'assistance confirmée")       # the nomenclature's own title, once read
    assert exact.strong and "identique" in exact.why
    near = matcher.propose("Comptable fournisseurs")                # confident, but only near a label
    assert near.confident and not near.strong and "mots reconnus" in near.why
    shared = matcher.propose("Auxiliaire de régulation")            # listed under two métiers
    assert not shared.strong and not shared.confident


def test_the_activities_of_a_metier_are_weak_evidence(matcher):
    p = matcher.propose("Secrétariat")          # a word of 0105's activities, in none of its labels
    assert p.code == "0105" and not p.confident and p.flag == M.MATCH_ACTIVITIES
    assert "activités du métier : Secrétariat" in p.why


# --- the measured accuracy --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def measured():
    return evaluate(NOMENCLATURE, TABLE, STARTER, load_evaluation_set(NOMENCLATURE), load_control_set(NOMENCLATURE),
                    load_variants(NOMENCLATURE))


def test_measured_accuracy_meets_the_targets(measured):
    shipped = measured.steps.set_index("etape").loc["lexique"]
    assert shipped["titres"] >= 150
    assert shipped["confiants"] >= 0.70 and shipped["justes"] >= 0.95 and shipped["erreurs"] <= 0.02
    assert shipped["preremplis_faux"] == 0
    variants = measured.variants
    assert variants["confiant"].mean() >= 0.90 and variants[variants["confiant"]]["juste"].all()


def test_learning_from_one_company_helps_the_others(measured):
    learning = measured.learning
    assert len(learning) == 20
    assert learning["confiants"].mean() > learning["avant"].mean()
    assert (learning["justes"] >= 0.85).all()
    cumulative = measured.cumulative   # every other company validated: at least as confident as after one
    assert len(cumulative) == 5 and cumulative["confiants"].mean() >= learning["confiants"].mean()
    assert (cumulative["justes"] >= 0.85).all()


def test_the_evaluation_set_is_held_out():
    """No title of the evaluation set is copied from the nomenclature, the starter lexicon or the table."""
    def words(text):
        text = re.sub(r"\((e|ne|trice|ve|le|se|ère|euse|f/h)\)", "", str(text), flags=re.I)
        return tuple(sorted(set(re.findall(r"[a-z0-9]+", fold(text))) - {"de", "d", "des", "du", "la", "l", "le"}))

    m = NOMENCLATURE.metiers
    labels = [*m["intitule_metier"], *[e for es in m["emplois"] for e in es], *[a for aa in m["autres"] for a in aa]]
    taken = {words(t) for t in [*labels, *STARTER["intitule"], *TABLE["forme"]]}
    for titles in (load_evaluation_set(NOMENCLATURE), load_control_set(NOMENCLATURE)):
        copied = [t for t in titles["intitule"] if words(t) in taken]
        assert not copied
        assert titles["intitule"].is_unique and len(titles) >= 60


# --- the review workbook, filled by HR ---------------------------------------------------------------

def _csv_export(tmp_path):
    path = tmp_path / "export.csv"
    rows = ["Matricule;Intitulé de poste;Service"] + [f"{i};Chargée d'assistance senior;Plateau" for i in range(5)]
    rows += ["10;CDA N2 - Plateau auto;Plateau", "11;Comptable fournisseurs;Finance", "12;Directeur général;DG",
             "13;Responsable du bien-être;RH", "14;Standardiste;Accueil", "15;Responsable de l'accueil;Accueil",
             "16;Jardinier;Services généraux", "17;Contrôleur de gestion;Finance"]
    path.write_text("\n".join(rows) + "\n", encoding="cp1252")
    return path


def test_export_formats(tmp_path):
    per_employee = read_export(_csv_export(tmp_path))
    assert per_employee.set_index("intitule").loc["Chargée d'assistance senior", "effectif"] == 5
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Poste", "Nombre"])
    ws.append(["Juriste", 3])
    ws.append(["Juriste", 2])
    ws.append(["Comptable", 4])
    wb.save(tmp_path / "export.xlsx")
    counted = read_export(tmp_path / "export.xlsx", "Poste", "Nombre").set_index("intitule")["effectif"]
    assert counted.to_dict() == {"Comptable": 4, "Juriste": 5}
    with pytest.raises(UserError, match="colonne « Métier » introuvable"):
        read_export(tmp_path / "export.xlsx", "Métier")
    ws.append(["Paie", "beaucoup"])
    wb.save(tmp_path / "export.xlsx")
    with pytest.raises(UserError, match="ligne 5 : effectif « beaucoup » illisible"):
        read_export(tmp_path / "export.xlsx", "Poste", "Nombre")


def _rows(ws):
    return {r[0].value: r for r in ws.iter_rows(min_row=REVIEW_HEADER_ROW + 2)}


def test_review_round_trip_to_an_accepted_template(campaign, tmp_path, matcher):
    demo_root(tmp_path)
    proposals = suggest(matcher, read_export(_csv_export(tmp_path)))
    path = write_review(campaign, "acta", proposals, tmp_path / "revue.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_REVIEW]
    rows = _rows(ws)
    by_title = proposals.set_index("intitule")
    for title, row in rows.items():                         # pre-filled exactly where the evidence is strong
        assert (row[COL_KEPT].value or "") == (by_title.loc[title, "cle"] if by_title.loc[title, "prerempli"] else "")
        assert row[COL_KEPT].protection.locked is False
    assert rows["Chargée d'assistance senior"][COL_KEPT].value == "0102"
    assert "identique" in rows["Chargée d'assistance senior"][5].value
    assert rows["Comptable fournisseurs"][COL_KEPT].value in (None, "")      # confident, to confirm
    assert rows["Comptable fournisseurs"][2].value == "0903"
    assert rows["Responsable du bien-être"][COL_KEPT].value in (None, "")    # flagged: left to decide
    assert ws.data_validations.dataValidation[0].formula1 == "Codes!$A$2:$A$42"
    assert ws.data_validations.dataValidation[0].errorStyle == "warning"     # "103" typed is not refused
    with pytest.raises(UserError, match="n'a pas de code retenu"):
        review_to_values(campaign, path, matcher.settle)
    # HR fill the codes as they type them: a number, text without its leading zero, lower-case nv, a split
    # métier's code whose emploi the title settles.
    rows["CDA N2 - Plateau auto"][COL_KEPT].value = 102
    rows["Comptable fournisseurs"][COL_KEPT].value = "903"
    rows["Directeur général"][COL_KEPT].value = "nv"
    rows["Responsable du bien-être"][COL_KEPT].value = KEY_NV
    rows["Standardiste"][COL_KEPT].value = "0101"
    rows["Responsable de l'accueil"][COL_KEPT].value = "0101-2"
    rows["Jardinier"][COL_KEPT].value = "NV"
    rows["Contrôleur de gestion"][COL_KEPT].value = "0904"
    wb.save(path)
    reviewed = review_to_values(campaign, path, matcher.settle)
    values = reviewed.values
    assert reviewed.company == "acta" and values["0102"] == 6 and values["0903"] == 1 and values[KEY_NV] == 3
    assert values["0101-1"] == 1 and values["0101-2"] == 1 and values[KEY_TOTAL] == 13
    assert "Chargée d'assistance senior (5)" in reviewed.comments["0102"]
    assert dict(zip(reviewed.titles["intitule"], reviewed.titles["cle"]))["Standardiste"] == "0101-1"
    result = CliRunner().invoke(main, ["--racine", str(tmp_path), "remplir", str(path), "--sortie",
                                       str(campaign.inputs_dir(tmp_path) / "acta.xlsx")], prog_name="effectifs")
    assert result.exit_code == 0, result.output
    assert "contrôle : accepté" in result.output
    checked = ingest(campaign, tmp_path)
    assert checked.fichiers["statut"].tolist() == [ACCEPTED]
    assert checked.effectifs.set_index("cle").loc["0102", "effectif"] == 6


@pytest.mark.parametrize("typed, code", [(103, "0103"), (103.0, "0103"), ("103", "0103"), (" 0103 ", "0103"),
                                         ("101-2", "0101-2"), ("0101 - 1", "0101-1"), ("nv", KEY_NV),
                                         ("Non ventilé", KEY_NV), ("0101", "0101"), (None, ""), ("abc", "abc")])
def test_codes_as_hr_type_them(typed, code):
    assert typed_code(typed) == code


def test_a_split_metier_code_needs_a_title_that_settles_the_emploi(campaign, tmp_path, matcher):
    titles = pd.DataFrame({"intitule": ["Standardiste", "Encadrante des chargées d'accueil", "Employé polyvalent"],
                           "effectif": [3, 1, 2]})
    path = write_review(campaign, "acta", suggest(matcher, titles), tmp_path / "revue.xlsx")
    wb = openpyxl.load_workbook(path)
    rows = _rows(wb[SHEET_REVIEW])
    for row in rows.values():
        row[COL_KEPT].value = "0101"
    wb.save(path)
    with pytest.raises(UserError) as err:
        review_to_values(campaign, path, matcher.settle)
    problems = err.value.details
    assert len(problems) == 1 and "Employé polyvalent" in problems[0]
    assert "0101-1 (Chargé(e) d'accueil d'assistance) ou 0101-2" in problems[0]
    rows["Employé polyvalent"][COL_KEPT].value = "0101-1"
    wb.save(path)
    values = review_to_values(campaign, path, matcher.settle).values
    assert values == {"0101-1": 5, "0101-2": 1, KEY_TOTAL: 6}


def test_suggest_command(campaign, tmp_path):
    export = _csv_export(demo_root(tmp_path))
    runner = CliRunner()
    out = runner.invoke(main, ["--racine", str(tmp_path), "suggest", str(export), "--societe", "acta"],
                        prog_name="effectifs")
    assert out.exit_code == 0 and "pré-rempli" in out.output and "à décider" in out.output, out.output
    assert (tmp_path / "outputs/2007/rapprochements/revue_acta.xlsx").is_file()
    out = runner.invoke(main, ["--racine", str(tmp_path), "suggest", "--evaluer"], prog_name="effectifs")
    assert out.exit_code == 0 and "confiants" in out.output and "Apprentissage" in out.output, out.output
    out = runner.invoke(main, ["--racine", str(tmp_path), "suggest", str(export), "--societe", "inconnue"],
                        prog_name="effectifs")
    assert out.exit_code == 3 and "inconnue" in out.stderr


def test_the_facade_uses_the_shipped_tables(campaign, tmp_path):
    p = Project(tmp_path).matcher(campaign).propose("CDA")
    assert p.code == "0102" and "CDA = chargé d'assistance" in p.why
