"""The job-title mapping assistant, on real files."""

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.core.errors import UserError
from tests.helpers import ACCEPTED, ingest
from tests.conftest import demo_root
from pipeline.core.nomenclature import load_nomenclature
from pipeline.check.export import export_titles
from pipeline.check.review import review_to_values
from pipeline.compute.matching import Matcher, evaluate, normalize, suggest
from pipeline.core.form import COL_KEPT, REVIEW_HEADER_ROW, SHEET_REVIEW
from pipeline.read.export import export_rows
from pipeline.write.review import write_review


def read_export(path, title_column=None, count_column=None):
    return export_titles(export_rows(path), path.name, title_column, count_column)
from pipeline.core.form import KEY_NV, KEY_TOTAL


@pytest.mark.parametrize("a, b", [
    ("Chargé(e) d'assistance", "Chargée d'assistance senior"),
    ("Animateur(trice) de réseaux de prestataires", "Animatrice réseau prestataires"),
    ("Médecin régulateur(trice)", "Médecin régulatrice F/H"),
    ("Technicien(ne) informatique", "Tech. informatique junior"),
    ("Gestionnaire des factures prestataires (f/h)", "prestataires factures gest."),
    ("Assistant(e) administratif(ve) de plateaux", "Assistante administrative plateau"),
])
def test_normalisation_of_french_titles(a, b):
    assert sorted(normalize(a)) == sorted(normalize(b))


def test_proposals_and_flags():
    m = Matcher(load_nomenclature())
    p = m.propose("Chargée d'assistance confirmée")
    assert (p["code"], p["confiant"]) == ("0102", True) and len(p["alternatives"]) == 2
    assert m.propose("Animatrice réseau de prestataires garages")["code"] == "0502"
    assert m.propose("Comptable")["code"] == "0903"
    unsure = m.propose("Responsable du bien-être au travail")
    assert not unsure["confiant"] and unsure["motif"]
    assert m.propose("")["confiant"] is False


def test_measured_accuracy_meets_the_targets():
    r = evaluate(load_nomenclature())
    assert r["top1"] >= 0.90 and r["top3"] >= 0.98 and r["erreurs_confiantes"] < 0.10
    variants = r["detail"][r["detail"]["source"] == "variante rédigée"]
    assert (~variants["confiant"]).mean() < 0.25  # realistic titles are mostly placed
    # Leave-one-out: each seed label is matched by a matcher that does not know it. Without its own
    # label most seeds share no word with their métier, so most are flagged (96 % measured).
    seeds = r["detail"][r["detail"]["source"].str.startswith("nomenclature")]
    assert len(seeds) > 40 and (~seeds["confiant"]).mean() > 0.5
    nomenclature = load_nomenclature()
    for row in seeds.itertuples(index=False):
        alone = Matcher(nomenclature, exclude={(row.attendu, row.intitule)})
        assert (row.attendu, row.intitule) not in {(l.code, l.text) for l in alone.labels}
        p = alone.propose(row.intitule)
        assert p["label"] != row.intitule and (p["code"], p["confiant"]) == (row.propose, row.confiant), row


def _csv_export(tmp_path):
    path = tmp_path / "export.csv"
    rows = ["Matricule;Intitulé de poste;Service"] + [f"{i};Chargée d'assistance senior;Plateau" for i in range(5)]
    rows += ["10;Chargé d'assistance junior;Plateau", "11;Comptable;Finance", "12;Directeur général;DG",
             "13;Responsable du bien-être;RH"]
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


def test_review_round_trip_to_an_accepted_template(campaign, tmp_path):
    demo_root(tmp_path)
    proposals = suggest(campaign, read_export(_csv_export(tmp_path)))
    path = write_review(campaign, "acta", proposals, tmp_path / "revue.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_REVIEW]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=REVIEW_HEADER_ROW + 2)}
    assert rows["Chargée d'assistance senior"][COL_KEPT].value == "0102"        # confident: pre-filled
    assert rows["Responsable du bien-être"][COL_KEPT].value in (None, "")      # flagged: left to decide
    assert rows["Responsable du bien-être"][COL_KEPT].protection.locked is False
    assert ws.data_validations.dataValidation[0].formula1 == "Codes!$A$2:$A$42"
    with pytest.raises(UserError, match="n'a pas de code retenu"):
        review_to_values(campaign, path)
    rows["Responsable du bien-être"][COL_KEPT].value = KEY_NV
    rows["Comptable"][COL_KEPT].value = "0903"
    rows["Directeur général"][COL_KEPT].value = "NV"
    wb.save(path)
    company, values, comments = review_to_values(campaign, path)
    assert company == "acta" and values["0102"] == 6 and values[KEY_NV] == 2 and values[KEY_TOTAL] == 9
    assert "Chargée d'assistance senior (5)" in comments["0102"]
    result = CliRunner().invoke(main, ["--racine", str(tmp_path), "remplir", str(path), "--sortie",
                                       str(campaign.inputs_dir(tmp_path) / "acta.xlsx")], prog_name="effectifs")
    assert result.exit_code == 0, result.output
    assert "contrôle : accepté" in result.output
    checked = ingest(campaign, tmp_path)
    assert checked.fichiers["statut"].tolist() == [ACCEPTED]
    assert checked.effectifs.set_index("cle").loc["0102", "effectif"] == 6


def test_suggest_command(campaign, tmp_path):
    export = _csv_export(demo_root(tmp_path))
    runner = CliRunner()
    out = runner.invoke(main, ["--racine", str(tmp_path), "suggest", str(export), "--societe", "acta"],
                        prog_name="effectifs")
    assert out.exit_code == 0 and "à décider" in out.output
    assert (tmp_path / "outputs/2007/rapprochements/revue_acta.xlsx").is_file()
    out = runner.invoke(main, ["--racine", str(tmp_path), "suggest", "--evaluer"], prog_name="effectifs")
    assert out.exit_code == 0 and "top-1" in out.output
    out = runner.invoke(main, ["--racine", str(tmp_path), "suggest", str(export), "--societe", "inconnue"],
                        prog_name="effectifs")
    assert out.exit_code == 3 and "inconnue" in out.stderr
