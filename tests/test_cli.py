"""Every command through click's CliRunner, on real files."""

import json
import shutil

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.cli import EXIT_CONFIG, EXIT_INCOMPLETE, EXIT_OK, main
from pipeline.core.form import SHEET_INPUT
from tests.conftest import cell_of


@pytest.fixture
def run(tmp_path):
    runner = CliRunner()

    def _run(*args, env=None):
        return runner.invoke(main, ["--racine", str(tmp_path), *args], env=env, catch_exceptions=False,
                             prog_name="effectifs")

    return _run


def test_help_is_in_french(run):
    result = run("--help")
    assert result.exit_code == 0
    assert "Utilisation : effectifs" in result.output and "Commandes" in result.output
    assert "Afficher cette aide et quitter." in result.output
    for command in ("demo", "nomenclature", "nouvelle-campagne", "modeles", "controler", "consolider"):
        assert command in result.output
        assert "Utilisation" in run(command, "--help").output


def test_demo_runs_the_whole_path(run, tmp_path):
    result = run("demo")
    assert result.exit_code == EXIT_OK, result.output
    assert "9 sociétés acceptées sur 9" in result.output
    assert "5\u202f523 personnes dans la branche, dont 562 non ventilées" in result.output
    for path in ("templates_xlsx/2007/effectifs_2007_acta.xlsx", "inputs/2007/effectifs_2007_ima.xlsx",
                 "outputs/2007/controle.xlsx", "outputs/2007/consolidation.xlsx"):
        assert (tmp_path / path).is_file(), path
    for shown in ("templates_xlsx/2007", "inputs/2007", "outputs/2007/controle.xlsx",
                  "outputs/2007/consolidation.xlsx", "outputs/2007/diffusion.xlsx"):
        assert f"{tmp_path / shown}\n" in result.output, shown  # where to find each, on its own line's end


def test_nomenclature_show_and_export(run, tmp_path):
    result = run("nomenclature")
    assert result.exit_code == 0
    assert "0101-2  Encadrant(e) des chargé(e)s d'accueil d'assistance" in result.output
    assert "39 métiers" in result.output
    for ext in ("xlsx", "csv"):
        out = tmp_path / f"nom.{ext}"
        assert run("nomenclature", "--export", str(out)).exit_code == 0
        assert out.is_file()
    ws = openpyxl.load_workbook(tmp_path / "nom.xlsx").active
    assert [c.value for c in ws["C"]][1] == "0101"  # text, leading zero kept
    assert (tmp_path / "nom.csv").read_text(encoding="utf-8-sig").splitlines()[1].split(";")[2] == "0101"
    bad = run("nomenclature", "--export", str(tmp_path / "nom.pdf"))
    assert bad.exit_code == EXIT_CONFIG and ".xlsx ou .csv" in bad.stderr


def test_nomenclature_check_of_a_broken_folder(run, tmp_path):
    from pipeline.core.nomenclature import default_nomenclature_dir
    folder = tmp_path / "nom"
    shutil.copytree(default_nomenclature_dir(), folder)
    path = folder / "metiers.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("\n0102;01;", "\n102;01;"), encoding="utf-8")
    result = run("nomenclature", "--dossier", str(folder))
    assert result.exit_code == EXIT_CONFIG
    assert "metiers.csv, ligne 3" in result.stderr and "Traceback" not in result.output + result.stderr


def test_new_campaign_then_templates(run, tmp_path):
    result = run("nouvelle-campagne", "2026", "--date-arrete", "2026-07-01", "--date-limite", "2026-10-15")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "campagnes" / "2026.toml").is_file()
    again = run("nouvelle-campagne", "2026")
    assert again.exit_code == EXIT_CONFIG and "existe déjà" in again.stderr
    result = run("modeles", "-c", "2026")
    assert result.exit_code == 0 and "9 modèles écrits" in result.output
    assert len(list((tmp_path / "templates_xlsx" / "2026").glob("*.xlsx"))) == 9
    props = {p.name: p.value for p in openpyxl.load_workbook(
        tmp_path / "templates_xlsx/2026/effectifs_2026_acta.xlsx").custom_doc_props.props}
    assert props["effectifs_campagne"] == "2026"


def test_campaign_from_environment(run, tmp_path):
    run("nouvelle-campagne", "2028")
    result = run("modeles", env={"EFFECTIFS_CAMPAGNE": "2028"})
    assert result.exit_code == 0 and "templates_xlsx/2028" in result.output


def test_unknown_campaign_is_a_configuration_error(run):
    result = run("modeles", "-c", "2099")
    assert result.exit_code == EXIT_CONFIG
    assert "Campagne « 2099 » introuvable" in result.stderr


def test_controler_exit_codes_and_json(run, tmp_path):
    assert run("demo").exit_code == 0
    result = run("controler", "--json")
    assert result.exit_code == EXIT_OK
    summary = json.loads(result.stdout)
    assert len(summary["societes_acceptees"]) == 9 and summary["sorties"]["Rapport de contrôle"].endswith(
        "controle.xlsx")

    path = tmp_path / "inputs/2007/effectifs_2007_acta.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_INPUT]
    ws[cell_of(ws, "0102")] = -4
    wb.save(path)
    (tmp_path / "inputs/2007/effectifs_2007_ima.xlsx").unlink()
    result = run("controler")
    assert result.exit_code == EXIT_INCOMPLETE
    assert "[rejeté] effectifs_2007_acta.xlsx (Acta)" in result.output
    assert "la valeur −4 est négative" in result.output
    assert "Sociétés sans retour : Inter Mutuelles Assistance." in result.output


def test_consolider_writes_both_workbooks(run, tmp_path):
    run("demo")
    (tmp_path / "outputs/2007/consolidation.xlsx").unlink()
    result = run("consolider")
    assert result.exit_code == EXIT_OK, result.output
    assert (tmp_path / "outputs/2007/consolidation.xlsx").is_file()
    assert "Consolidation :" in result.output


def test_consolider_without_any_accepted_return(run, tmp_path):
    (tmp_path / "inputs/2007").mkdir(parents=True)
    (tmp_path / "inputs/2007/retour.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    result = run("consolider")
    assert result.exit_code == EXIT_INCOMPLETE
    assert "Aucun retour accepté" in result.stderr
    assert not (tmp_path / "outputs/2007/consolidation.xlsx").exists()
    assert (tmp_path / "outputs/2007/controle.xlsx").is_file()


def test_missing_inputs_folder(run):
    result = run("controler")
    assert result.exit_code == EXIT_CONFIG and "Dossier des retours introuvable" in result.stderr


def test_internal_errors_never_show_a_traceback(run, monkeypatch):
    from pipeline.api import Project
    monkeypatch.setattr(Project, "write_templates", lambda *a: 1 / 0)
    result = run("modeles")
    assert result.exit_code == 4
    assert "Erreur interne inattendue (ZeroDivisionError" in result.stderr and "Traceback" not in result.stderr
