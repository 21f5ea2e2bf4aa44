"""Time and memory are bounded by the template's size, not by the cell addresses a file claims: returns
with one cell far from the table (XFD1048576, A1048576, XFD5000), and one whose sheet is as large as the
limits allow, are read in a process limited to 600 MB of address space, each in a few seconds."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.faults import INPUT_SHEET_PART, rewrite_part

ROOT = Path(__file__).resolve().parents[1]
LIMIT_MB = 600

PROBE = """
import resource, sys, time
limit = {limit} * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from pathlib import Path
from pipeline.check.inputs import check_folder
from pipeline.core.campaign import embedded_campaign_path, load_campaign
start = time.perf_counter()
checked = check_folder(load_campaign(embedded_campaign_path("2007")), Path(sys.argv[1]))
print("|".join(checked.fichiers["statut"]).replace(" ", "_"), time.perf_counter() - start)
"""


def _far(good: Path, target: Path, ref: str, inner: str) -> None:
    target.write_bytes(good.read_bytes())
    row = "".join(ch for ch in ref if ch.isdigit())
    rewrite_part(target, INPUT_SHEET_PART,
                 lambda x: x.replace("</sheetData>", f'<row r="{row}"><c r="{ref}"{inner}</c></row></sheetData>'))


def _huge_sheet(good: Path, target: Path) -> None:
    """90,000 rows of text cells under the headings: a sheet part just under the 10 MB limit."""
    target.write_bytes(good.read_bytes())
    rows = "".join(f'<row r="{r}"><c r="B{r}" t="inlineStr"><is><t>x</t></is></c></row>' for r in range(200, 90_200))
    rewrite_part(target, INPUT_SHEET_PART, lambda x: x.replace("</sheetData>", rows + "</sheetData>"))


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS")
def test_far_cells_and_a_huge_sheet_are_read_in_bounded_time_and_memory(good_returns, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    _far(good_returns["acta"], folder / "a.xlsx", "XFD1048576", ' t="inlineStr"><is><t>x</t></is>')
    _far(good_returns["ima"], folder / "b.xlsx", "A1048576", "><v>5</v>")
    _far(good_returns["fidelia"], folder / "c.xlsx", "XFD5000", "><v>7</v>")
    _huge_sheet(good_returns["europ-assistance"], folder / "d.xlsx")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1"}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PROBE.format(limit=LIMIT_MB), str(folder)], capture_output=True,
                          text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]  # no abort, no MemoryError
    statuses, seconds = done.stdout.split()
    assert statuses.split("|") == ["accepté_avec_avertissements"] * 4
    assert float(seconds) < 30 and time.perf_counter() - start < 60
