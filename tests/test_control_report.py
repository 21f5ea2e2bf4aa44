"""controle.xlsx as the secretary reads it: its « Fichiers » sheet and its « Commentaires » sheet, from real
returns in the input folder."""

import shutil

import openpyxl

from pipeline.core.texts import labels as L
from tests.conftest import row_of
from tests.helpers import IGNORED, run_campaign


def _commented(wb, ws, texts: dict[str, str]) -> None:
    column = next(c.column for c in ws[10] if c.value == "Commentaire")
    for key, text in texts.items():
        ws.cell(row_of(ws, key), column).value = text


def _rows(ws) -> list[tuple]:
    return [r for r in ws.iter_rows(values_only=True) if any(v is not None for v in r)]


def test_the_comments_of_an_ignored_copy_are_neither_listed_nor_counted(put, campaign, inputs, tmp_path):
    """Acta's return kept twice, byte for byte: the copy is « ignoré », and its two comments are not listed a second
    time, in controle.xlsx nor in the consolidation."""
    acta = put("acta", lambda wb, ws: _commented(wb, ws, {"0102": "Rachat d'une plateforme",
                                                           "0103": "Deux postes vacants"}))
    shutil.copyfile(acta, inputs / "acta - copie.xlsx")
    put("ima", lambda wb, ws: _commented(wb, ws, {"0401": "Nouveau service"}))
    run = run_campaign(campaign, tmp_path, consolidate_it=True)
    files = run.checked.fichiers.set_index("fichier")["statut"]
    assert files["acta - copie.xlsx"] == IGNORED
    assert "acta - copie.xlsx" not in set(run.checked.commentaires["fichier"])
    ws = openpyxl.load_workbook(tmp_path / "outputs/2007/controle.xlsx")[L.SHEET_COMMENTS]
    rows = _rows(ws)
    assert rows[0][0] == "3 commentaires des sociétés"
    listed = [r[5] for r in rows[3:]]
    assert sorted(listed) == ["effectifs_2007_acta.xlsx"] * 2 + ["effectifs_2007_ima.xlsx"]
    ws = openpyxl.load_workbook(tmp_path / "outputs/2007/consolidation.xlsx")[L.SHEET_COMMENTS]
    assert _rows(ws)[0][0] == "3 commentaires des sociétés" and len(_rows(ws)) == 6


def test_the_companies_with_no_file_are_a_table_with_its_headings_and_one_line_rows(put, campaign, tmp_path):
    """« Sociétés sans retour »: under the heading row of the files' Société and Raison sociale columns, one company a
    row, each as high as one line of text (« garantie-assistance », « Garantie Assistance » made rows of two)."""
    put("acta")
    run_campaign(campaign, tmp_path)
    ws = openpyxl.load_workbook(tmp_path / "outputs/2007/controle.xlsx")[L.CONTROL_SHEET_FILES]
    label = next(c.row for c in ws["A"] if c.value == L.CONTROL_MISSING)
    assert [ws.cell(label + 1, c).value for c in (1, 2, 3)] == [None, "Société", "Raison sociale"]
    assert ws.cell(label + 1, 2).fill.fgColor.rgb == ws.cell(4, 2).fill.fgColor.rgb  # the files' headings' style
    missing = [r for r in range(label + 2, ws.max_row + 1) if ws.cell(r, 2).value]
    names = {ws.cell(r, 2).value: ws.cell(r, 3).value for r in missing}
    assert len(names) == 8 and names["garantie-assistance"] == "Garantie Assistance" and "acta" not in names
    assert {ws.row_dimensions[r].height or 15 for r in missing} == {15}  # 15: the default, not written
