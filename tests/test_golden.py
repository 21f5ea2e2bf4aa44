"""Golden workbooks, one per kind, compared part by part in their XML as XlsxWriter's own tests do.

The reference files are in tests/golden/workbooks/. What legitimately varies from one run to the next
(the document's creation time, the day the run happens) is normalised before comparing. After a
wanted change of a workbook: ``UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py``, then look at
the workbooks (rendered with LibreOffice) and commit them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import os
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from pipeline.api import Project
from pipeline.core.campaign import embedded_campaign_path, load_campaign
from pipeline.core.form import SHEET_INPUT
from pipeline.demo import write_sample_returns
from pipeline.write.template import write_template
from tests.conftest import cell_of

GOLDEN = Path(__file__).parent / "golden" / "workbooks"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
TODAY = dt.date.today()
VOLATILE = [
    (re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>"), rb"<dcterms:\1/>"),
    (re.compile(TODAY.strftime("%d/%m/%Y").encode() + rb"( \d\d:\d\d)?"), b"<aujourd'hui>"),
    (re.compile(TODAY.isoformat().encode() + rb"(T\d\d:\d\d:\d\d)?"), b"<aujourd'hui>"),
]


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {}
        for name in sorted(zf.namelist()):
            content = zf.read(name)
            for pattern, repl in VOLATILE:
                content = pattern.sub(repl, content)
            parts[name] = content
        return parts


def _pretty(xml: bytes) -> list[str]:
    try:
        return etree.tostring(etree.fromstring(xml), pretty_print=True, encoding="unicode").splitlines()
    except etree.XMLSyntaxError:
        return [repr(xml[:200])]


def assert_same_workbook(path: Path, kind: str) -> None:
    golden = GOLDEN / f"{kind}.xlsx"
    if UPDATE or not golden.exists():
        golden.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, golden)
        if not UPDATE:
            pytest.fail(f"no golden workbook for {kind}: written, review it and commit it")
        return
    got, want = _parts(path.read_bytes()), _parts(golden.read_bytes())
    assert sorted(got) == sorted(want), f"{kind}: parts differ: {sorted(set(got) ^ set(want))}"
    for name in want:
        if got[name] != want[name]:
            diff = list(difflib.unified_diff(_pretty(want[name]), _pretty(got[name]), "golden", "now", lineterm="",
                                             n=1))[:40]
            pytest.fail(f"{kind}: part {name} differs\n" + "\n".join(diff))


@pytest.fixture(scope="module")
def campaign_run(tmp_path_factory):
    """The demo's returns, one of them damaged, checked and consolidated; then the dashboard and a review."""
    root = tmp_path_factory.mktemp("golden")
    campaign = load_campaign(embedded_campaign_path("2007"), root)
    paths = write_sample_returns(campaign, campaign.inputs_dir(root))
    acta = paths[0]
    stamp = acta.stat().st_mtime
    wb = openpyxl.load_workbook(acta)
    ws = wb[SHEET_INPUT]
    ws[cell_of(ws, "0102")] = -3
    ws[cell_of(ws, "0201")] = "12"
    wb.save(acta)
    os.utime(acta, (stamp, stamp))
    project = Project(root)
    run = project.consolidate(campaign, now=dt.datetime(2007, 9, 12, 10, 30))
    board = project.status(campaign, today=dt.date(2007, 10, 5), now=dt.datetime(2007, 10, 1, 9))
    export = root / "export.csv"
    export.write_text("Intitulé de poste;Effectif\nChargée d'assistance;12\nComptable;2\nResponsable bien-être;1\n",
                      encoding="utf-8")
    review = project.suggest(campaign, export, "acta").path
    template = write_template(campaign, "acta", root / "modele.xlsx")
    return dict(template=template, controle=run.control_report, retour=run.returns[0],
                consolidation=run.consolidation_path, diffusion=run.diffusion_path, suivi=board.suivi_path,
                revue=review)


@pytest.mark.parametrize("kind", ["template", "controle", "retour", "consolidation", "diffusion", "suivi", "revue"])
def test_workbook_is_the_golden_one(campaign_run, kind):
    assert_same_workbook(campaign_run[kind], kind)


def test_a_changed_cell_is_caught(campaign_run, tmp_path):
    """The comparison itself can fail: one value changed in a copy of the consolidation."""
    path = tmp_path / "c.xlsx"
    with zipfile.ZipFile(campaign_run["consolidation"]) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"<v>(\d+)</v>", rb"<v>\g<1>1</v>", data, count=1)
            dst.writestr(item, data)
    if UPDATE:
        pytest.skip("updating the golden files")
    with pytest.raises(pytest.fail.Exception, match="sheet1.xml differs"):
        assert_same_workbook(path, "consolidation")
