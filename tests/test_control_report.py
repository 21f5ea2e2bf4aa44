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
