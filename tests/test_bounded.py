"""Time and memory are bounded by the template's size, not by the cell addresses a file claims: returns
with one cell far from the table (XFD1048576, A1048576, XFD5000), and one whose sheet is as large as the
limits allow, are read in a process limited to 600 MB of address space, each in a few seconds."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.core.form import SHEET_INPUT
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


def _ods_far(ods: bytes, target: Path, rows: bytes) -> None:
    """An .ods made by LibreOffice, with ``rows`` appended to its input sheet."""
    from tests.ods_faults import _at_sheet_end, rewrite

    target.write_bytes(ods)
    rewrite(target, {"content.xml": lambda data: _at_sheet_end(EMPTY_ROWS.sub(b"", data), rows)})


# LibreOffice fills a sheet's end with empty rows repeated down to the grid's last row: taken out first.
EMPTY_ROWS = re.compile(rb'<table:table-row[^>]*><table:table-cell table:number-columns-repeated="16384"/>'
                        rb"</table:table-row>(?=(?:<table:table-row[^>]*><table:table-cell "
                        rb'table:number-columns-repeated="16384"/></table:table-row>)*(?:<table:named-expressions|'
                        rb"</table:table>|<calcext:conditional-formats)(?![\s\S]*<table:table ))")


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS")
def test_ods_and_xls_returns_are_read_in_bounded_time_and_memory(good_returns, tmp_path):
    """Repeat counts reaching the grid's last cell (XFD1048576), a sheet of cells repeated past any limit, and
    an .xls whose grid spans IV65536, read in the same 600 MB process."""
    import openpyxl

    from tests.ods_faults import converted

    folder = tmp_path / "in"
    folder.mkdir()
    ods = converted(good_returns["acta"], "ods")
    # The last cell of the grid: after the template's 78 rows, 1,048,497 repeated empty rows, then XFD1048576.
    far = (b'<table:table-row table:number-rows-repeated="1048497"><table:table-cell '
           b'table:number-columns-repeated="16384"/></table:table-row><table:table-row><table:table-cell '
           b'table:number-columns-repeated="16383"/><table:table-cell office:value-type="string"><text:p>x</text:p>'
           b"</table:table-cell></table:table-row>")
    _ods_far(ods, folder / "a.ods", far)
    huge = (b'<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated='
            b'"16384" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>')
    _ods_far(ods, folder / "b.ods", huge)
    wide = tmp_path / "wide.xlsx"
    wb = openpyxl.load_workbook(good_returns["ima"])
    wb[SHEET_INPUT]["IV65536"] = 7
    wb.save(wide)
    (folder / "c.xls").write_bytes(converted(wide, "xls"))
    (folder / "d.xls").write_bytes(converted(good_returns["fidelia"], "xls"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1"}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PROBE.format(limit=LIMIT_MB), str(folder)], capture_output=True,
                          text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    statuses, seconds = done.stdout.split()
    assert statuses.split("|") == ["accepté_avec_avertissements", "rejeté", "rejeté", "rejeté"]
    assert float(seconds) < 30 and time.perf_counter() - start < 60
