"""Which submission counts, and the history and folders when something is wrong with them (issue 12).

Each test reproduces what went wrong before: a file's own date deciding, a file read half-copied, a company
removed from the campaign still consolidated, a locked/truncated/newer history, an outputs folder that
is a file, a stray temporary workbook, an output open in Excel."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from pipeline.api import Project
from pipeline.cli import EXIT_CONFIG, main
from pipeline.core.campaign import embedded_campaign_path, load_campaign
from pipeline.core.form import KEY_TOTAL, SHEET_INPUT
from pipeline.store import history
from tests.conftest import cell_of, demo_root

ROOT = Path(__file__).resolve().parents[1]


def _version(good: Path, target: Path, extra: int, figures: dict, mtime: float | None = None) -> Path:
    """acta's return with 0102 raised by ``extra``."""
    shutil.copyfile(good, target)
    wb = openpyxl.load_workbook(target)
    ws = wb[SHEET_INPUT]
    ws[cell_of(ws, "0102")] = figures.get("0102", 0) + extra
    ws[cell_of(ws, KEY_TOTAL)] = figures[KEY_TOTAL] + extra
    wb.save(target)
    if mtime is not None:
        os.utime(target, (mtime, mtime))
    return target


def _branch(run) -> int:
    return int(run.consolidation.table.set_index("niveau").loc["branche", "effectif"])


def test_a_file_dated_2099_does_not_block_later_corrections(inputs, good_returns, campaign, tmp_path, figures):
    project = Project(tmp_path)
    future = _version(good_returns["acta"], inputs / "acta_2099.xlsx", 0, figures["acta"],
                      dt.datetime(2099, 1, 1).timestamp())
    project.consolidate(campaign)
    future.unlink()
    _version(good_returns["acta"], inputs / "acta_corrige.xlsx", 5, figures["acta"],
             dt.datetime(2007, 9, 1).timestamp())
    run = project.consolidate(campaign)
    assert run.accepted.retenues["fichier"].tolist() == ["acta_corrige.xlsx"]
    assert _branch(run) == figures["acta"][KEY_TOTAL] + 5


def test_putting_the_first_file_back_makes_it_count_again(inputs, good_returns, campaign, tmp_path, figures):
    """v1, then v2, then v1 again: the folder holds the secretary's intent — v1 counts, no new submission."""
    project = Project(tmp_path)
    v1 = _version(good_returns["acta"], inputs / "acta_v1.xlsx", 0, figures["acta"])
    project.consolidate(campaign)
    keep = v1.read_bytes()
    v1.unlink()
    v2 = _version(good_returns["acta"], inputs / "acta_v2.xlsx", 7, figures["acta"])
    assert _branch(project.consolidate(campaign)) == figures["acta"][KEY_TOTAL] + 7
    v2.unlink()
    v1.write_bytes(keep)
    run = project.consolidate(campaign)
    assert run.recorded.unchanged == ["acta_v1.xlsx"] and run.recorded.new == []
    assert run.accepted.retenues["fichier"].tolist() == ["acta_v1.xlsx"]
    assert _branch(run) == figures["acta"][KEY_TOTAL]


def test_a_file_read_while_being_copied_is_recorded_as_read(inputs, good_returns, campaign, tmp_path, figures):
    """The hash recorded is the hash of the bytes checked: the completed file is new, and counts."""
    project = Project(tmp_path)
    whole = good_returns["acta"].read_bytes()
    target = inputs / "effectifs_2007_acta.xlsx"
    target.write_bytes(whole[: len(whole) // 2])  # the copy is under way
    first = project.check(campaign)
    assert first.checked.fichiers["statut"].tolist() == ["rejeté"]
    target.write_bytes(whole)  # the copy has finished
    run = project.consolidate(campaign)
    assert run.recorded.new and run.checked.fichiers["statut"].tolist() == ["accepté"]
    assert run.accepted.companies == ["acta"] and _branch(run) == figures["acta"][KEY_TOTAL]


def test_a_company_removed_from_the_campaign_is_no_longer_consolidated(tmp_path, good_returns, figures):
    companies = [("acta", "Acta"), ("ima", "Inter Mutuelles Assistance")]
    (tmp_path / "campagnes").mkdir()
    path = tmp_path / "campagnes" / "2007.toml"
    text = str(embedded_campaign_path("2007"))
    path.write_text(Path(text).read_text(encoding="utf-8"), encoding="utf-8")
    campaign = load_campaign("2007", tmp_path)
    folder = campaign.inputs_dir(tmp_path)
    folder.mkdir(parents=True)
    for company, _ in companies:
        shutil.copyfile(good_returns[company], folder / good_returns[company].name)
    project = Project(tmp_path)
    assert sorted(project.consolidate(campaign).accepted.companies) == ["acta", "ima"]
    (folder / good_returns["ima"].name).unlink()
    lines = path.read_text(encoding="utf-8").split("\n[[societes]]")
    path.write_text("\n[[societes]]".join(part for part in lines if 'identifiant = "ima"' not in part),
                    encoding="utf-8")
    campaign = load_campaign("2007", tmp_path)
    assert "ima" not in campaign.company_ids
    run = project.consolidate(campaign)
    assert run.accepted.companies == ["acta"]
    assert "sur 8 attendues" in " ".join(str(c.value) for c in openpyxl.load_workbook(
        run.consolidation_path)["Synthèse"]["A"] if c.value)


def test_a_file_claiming_a_company_in_doubt_is_never_mailed_back(put, campaign, tmp_path):
    """Two files claim acta, one holds ima's template (and figures): no workbook goes to acta."""
    put("acta", lambda wb, ws: ws.__setitem__(cell_of(ws, "0102"), -1))
    put("ima", name="acta_autre.xlsx")
    wb = openpyxl.load_workbook(campaign.inputs_dir(tmp_path) / "acta_autre.xlsx")
    next(p for p in wb.custom_doc_props.props if p.name == "effectifs_societe").value = "acta"
    wb.save(campaign.inputs_dir(tmp_path) / "acta_autre.xlsx")
    run = Project(tmp_path).check(campaign)
    assert set(run.checked.fichiers["statut"]) == {"rejeté"}
    assert not (campaign.outputs_dir(tmp_path) / "retours" / "acta.xlsx").exists()
    assert run.returns == []


# --- the history and the folders ---------------------------------------------------------------------


def _cli(root: Path, *args):
    return CliRunner().invoke(main, ["--racine", str(root), *args], prog_name="effectifs", catch_exceptions=False)


def test_a_truncated_history_says_what_to_do(put, tmp_path):
    put("acta")
    assert _cli(tmp_path, "controler").exit_code == 1
    db = history.default_path(tmp_path)
    db.write_bytes(db.read_bytes()[:1000])
    result = _cli(tmp_path, "controler")
    assert result.exit_code == EXIT_CONFIG and "endommagé" in result.stderr and "Traceback" not in result.stderr
    assert "restaurez sa dernière sauvegarde" in result.stderr


def test_a_history_from_a_newer_version_is_refused(put, tmp_path):
    put("acta")
    _cli(tmp_path, "controler")
    conn = sqlite3.connect(history.default_path(tmp_path))
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    result = _cli(tmp_path, "controler")
    assert result.exit_code == EXIT_CONFIG and "version plus récente" in result.stderr


def test_a_history_locked_by_another_process_says_to_wait(put, tmp_path, monkeypatch):
    put("acta")
    _cli(tmp_path, "controler")
    holder = sqlite3.connect(history.default_path(tmp_path), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr(history, "BUSY_TIMEOUT", 0.5)
    try:
        result = _cli(tmp_path, "controler")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == EXIT_CONFIG and "occupé par une autre exécution" in result.stderr
    assert "relancez" in result.stderr


def test_an_outputs_folder_that_is_a_file(put, tmp_path):
    put("acta")
    (tmp_path / "outputs").mkdir()
    (tmp_path / "outputs" / "2007").write_text("pas un dossier")
    result = _cli(tmp_path, "controler")
    assert result.exit_code == EXIT_CONFIG and "est un fichier, pas un dossier" in result.stderr


def test_a_temporary_workbook_left_by_a_killed_run_is_removed(put, campaign, tmp_path):
    put("acta")
    out = campaign.outputs_dir(tmp_path)
    (out / "retours").mkdir(parents=True)
    stray = [out / ".consolidation.abc123.tmp.xlsx", out / "retours" / ".ima.x1.tmp.xlsx"]
    for path in stray:
        path.write_bytes(b"PK half written")
    Project(tmp_path).consolidate(campaign)
    assert not any(p.exists() for p in stray)


def test_an_output_open_in_excel_is_named_and_the_others_written(put, campaign, tmp_path, monkeypatch):
    """Windows refuses to replace a workbook open in Excel: simulated by refusing the final rename."""
    put("acta")
    put("ima", lambda wb, ws: ws.__setitem__(cell_of(ws, "0102"), -1))
    project = Project(tmp_path)
    project.consolidate(campaign)
    out = campaign.outputs_dir(tmp_path)
    before = {p: p.read_bytes() for p in (out / "consolidation.xlsx", out / "controle.xlsx")}
    (campaign.inputs_dir(tmp_path) / "effectifs_2007_ima.xlsx").unlink()
    put("mondial-assistance")
    real = os.replace

    def refuse(src, dst, *args, **kwargs):
        if Path(dst).name in ("consolidation.xlsx", "controle.xlsx"):
            raise PermissionError(13, "The process cannot access the file because it is being used")
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", refuse)
    result = _cli(tmp_path, "consolider")
    assert result.exit_code == EXIT_CONFIG
    assert "consolidation.xlsx" in result.stderr and "controle.xlsx" in result.stderr and "fermez-les" in result.stderr
    assert all(path.read_bytes() == data for path, data in before.items())  # left whole, as they were
    diffusion = openpyxl.load_workbook(out / "diffusion.xlsx")["Synthèse"]
    assert any("2 sur 9" in str(c.value) for c in diffusion["A"] if c.value)  # the others are up to date
    assert not list(out.glob(".*.tmp.xlsx"))


CONCURRENT = """
import sys
from pipeline.api import Project
project = Project(sys.argv[1])
run = project.consolidate(project.campaign("2007"))
print(len(run.recorded.new), len(run.accepted.companies))
"""


def test_several_consolidations_at_once_lose_and_duplicate_nothing(good_returns, campaign, tmp_path):
    """Five rounds of three processes at once on one project: every run succeeds, each file is recorded
    once, and the history is whole."""
    folder = campaign.inputs_dir(demo_root(tmp_path))
    folder.mkdir(parents=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    companies = list(good_returns)
    for round_ in range(5):
        company = companies[round_]
        shutil.copyfile(good_returns[company], folder / good_returns[company].name)
        procs = [subprocess.Popen([sys.executable, "-c", CONCURRENT, str(tmp_path)], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, env=env, text=True) for _ in range(3)]
        results = [p.communicate(timeout=300) for p in procs]
        assert all(p.returncode == 0 for p in procs), [r[1][-2000:] for r in results]
        news = [int(out.split()[0]) for out, _ in results]
        assert sorted(news) == [0, 0, 1], news  # the new file recorded by exactly one of them
        assert {int(out.split()[1]) for out, _ in results} == {round_ + 1}
    conn = sqlite3.connect(history.default_path(tmp_path))
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("SELECT COUNT(*), COUNT(DISTINCT sha256) FROM submissions").fetchone() == (5, 5)
