"""Outputs are repeatable and never half-written; inputs are never touched."""

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.core.form import SHEET_INPUT
from tests.conftest import cell_of


def snapshot(path: Path) -> dict:
    """Every cell's content (formulas as written) of every sheet."""
    wb = openpyxl.load_workbook(path)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}


def _outputs(root: Path) -> list[Path]:
    return sorted((root / "outputs").rglob("*.xlsx"))


def _consolider(root: Path):
    return CliRunner().invoke(main, ["--racine", str(root), "consolider"], catch_exceptions=False)


@pytest.fixture
def batch(tmp_path, put, inputs):
    """Good returns, a faulty one (so that a return-to-sender workbook is written) and an .xls."""
    for company in ("acta", "ima", "fidelia"):
        put(company)
    put("delta-services", lambda wb, ws: ws.__setitem__(cell_of(ws, "0102"), -5))
    (inputs / "ancien.xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 60)
    return tmp_path


def test_two_runs_give_the_same_cell_contents(batch):
    _consolider(batch)
    first = {p.relative_to(batch): snapshot(p) for p in _outputs(batch)}
    assert {str(p) for p in first} >= {"outputs/2007/controle.xlsx", "outputs/2007/consolidation.xlsx",
                                       "outputs/2007/retours/delta-services.xlsx"}
    _consolider(batch)
    second = {p.relative_to(batch): snapshot(p) for p in _outputs(batch)}
    assert first == second


def test_inputs_are_never_modified_by_a_whole_run(batch, inputs):
    def digest():
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(inputs.iterdir())}
    before = digest()
    mtimes = {p.name: p.stat().st_mtime_ns for p in inputs.iterdir()}
    _consolider(batch)
    assert digest() == before
    assert {p.name: p.stat().st_mtime_ns for p in inputs.iterdir()} == mtimes


WRITER = """
import sys
from pipeline.core.campaign import embedded_campaign_path, load_campaign
from tests.helpers import run_campaign
root = sys.argv[1]
c = load_campaign(embedded_campaign_path("2007"), root)
print("ready", flush=True)
while True:
    run_campaign(c, root, consolidate_it=True)
"""

# The same, held between writing a workbook to its temporary file and moving it into place: a kill there
# lands mid-write for sure (the random kills above may all fall between two workbooks).
WRITER_HELD = """
import sys, time
import xlsxwriter
from pipeline.core.campaign import embedded_campaign_path, load_campaign
from tests.helpers import run_campaign
close = xlsxwriter.Workbook.close
def held(self):
    close(self)
    print("written " + self.filename, flush=True)
    time.sleep(60)
xlsxwriter.Workbook.close = held
root = sys.argv[1]
c = load_campaign(embedded_campaign_path("2007"), root)
run_campaign(c, root, consolidate_it=True)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_run_killed_while_writing_leaves_the_previous_complete_workbooks(batch):
    """Kill a real writer process at random moments: the outputs are always whole and unchanged."""
    _consolider(batch)
    reference = {p: snapshot(p) for p in _outputs(batch) if "retours" not in p.parts}
    complete = set((batch / "outputs" / "2007").rglob("*"))
    rng = random.Random(7)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    for _ in range(8):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(batch)], stdout=subprocess.PIPE, env=env,
                                start_new_session=True)
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.0, 0.4))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        for path, expected in reference.items():
            assert snapshot(path) == expected, path
    proc = subprocess.Popen([sys.executable, "-c", WRITER_HELD, str(batch)], stdout=subprocess.PIPE, env=env,
                            start_new_session=True)
    line = proc.stdout.readline().decode().strip()
    assert line.startswith("written "), line
    being_written = Path(line.removeprefix("written "))
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert _hidden_temporary(being_written) and being_written.is_file(), being_written  # killed mid-write
    for path, expected in reference.items():
        assert snapshot(path) == expected, path
    # Besides the outputs of a complete run, a killed run leaves at most hidden temporary files.
    for p in (batch / "outputs" / "2007").rglob("*"):
        assert p.is_dir() or p in complete or _hidden_temporary(p), p
    conn = sqlite3.connect(batch / "outputs" / "historique.sqlite")
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # Killed runs recorded nothing new: the same files are already in the history.
    assert conn.execute("SELECT COUNT(*) FROM submissions").fetchone() == (5,)


def _hidden_temporary(path: Path) -> bool:
    return path.name.startswith(".") and path.name.endswith((".tmp.xlsx", ".tmp.eml"))


def test_a_workbook_being_written_is_a_hidden_temporary_file_beside_the_target(tmp_path):
    from pipeline.write.xlsx import atomic_workbook
    target = tmp_path / "out.xlsx"
    with atomic_workbook(target) as wb:
        wb.add_worksheet("A").write_string(0, 0, "version 1")
        (being_written,) = list(tmp_path.iterdir())
        assert _hidden_temporary(being_written) and not target.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path):
    from pipeline.write.xlsx import atomic_workbook
    target = tmp_path / "out.xlsx"
    with atomic_workbook(target) as wb:
        wb.add_worksheet("A").write_string(0, 0, "version 1")
    with pytest.raises(RuntimeError):
        with atomic_workbook(target) as wb:
            wb.add_worksheet("A").write_string(0, 0, "version 2")
            raise RuntimeError("interrupted")
    assert openpyxl.load_workbook(target)["A"]["A1"].value == "version 1"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


@pytest.mark.parametrize("large", [True, False])
def test_a_streamed_worksheet_keeps_one_row_in_memory_and_reads_back_whole(tmp_path, large):
    """xlsxwriter's constant-memory mode for one sheet: its rows leave memory as the next one starts (the sheet
    holds one row at a time), its strings are inline; the workbook's other sheets are as before."""
    import zipfile

    from pipeline.write.xlsx import atomic_workbook, streamed_worksheet
    target = tmp_path / "out.xlsx"
    with atomic_workbook(target, large=large) as wb:
        before = wb.add_worksheet("Avant")
        before.write_string(0, 0, "partagée")
        ws = streamed_worksheet(wb, "Ligne par société")
        ws.merge_range(0, 0, 0, 2, "Titre fusionné sur une ligne")
        for r in range(1, 2_001):
            ws.write_string(r, 0, f"société {r}")
            ws.write_number(r, 1, r * 3)
            ws.set_row(r, 30 if r == 7 else None)
            assert len(ws.table) <= 1
        after = wb.add_worksheet("Après")
        after.write_string(0, 0, "partagée")
        after.write_string(5, 0, "encore")
        after.write_string(1, 0, "dans le désordre")
        assert not after.constant_memory and len(after.table) == 3
    with zipfile.ZipFile(target) as z:
        streamed = z.read("xl/worksheets/sheet2.xml").decode()
        assert 'inlineStr' in streamed and 'inlineStr' not in z.read("xl/worksheets/sheet3.xml").decode()
    book = openpyxl.load_workbook(target)
    rows = list(book["Ligne par société"].iter_rows(values_only=True))
    assert rows[0][0] == "Titre fusionné sur une ligne" and len(rows) == 2_001
    assert [r[:2] for r in rows[1:]] == [(f"société {r}", r * 3) for r in range(1, 2_001)]
    assert [str(m) for m in book["Ligne par société"].merged_cells.ranges] == ["A1:C1"]
    assert book["Ligne par société"].row_dimensions[8].height == 30
    assert [[c for c in r if c] for r in book["Après"].iter_rows(values_only=True) if any(r)] == \
        [["partagée"], ["dans le désordre"], ["encore"]]


def test_returned_workbook_of_a_real_template_is_not_resaved(batch, inputs):
    """The return-to-sender workbook is a fresh template, not the company's file re-saved."""
    _consolider(batch)
    sent_back = batch / "outputs/2007/retours/delta-services.xlsx"
    original = inputs / "effectifs_2007_delta-services.xlsx"
    assert sent_back.read_bytes() != original.read_bytes()
    ws = openpyxl.load_workbook(sent_back, data_only=True)[SHEET_INPUT]
    assert ws[cell_of(ws, "0102")].value == -5
    assert all(ws.cell(r, 5).value is not None for r in range(11, ws.max_row + 1)
               if ws.cell(r, 1).value is None and ws.cell(r, 2).value)  # totals carry stored results
