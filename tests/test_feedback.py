"""Return-to-sender workbooks: the company's figures in a fresh template, problems highlighted and listed."""

import openpyxl
import pytest

from pipeline.write.feedback import write_feedback
from tests.helpers import ACCEPTED, ingest
from pipeline.core.form import KEY_TOTAL, SHEET_FEEDBACK, SHEET_GUIDE, SHEET_INPUT
from tests.conftest import cell_of, row_of


def _set(**cells):
    def edit(wb, ws):
        for key, value in cells.items():
            ws[cell_of(ws, key.replace("_", "-"))] = value
    return edit


@pytest.fixture
def returned(put, campaign, tmp_path):
    """acta rejected (a negative and a text), ima warned, fidelia accepted, and an .xls."""
    put("acta", lambda wb, ws: (_set(**{"0201": -3})(wb, ws), _set(**{"0301": "douze"})(wb, ws))).name
    put("ima", lambda wb, ws: ws.__setitem__(f"B{row_of(ws, '0901')}", "Assistante de direction"))
    put("fidelia")
    (campaign.inputs_dir(tmp_path) / "vieux.xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 60)
    result = ingest(campaign, tmp_path)
    folder = campaign.outputs_dir(tmp_path) / "retours"
    return result, folder, write_feedback(result, folder)


def test_one_workbook_per_company_with_problems(returned):
    _, folder, paths = returned
    assert sorted(p.name for p in paths) == ["acta.xlsx", "fichier_vieux-xls.xlsx", "ima.xlsx"]
    assert sorted(p.name for p in folder.glob("*.txt")) == ["acta.txt", "fichier_vieux-xls.txt", "ima.txt"]


def test_rejected_return_holds_the_figures_as_typed_and_highlights_them(returned, figures):
    result, folder, _ = returned
    wb = openpyxl.load_workbook(folder / "acta.xlsx")
    assert wb.sheetnames == [SHEET_FEEDBACK, SHEET_GUIDE, SHEET_INPUT]
    ws = wb[SHEET_INPUT]
    assert ws[cell_of(ws, "0201")].value == -3 and ws[cell_of(ws, "0301")].value == "douze"
    f = figures["acta"]
    untouched = next(k for k, v in f.items() if v and k not in ("0201", "0301", "NV", KEY_TOTAL))
    assert ws[cell_of(ws, untouched)].value == f[untouched]
    assert ws[cell_of(ws, "0201")].fill.fgColor.rgb.endswith("F8CBAD")  # error: red
    assert ws[cell_of(ws, untouched)].fill.fgColor.rgb.endswith("FFF2CC")  # plain input: yellow
    assert ws[cell_of(ws, "0201")].protection.locked is False
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert props["effectifs_societe"] == "acta"
    anomalies = [r for r in wb[SHEET_FEEDBACK].iter_rows(values_only=True)]
    flat = " ".join(str(v) for r in anomalies for v in r if v)
    assert "la valeur −3 est négative" in flat and "« douze » n'est pas un nombre" in flat
    assert "n'a pas pu être pris en compte" in flat
    text = (folder / "acta.txt").read_text(encoding="utf-8")
    assert text.startswith("Objet : effectifs par métier") and "2 erreurs, détaillées" in text and "28/09/2007" in text


def test_warned_return_says_it_was_taken_into_account(returned):
    _, folder, _ = returned
    text = (folder / "ima.txt").read_text(encoding="utf-8")
    assert "a bien été pris en compte" in text and "1 avertissement, détaillé" in text
    ws = openpyxl.load_workbook(folder / "ima.xlsx")[SHEET_INPUT]
    assert ws[cell_of(ws, "0901")].fill.fgColor.rgb.endswith("FFD966")  # warning: orange


def test_file_without_a_company_gets_its_anomalies(returned):
    _, folder, _ = returned
    wb = openpyxl.load_workbook(folder / "fichier_vieux-xls.xlsx")
    assert wb.sheetnames == [SHEET_FEEDBACK]
    assert "Excel 97-2003" in " ".join(str(v) for r in wb.active.iter_rows(values_only=True) for v in r if v)


def test_corrected_return_is_accepted(returned, campaign, tmp_path, figures):
    """HR fix the workbook we sent back and return it: it goes through like any template."""
    result, folder, _ = returned
    wb = openpyxl.load_workbook(folder / "acta.xlsx")
    ws = wb[SHEET_INPUT]
    f = figures["acta"]
    ws[cell_of(ws, "0201")] = f.get("0201", 0)
    ws[cell_of(ws, "0301")] = f.get("0301", 0)
    inputs = campaign.inputs_dir(tmp_path)
    (inputs / "effectifs_2007_acta.xlsx").unlink()
    wb.save(inputs / "acta_corrige.xlsx")
    again = ingest(campaign, tmp_path)
    row = again.fichiers.set_index("fichier").loc["acta_corrige.xlsx"]
    assert row["statut"] == ACCEPTED, again.messages.to_string()
    assert int(again.effectifs[again.effectifs["societe"] == "acta"]["effectif"].sum()) == f[KEY_TOTAL]
    write_feedback(again, folder)
    assert not (folder / "acta.xlsx").exists() and not (folder / "acta.txt").exists()  # no stale return


def test_no_formula_in_returned_workbooks(put, campaign, tmp_path):
    def inject(wb, ws):
        ws[cell_of(ws, "0201")] = -1
        c = ws[f"F{row_of(ws, '0201')}"]
        c.value, c.data_type = "=HYPERLINK(\"http://x\",\"clic\")", "s"
        r = row_of(ws, "0903") + 1
        ws.insert_rows(r)
        c = ws.cell(r, 2)
        c.value, c.data_type = "=cmd|' /C calc'!A0", "s"
    put("acta", inject)
    result = ingest(campaign, tmp_path)
    (path,) = write_feedback(result, tmp_path / "retours")
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    assert c.value.startswith(("=SUM(E", "=E")), (ws.title, c.coordinate, c.value)
    ws = wb[SHEET_INPUT]
    assert ws[f"F{row_of(ws, '0201')}"].value == "=HYPERLINK(\"http://x\",\"clic\")"
