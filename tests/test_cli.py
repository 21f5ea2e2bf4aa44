"""Every command through click's CliRunner, on real files."""

import csv
import functools
import json
import re
import shutil

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.cli import EXIT_CONFIG, EXIT_INCOMPLETE, EXIT_OK, main
from pipeline.core.campaign import DEMO_CAMPAIGN, embedded_campaign_path, load_campaign
from pipeline.core.form import KEY_TOTAL, SHEET_INPUT
from pipeline.demo import sample_figures
from tests.conftest import cell_of, demo_root, fresh_root


@pytest.fixture
def run(tmp_path):
    """``effectifs --racine tmp_path …`` (``root=`` another folder, such as the demo's)."""
    runner = CliRunner()

    def _run(*args, env=None, root=None):
        return runner.invoke(main, ["--racine", str(root or tmp_path), *args], env=env, catch_exceptions=False,
                             prog_name="effectifs")

    return _run


def _fill_contacts(path, deadline="2099-12-31"):
    """The secretary completes the campaign file: a real contact, a deadline to come."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'^nom = ".*"$', 'nom = "Secrétariat du SNSA"', text, count=1, flags=re.M)
    text = re.sub(r'^email = ".*"$', 'email = "secretariat@snsa.fr"', text, count=1, flags=re.M)
    text = re.sub(r"^date_limite = .*$", f"date_limite = {deadline}", text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")


def test_help_is_in_french(run):
    result = run("--help")
    assert result.exit_code == 0
    assert "Utilisation : effectifs" in result.output and "Commandes" in result.output
    assert "Afficher cette aide et quitter." in result.output
    for command in ("demo", "nomenclature", "nouvelle-campagne", "modeles", "controler", "consolider"):
        assert command in result.output
        assert "Utilisation" in run(command, "--help").output


def test_demo_runs_the_whole_path(run, tmp_path):
    """The demo lives in demo/, with its own history: nothing of it in the project's own folders."""
    result = run("demo")
    assert result.exit_code == EXIT_OK, result.output
    assert not (tmp_path / "outputs").exists() and not (tmp_path / "campagnes").exists()
    tmp_path = tmp_path / "demo"
    assert (tmp_path / "outputs" / "historique.sqlite").is_file()
    assert "9 sociétés acceptées sur 9" in result.output
    assert "5\u202f523 personnes dans la branche, dont 562 non ventilées" in result.output
    for path in ("templates_xlsx/2007/effectifs_2007_acta.xlsx", "inputs/2007/effectifs_2007_ima.xlsx",
                 "outputs/2007/controle.xlsx", "outputs/2007/consolidation.xlsx"):
        assert (tmp_path / path).is_file(), path
    for shown in ("templates_xlsx/2007", "inputs/2007", "outputs/2007/controle.xlsx",
                  "outputs/2007/consolidation.xlsx", "outputs/2007/diffusion.xlsx"):
        assert f"{tmp_path / shown}\n" in result.output, shown  # where to find each, on its own line's end
    # The second, fictional campaign asking every breakdown and ETP.
    assert "Seconde campagne, fictive, 2009" in result.output
    assert f"{tmp_path / 'outputs/2009/consolidation.xlsx'}\n" in result.output
    # As many cells masked as the open data flags, the main table's (« tout ») and the breakdowns'.
    with open(tmp_path / "outputs/2009/diffusion.csv", encoding="utf-8", newline="") as f:
        secret = [r for r in csv.DictReader(f) if r["effectif_secret"] == "true"]
    main_table = sum(r["categorie"] == "tout" for r in secret)
    assert 0 < main_table < len(secret)
    assert (f"répartitions comprises sous secret statistique ({main_table} cellules masquées dans le tableau "
            f"principal, {len(secret)} en tout avec les répartitions) : {tmp_path / 'outputs/2009/diffusion.xlsx'}\n"
            ) in result.output
    assert (tmp_path / "templates_xlsx/2009/effectifs_2009_acta.xlsx").is_file()
    # Its campaign file, the commented example the secretary's guide points to.
    assert (tmp_path / "campagne_2009.toml").read_bytes() == embedded_campaign_path("2009").read_bytes()


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
    assert run("demo").exit_code == 0  # the demo never becomes a real campaign's predecessor
    result = run("nouvelle-campagne", "2026", "--date-arrete", "01/07/2026", "--date-limite", "2026-10-15")
    assert result.exit_code == 0, result.output
    path = tmp_path / "campagnes" / "2026.toml"
    assert path.is_file() and "\nprecedente" not in path.read_text(encoding="utf-8")
    assert "Campagne 2026 : effectifs au 01/07/2026, retours attendus avant le 15/10/2026, 9 sociétés." in result.output
    assert "À compléter dans ce fichier" in result.output and "date limite de retour (15/10/2026) est déjà passée" \
        in result.output
    again = run("nouvelle-campagne", "2026")
    assert again.exit_code == EXIT_CONFIG and "existe déjà" in again.stderr
    refused = run("modeles", "-c", "2026")
    assert refused.exit_code == EXIT_CONFIG and "n'est pas prêt pour l'envoi" in refused.stderr
    assert not (tmp_path / "templates_xlsx").exists()
    _fill_contacts(path)
    result = run("modeles", "-c", "2026")
    assert result.exit_code == 0 and "9 modèles nouveaux" in result.output
    assert len(list((tmp_path / "templates_xlsx" / "2026").glob("*.xlsx"))) == 9
    props = {p.name: p.value for p in openpyxl.load_workbook(
        tmp_path / "templates_xlsx/2026/effectifs_2026_acta.xlsx").custom_doc_props.props}
    assert props["effectifs_campagne"] == "2026"


def test_campaign_from_environment_or_the_latest_one(run, tmp_path):
    run("nouvelle-campagne", "2026")
    said = run("nouvelle-campagne", "2028").output  # what it carried over, without opening the file
    assert ("Campagne 2028 : effectifs au 01/07/2028, retours attendus avant le 29/09/2028, 9 sociétés, reprises de la "
            "campagne 2026, qui sera la campagne précédente") in said
    text = (tmp_path / "campagnes" / "2028.toml").read_text(encoding="utf-8")
    assert 'precedente = "2026"' in text and "date_arrete = 2028-07-01" in text  # not 2007, not a past date
    for year in ("2026", "2028"):
        _fill_contacts(tmp_path / "campagnes" / f"{year}.toml")
    result = run("modeles", env={"EFFECTIFS_CAMPAGNE": "2026"})
    assert result.exit_code == 0 and "templates_xlsx/2026" in result.output
    result = run("modeles")
    assert result.exit_code == 0 and "templates_xlsx/2028" in result.output  # the latest campaign


def test_no_campaign_says_how_to_start(run):
    result = run("controler")
    assert result.exit_code == EXIT_CONFIG and "Aucune campagne" in result.stderr and "effectifs demo" in result.stderr


def test_unknown_campaign_is_a_configuration_error(run):
    result = run("modeles", "-c", "2099")
    assert result.exit_code == EXIT_CONFIG
    assert "Campagne « 2099 » introuvable" in result.stderr


def test_controler_exit_codes_and_json(run, tmp_path):
    assert run("demo").exit_code == 0
    tmp_path = tmp_path / "demo"
    run = functools.partial(run, root=tmp_path)
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
    # IMA's accepted file left the folder: it still counts, and nothing says IMA sent nothing
    assert "sans retour" not in result.output
    kept = "Sociétés retenues sans fichier dans le dossier (leur dernier fichier accepté compte toujours)"
    assert re.search(re.escape(kept) + r" : Inter Mutuelles Assistance \(effectifs_2007_ima\.xlsx, "
                     r"reçu le \d\d/\d\d/\d{4} \d\d:\d\d\)\.", result.output)
    summary = json.loads(run("controler", "--json").stdout)
    assert summary["societes_sans_retour"] == [] and summary["societes_retenues_hors_dossier"] == ["ima"]
    assert "ima" in summary["societes_acceptees"]
    ws = openpyxl.load_workbook(tmp_path / "outputs/2007/controle.xlsx")["Fichiers"]
    values = [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True)]
    assert values[1] == ["Sociétés acceptées dans le dossier : 7 sur 9 ; sans retour : 0 ; retenues sans fichier "
                         "dans le dossier : 1"]
    kept = values.index([kept])
    assert values[kept - 3:kept - 1] == [["Sociétés sans retour"], ["aucune"]]
    assert values[kept + 1] == ["Fichier", "Société", "Raison sociale", "Reçu le"]
    assert values[kept + 2][:3] == ["effectifs_2007_ima.xlsx", "ima", "Inter Mutuelles Assistance"]
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", values[kept + 2][3]) and len(values) == kept + 3

    (tmp_path / "inputs/2007/notes.txt").write_text("à voir", encoding="utf-8")
    assert "Historique : 1 nouveau fichier, 8 déjà connus." in run("controler").output
    copy = tmp_path / "inputs/2007/copie fidelia.xlsx"
    shutil.copyfile(tmp_path / "inputs/2007/effectifs_2007_fidelia.xlsx", copy)
    output = run("controler").output  # the same bytes: a copy, counted once
    assert "[ignoré] copie fidelia.xlsx (Fidélia)" in output and "en attente" not in output
    openpyxl.load_workbook(copy).save(copy)  # saved again: other bytes, which one holds?
    assert ("Historique : 0 nouveau fichier, 8 déjà connus, 2 fichiers en attente (plusieurs fichiers pour une même "
            "société).") in run("controler").output


def test_consolider_writes_both_workbooks(run, tmp_path):
    run("demo")
    tmp_path = tmp_path / "demo"
    (tmp_path / "outputs/2007/consolidation.xlsx").unlink()
    result = run("consolider", root=tmp_path)
    assert result.exit_code == EXIT_OK, result.output
    assert (tmp_path / "outputs/2007/consolidation.xlsx").is_file()
    assert "Consolidation :" in result.output
    assert ("Branche consolidée : 9 sociétés sur 9, 5\u202f523 personnes, dont 562 non ventilées ; édition publiée "
            "sous secret statistique : 3 cellules masquées.") in result.output
    assert "consolidation partielle" not in result.output


def test_consolider_says_when_companies_are_missing(run, tmp_path):
    """A consolidation without a company says so, with what it counts: its edition is not to be published."""
    run("demo")
    root = tmp_path / "demo"
    for kept in ("historique.sqlite", "cache-controles.sqlite"):
        (root / "outputs" / kept).unlink()
    (root / "inputs/2007/effectifs_2007_delta-services.xlsx").unlink()
    campaign = load_campaign(embedded_campaign_path(DEMO_CAMPAIGN))
    figures = sample_figures(campaign)
    people = sum(f[KEY_TOTAL] for c, f in figures.items() if c != "delta-services")
    result = run("consolider", root=root)
    assert result.exit_code == EXIT_INCOMPLETE, result.output
    shown = f"{people:,}".replace(",", "\u202f")
    assert f"Branche consolidée : 8 sociétés sur 9, {shown} personnes," in result.output
    assert ("Attention : consolidation partielle, sans la société Delta Services, faute de soumission acceptée. "
            "Les effectifs, l'édition publiée") in result.output


def test_consolider_without_any_accepted_return(run, tmp_path):
    demo_root(tmp_path)
    (tmp_path / "inputs/2007").mkdir(parents=True)
    (tmp_path / "inputs/2007/retour.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    result = run("consolider")
    assert result.exit_code == EXIT_INCOMPLETE
    assert "Aucun retour accepté" in result.stderr
    assert not (tmp_path / "outputs/2007/consolidation.xlsx").exists()
    assert (tmp_path / "outputs/2007/controle.xlsx").is_file()


def test_nothing_received_yet(run, tmp_path):
    """Before any return: the folder is made, and the secretary is told where to put the files."""
    demo_root(tmp_path)
    result = run("controler")
    assert result.exit_code == EXIT_INCOMPLETE and (tmp_path / "inputs" / "2007").is_dir()
    assert "Aucun fichier reçu pour l'instant" in result.stderr and "Aucun retour accepté" not in result.stderr


def test_internal_errors_never_show_a_traceback(run, monkeypatch, tmp_path):
    demo_root(tmp_path)
    from pipeline.api import Project
    monkeypatch.setattr(Project, "write_templates", lambda *a, **k: 1 / 0)
    result = run("modeles")
    assert result.exit_code == 4
    assert "Erreur interne inattendue (ZeroDivisionError" in result.stderr and "Traceback" not in result.stderr


def test_nomenclature_copied_to_edit_for_a_campaign(run, tmp_path):
    """The secretary copies the nomenclature into the project to edit it, then points the campaign file at it."""
    folder = tmp_path / "campagnes" / "nomenclature 2026"
    result = run("nomenclature", "--copier", str(folder))
    assert result.exit_code == 0, result.output
    assert f'--dossier "{folder}"' in result.output and 'nomenclature = "nomenclature 2026"' in result.output
    assert sorted(p.name for p in folder.iterdir()) == ["correspondances.csv", "familles.csv", "metiers.csv"]
    assert (folder / "correspondances.csv").read_text(encoding="utf-8") == "code_precedent;code;commentaire\n"
    metiers = (folder / "metiers.csv").read_text(encoding="utf-8").replace("Juriste (f/h)", "Juriste d'entreprise")
    (folder / "metiers.csv").write_text(metiers, encoding="utf-8")
    checked = run("nomenclature", "--dossier", str(folder))
    assert checked.exit_code == 0 and "0906  Juriste d'entreprise" in checked.output
    again = run("nomenclature", "--copier", str(folder))
    assert again.exit_code == 3 and "contient déjà une nomenclature" in again.stderr


def test_a_changed_nomenclature_with_an_empty_correspondence_table_stops_every_comparing_command(run, two_campaigns,
                                                                                                  tmp_path):
    """2026 splits 0104 and merges 0804 into 0803 since 2007: with only the heading in correspondances.csv, the
    evolutions and the checks of figures against 2007 would be wrong; every command that compares is refused."""
    root = fresh_root(two_campaigns, tmp_path)
    table = root / "campagnes" / "nom2026" / "correspondances.csv"
    complete = table.read_text(encoding="utf-8")
    table.write_text("code_precedent;code;commentaire\n", encoding="utf-8")
    for command in (["nomenclature", "-c", "2026"], ["modeles", "-c", "2026", "--forcer"], ["controler", "-c", "2026"],
                    ["consolider", "-c", "2026"]):
        result = run(*command, root=root)
        assert result.exit_code == EXIT_CONFIG and "Traceback" not in result.output, (command, result.output)
        assert result.stderr.startswith(f"Erreur : La table de correspondance {table} ne décrit pas le passage de la "
                                        "nomenclature de la campagne 2007 (nomenclature livrée avec l'outil) à celle "
                                        f"de la campagne 2026 ({table.parent}) ;"), result.stderr
        assert "métier 0804 « Formateur(trice) Assistance » de la campagne 2007 : il n'existe plus" in result.stderr
        assert "métier 0108 « Psychologue d'assistance » de la campagne 2026 : il est nouveau" in result.stderr
    assert not (root / "outputs" / "2026").exists() and not (root / "templates_xlsx" / "2026").exists()
    table.write_text(complete, encoding="utf-8")
    shown = run("nomenclature", "-c", "2026", root=root)
    assert shown.exit_code == EXIT_OK
    # The complete table: the secretary reads what the templates' guide will tell HR.
    assert shown.output.endswith(
        "\nCe qui change depuis la campagne 2007 — ce que le « Mode d'emploi » des modèles dira aux RH :\n"
        "  - Le métier 0104 Spécialiste d'assistance (f/h) est scindé en 0104 Spécialiste d'assistance (f/h) et 0108 "
        "Psychologue d'assistance : répartissez entre ces lignes les personnes que vous comptiez dans ce métier.\n"
        "  - Les métiers 0803 Chargé(e) de formation et 0804 Formateur(trice) Assistance sont regroupés en 0803 "
        "Chargé(e) de formation : comptez désormais sur cette ligne les personnes de ces métiers.\n"), shown.output
    assert "Ce qui change" not in run("nomenclature", "-c", "2007", root=root).output  # it follows none


HEAVY = ("pandas", "pandera", "numpy", "openpyxl", "xlsxwriter", "scipy", "lxml", "rapidfuzz", "python_calamine")


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["consolider", "--help"], ["modeles", "--help"]])
def test_help_and_version_load_no_heavy_module(tmp_path, args):
    """The installed ``effectifs`` script, in its own process: --help and --version start without pandas, pandera,
    openpyxl, xlsxwriter or scipy (structural, not a timing; the time is in benchmarks/bench_campaign.py)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = Path(sys.executable).parent / ("effectifs.exe" if os.name == "nt" else "effectifs")
    if not script.exists():
        script = shutil.which("effectifs")
    assert script, "the effectifs console script is installed with the package"
    hook = tmp_path / "hook"
    hook.mkdir()
    dump = tmp_path / "modules.txt"
    (hook / "sitecustomize.py").write_text(
        "import atexit, os, sys\n"
        "atexit.register(lambda: open(os.environ['EFFECTIFS_MODULES'], 'w').write('\\n'.join(sorted(sys.modules))))\n",
        encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(hook), os.environ.get("PYTHONPATH", "")]),
           "EFFECTIFS_MODULES": str(dump)}
    done = subprocess.run([str(script), *args], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "effectifs" in done.stdout
    modules = set(dump.read_text(encoding="utf-8").split())
    assert "pipeline.cli" in modules  # the hook saw the command's own process
    assert not {m.split(".")[0] for m in modules} & set(HEAVY), sorted(m for m in modules if m.split(".")[0] in HEAVY)


def test_templates_of_a_new_nomenclature_version_warn_when_returns_are_already_in(run, two_campaigns, tmp_path):
    """A title corrected in 2026's nomenclature after companies answered: the new templates carry another version,
    and the files already received will be refused at the next check — `modeles` says so (a walk-through found the
    secretary learning it from the rejections)."""
    root = fresh_root(two_campaigns, tmp_path)
    assert run("modeles", "-c", "2026", "--forcer", root=root).exit_code == EXIT_OK
    inputs = root / "inputs" / "2026"
    shutil.copyfile(root / "templates_xlsx" / "2026" / "effectifs_2026_acta.xlsx", inputs / "acta.xlsx")
    (inputs / "Thumbs.db").write_bytes(b"\0")  # not a return: not counted
    (inputs / "~$acta.xlsx").write_bytes(b"\0")
    metiers = root / "campagnes" / "nom2026" / "metiers.csv"
    metiers.write_text(metiers.read_text(encoding="utf-8").replace("Psychologue d'assistance",
                                                                   "Psychologue d'assistance (f/h)"), encoding="utf-8")
    done = run("modeles", "-c", "2026", "--forcer", root=root)
    assert done.exit_code == EXIT_OK
    assert "Attention : ces modèles portent une nouvelle version de la nomenclature, alors que le dossier des " \
           "retours contient déjà 1 classeur : un classeur établi avec l'ancienne version sera refusé" \
           in " ".join(done.output.split()), done.output
    again = run("modeles", "-c", "2026", "--forcer", root=root)  # nothing changed since: nothing to say
    assert "nouvelle version de la nomenclature" not in again.output
