"""Returns saved as .ods (LibreOffice's own format) or .xls (Excel 97-2003), made for real: templates
written by the project, filled in LibreOffice over UNO or with openpyxl, saved or converted by
LibreOffice itself. An .ods goes through the same checks as an .xlsx and gets the same messages on the
same cells; an .xls is read, checked and attributed to its company, then rejected asking for .xlsx —
the company has sent a file, and the dashboard, the reminders and the return-to-sender say so.
"""

import datetime as dt
import shutil
import time
from pathlib import Path

import openpyxl
import pytest

from pipeline.api import Project
from pipeline.core.form import KEY_NV, KEY_TOTAL, SHEET_FEEDBACK, SHEET_GUIDE, SHEET_INPUT
from pipeline.read.returns import read_return
from pipeline.read.xlsx import read_workbook
from pipeline.write.feedback import Round, write_feedback
from pipeline.write.template import write_template
from tests.conftest import cell_of, demo_root
from tests.helpers import ACCEPTED, REJECTED, ingest
from tests.test_libreoffice import _fill, _missing, _run

pytestmark = pytest.mark.skipif(bool(_missing()), reason=_missing() or "LibreOffice présent")
CELL_COLUMNS = ["code", "feuille", "cellule", "cle", "gravite", "message", "attendu", "action"]


def _convert(src: Path, fmt: str, out: Path) -> Path:
    """``soffice --convert-to`` as a secretary would run it."""
    out.mkdir(parents=True, exist_ok=True)
    profile = (out / "lo-profile").resolve().as_uri()
    result = _run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", fmt, "--outdir",
                   str(out), str(src)], out)
    target = out / f"{src.stem}.{fmt}"
    assert target.is_file(), result.stdout + result.stderr  # --convert-to can fail with exit code 0
    return target


def _messages(root: Path, campaign, name: str):
    result = ingest(campaign, root)
    return result, result.messages[result.messages["fichier"] == name]


def _alone(tmp_path: Path, campaign, src: Path, name: str) -> Path:
    """A fresh project root whose inputs folder holds ``src`` alone, named ``name``."""
    root = demo_root(tmp_path / name.replace(".", "_"))
    inputs = campaign.inputs_dir(root)
    inputs.mkdir(parents=True)
    shutil.copyfile(src, inputs / name)
    return root


def test_ods_filled_and_saved_in_libreoffice_is_accepted_like_its_xlsx(campaign, tmp_path):
    blank = write_template(campaign, "garantie-assistance", tmp_path / "modele.xlsx")
    values = {"0101-1": 4, "0102": 61, "0103": 7, "0401": 12, "0903": 3, KEY_NV: 5, KEY_TOTAL: 92}
    results = {}
    for fmt in ("xlsx", "ods"):
        root = demo_root(tmp_path / fmt)
        inputs = campaign.inputs_dir(root)
        inputs.mkdir(parents=True)
        assert "gap=0.0" in _fill(tmp_path, blank, inputs / f"garantie.{fmt}", fmt, values)
        results[fmt] = ingest(campaign, root)
        assert results[fmt].fichiers["statut"].tolist() == [ACCEPTED], results[fmt].messages.to_string()
    assert results["ods"].effectifs.equals(results["xlsx"].effectifs)
    assert results["ods"].chiffres.equals(results["xlsx"].chiffres)


def test_errors_typed_in_libreoffice_give_the_same_messages_on_the_same_cells(campaign, tmp_path):
    blank = write_template(campaign, "acta", tmp_path / "modele.xlsx")
    values = {"0102": "environ 40", "0201": -3, "0103": "2,5", "0104": "12", KEY_NV: 4, KEY_TOTAL: 50}
    found = {}
    for fmt in ("xlsx", "ods"):
        saved = _fill(tmp_path, blank, tmp_path / fmt / f"acta.{fmt}", fmt, values) and tmp_path / fmt / f"acta.{fmt}"
        root = _alone(tmp_path, campaign, saved, f"acta.{fmt}")
        result, msgs = _messages(root, campaign, f"acta.{fmt}")
        assert result.fichiers["statut"].tolist() == [REJECTED]
        found[fmt] = msgs[CELL_COLUMNS].sort_values(["cellule", "code"]).reset_index(drop=True)
    assert len(found["xlsx"]) >= 3, found["xlsx"][["code", "cellule", "message"]].to_string()
    assert found["ods"].equals(found["xlsx"]), (found["ods"].to_string(), found["xlsx"].to_string())
    cells = dict(zip(found["ods"]["code"], found["ods"]["cellule"]))
    ws = openpyxl.load_workbook(blank)[SHEET_INPUT]
    assert cells["valeur.negative"] == cell_of(ws, "0201") and cells["valeur.texte"] == cell_of(ws, "0102")


def _edited_return(campaign, figures, path: Path) -> Path:
    """acta's good return with what HR type in Excel: a percent format, a date, a negative, a text."""
    write_template(campaign, "acta", path, figures["acta"])
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_INPUT]
    ws[cell_of(ws, "0201")] = -2
    ws[cell_of(ws, "0301")] = "douze"
    ws[cell_of(ws, "0401")] = 12
    ws[cell_of(ws, "0401")].number_format = "dd/mm/yyyy"
    ws[cell_of(ws, "0501")] = 0.5
    ws[cell_of(ws, "0501")].number_format = "0%"
    wb.save(path)
    return path


def test_converted_to_ods_and_xls_the_same_errors_are_found(campaign, figures, tmp_path):
    src = _edited_return(campaign, figures, tmp_path / "acta.xlsx")
    found = {}
    for fmt in ("xlsx", "ods", "xls"):
        path = src if fmt == "xlsx" else _convert(src, fmt, tmp_path / fmt)
        result, msgs = _messages(_alone(tmp_path, campaign, path, f"acta.{fmt}"), campaign, f"acta.{fmt}")
        assert result.fichiers[["societe", "statut"]].values.tolist() == [["acta", REJECTED]]
        found[fmt] = msgs
    errors = {fmt: m[m["gravite"] == "erreur"][CELL_COLUMNS].sort_values("cellule").reset_index(drop=True)
              for fmt, m in found.items()}
    assert set(errors["xlsx"]["code"]) >= {"valeur.negative", "valeur.texte", "valeur.date",
                                           "valeur.pourcentage_saisi"}
    assert errors["ods"].equals(errors["xlsx"])
    xls = errors["xls"]
    # An .xls keeps no number format but dates: its 50 % is the 0,5 it holds, not a whole number
    percent = errors["xlsx"]["code"] == "valeur.pourcentage_saisi"
    where = ["feuille", "cellule", "cle", "gravite"]
    assert xls[xls["code"] != "fichier.xls"].reset_index(drop=True)[where].equals(errors["xlsx"][where])
    assert xls[xls["code"] != "fichier.xls"]["code"].tolist() == [
        "valeur.decimale" if p else c for c, p in zip(errors["xlsx"]["code"], percent)]
    assert "ancien format Excel 97-2003 (.xls)" in xls.set_index("code").loc["fichier.xls", "message"]


def test_an_xls_return_counts_as_received_everywhere(campaign, figures, inputs, tmp_path):
    """Fidélia saves its (correct) return as .xls: it is not 'sans retour', not 'manquant', and the
    reminder does not say 'aucun fichier reçu'; its return-to-sender holds its figures as .xlsx."""
    good = write_template(campaign, "fidelia", tmp_path / "fidelia.xlsx", figures["fidelia"])
    shutil.copyfile(_convert(good, "xls", tmp_path / "xls"), inputs / "Fidélia effectifs.xls")
    shutil.copyfile(_convert(write_template(campaign, "ima", tmp_path / "ima.xlsx", figures["ima"]), "ods",
                             tmp_path / "ods"), inputs / "ima.ods")
    board = Project(tmp_path).status(campaign)
    row = board.status.set_index("identifiant").loc["fidelia"]
    assert row["statut"] == REJECTED and row["fichiers_recus"] == 1 and row["dernier_fichier"] == "Fidélia effectifs.xls"
    assert board.status.set_index("identifiant").loc["ima", "statut"] == ACCEPTED
    assert "fidelia" not in set(board.run.checked.manquantes["identifiant"])
    line = next(x for x in board.reminders.splitlines() if x.startswith("- Fidélia"))
    assert "dernier fichier rejeté" in line and "aucun fichier reçu" not in line
    # Its reminder, with the converted workbook attached: nothing to correct, only to check and send back.
    reminder = (board.drafts / "fidelia.txt").read_text(encoding="utf-8")
    assert "ancien format Excel 97-2003 (.xls)" in reminder and "il n'y a rien à corriger" in reminder
    assert "ce qu'il faut corriger" not in reminder
    suivi = openpyxl.load_workbook(board.suivi_path)
    flat = " ".join(str(v) for ws in suivi.worksheets for r in ws.iter_rows(values_only=True) for v in r if v)
    assert "Fidélia effectifs.xls" in flat
    (back,) = [p for p in board.run.returns if p.name == "fidelia.xlsx"]
    ws = openpyxl.load_workbook(back)[SHEET_INPUT]
    assert ws[cell_of(ws, KEY_TOTAL)].value == figures["fidelia"][KEY_TOTAL]
    text = back.with_suffix(".txt").read_text(encoding="utf-8")
    assert "Vous trouverez vos chiffres dans le classeur joint" in text and "surlignées" not in text  # none to mark
    # HR return the workbook sent back, as it is: accepted.
    (inputs / "Fidélia effectifs.xls").unlink()
    shutil.copyfile(back, inputs / "fidelia corrigé.xlsx")
    again = Project(tmp_path).status(campaign)
    assert again.status.set_index("identifiant").loc["fidelia", "statut"] == ACCEPTED


def test_reading_an_ods_takes_about_what_an_xlsx_takes(campaign, figures, tmp_path):
    good = write_template(campaign, "acta", tmp_path / "acta.xlsx", figures["acta"])
    ods = _convert(good, "ods", tmp_path / "ods")
    timings = {}
    for name, path, reader in (("xlsx", good, read_workbook), ("ods", ods, read_return)):
        start = time.perf_counter()
        for _ in range(20):
            facts = reader(path)
            facts.sheet(SHEET_INPUT)
            facts.close()
        timings[name] = (time.perf_counter() - start) / 20
    print(f"read + parse of the input sheet: {timings}")
    assert timings["ods"] < 0.25 and timings["ods"] < 20 * timings["xlsx"] + 0.05


def test_the_cover_text_says_what_the_workbook_holds(put, campaign, tmp_path):
    """A blank template sent back never claims figures or highlighted cells; a file of no company gets nothing."""
    put("acta", lambda wb, ws: wb.custom_doc_props.props.__setitem__(
        next(i for i, p in enumerate(wb.custom_doc_props.props) if p.name == "effectifs_campagne"),
        type(wb.custom_doc_props.props[0])(name="effectifs_campagne", value="2005")))
    (campaign.inputs_dir(tmp_path) / "scan.xlsx").write_bytes(b"%PDF-1.4")
    folder = tmp_path / "retours"
    write_feedback(ingest(campaign, tmp_path).checked, folder, Round(dt.date(2007, 9, 1)))
    blank = (folder / "acta.txt").read_text(encoding="utf-8")
    assert "n'ont pas pu être lus" in blank and "surlignées" not in blank and "reprend vos chiffres" not in blank
    assert "Merci de saisir vos effectifs dans le classeur joint" in blank
    assert openpyxl.load_workbook(folder / "acta.xlsx").sheetnames == [SHEET_FEEDBACK, SHEET_GUIDE, SHEET_INPUT]
    assert sorted(p.name for p in folder.iterdir()) == ["acta.eml", "acta.txt", "acta.xlsx"]


def test_a_file_saved_with_a_password_or_an_xls_renamed_is_told_apart_and_counts_for_its_company(
        campaign, figures, inputs, tmp_path):
    """Saved with a password to open it, Acta's return cannot be read: the message says so (not « or an .xls
    renamed »), and its name — its template's — says whose it is: Acta is not « sans retour », and is told what
    to do. An .xls renamed .xlsx is read as the .xls it is (its company from the line printed on its sheets)."""
    blank = write_template(campaign, "ima", tmp_path / "modele.xlsx")
    _fill(tmp_path, blank, inputs / "effectifs_2007_ima (2).ods", "ods+motdepasse",
          {"0102": 40, KEY_TOTAL: 40})
    shutil.copyfile(Path(__file__).with_name("data") / "mot-de-passe.xlsx", inputs / "effectifs_2007_acta.xlsx")
    shutil.copyfile(Path(__file__).with_name("data") / "mot-de-passe.xlsx", inputs / "chiffre.xlsx")
    good = write_template(campaign, "fidelia", tmp_path / "fidelia.xlsx", figures["fidelia"])
    shutil.copyfile(_convert(good, "xls", tmp_path / "xls"), inputs / "retour fidelia.xlsx")
    result = ingest(campaign, tmp_path)
    files = result.fichiers.set_index("fichier")
    assert files["statut"].tolist() == [REJECTED] * 4 and files["societe"].to_dict() == {
        "chiffre.xlsx": "", "effectifs_2007_acta.xlsx": "acta", "effectifs_2007_ima (2).ods": "ima",
        "retour fidelia.xlsx": "fidelia"}
    codes = result.messages.groupby("fichier")["code"].apply(set).to_dict()
    named = {"fichier.chiffre", "societe.par_nom"}
    assert codes == {"chiffre.xlsx": {"fichier.chiffre"}, "effectifs_2007_acta.xlsx": named,
                     "effectifs_2007_ima (2).ods": named, "retour fidelia.xlsx": {"fichier.xls"}}
    assert not {"acta", "fidelia", "ima"} & set(result.manquantes["identifiant"])
    text = " ".join(result.messages["message"])
    assert "protégé par mot de passe : son contenu est chiffré" in text and "renommé" not in text


def test_the_email_of_an_xls_return_asks_to_check_and_send_back_the_workbook_not_to_correct_it(
        campaign, figures, inputs, tmp_path):
    """An .xls whose only error is its format has nothing to correct: its e-mail (subject, body, the head of the
    Anomalies sheet) asks the company to check the .xlsx sent back and return it; with a warning besides, to check
    that point too; with another error, to correct the workbook, as for any rejected return."""
    def xls(company: str, name: str, edit: dict) -> None:
        src = write_template(campaign, company, tmp_path / f"{company}.xlsx", figures[company])
        wb = openpyxl.load_workbook(src)
        for key, value in edit.items():
            wb[SHEET_INPUT][cell_of(wb[SHEET_INPUT], key)] = value
        wb.save(src)
        shutil.copyfile(_convert(src, "xls", tmp_path / "xls"), inputs / name)

    xls("mutuaide-assistance", "mutuaide.xls", {})
    xls("ima", "ima.xls", {"0102": str(figures["ima"]["0102"])})  # a number typed as text: a warning
    xls("fidelia", "fidelia.xls", {"0201": -2})
    checked = ingest(campaign, tmp_path).checked
    codes = checked.messages.groupby("fichier")["code"].apply(set).to_dict()
    assert codes["mutuaide.xls"] == {"fichier.xls"} and "valeur.negative" in codes["fidelia.xls"]
    assert {"fichier.xls", "valeur.texte_lu"} <= codes["ima.xls"], codes["ima.xls"]
    folder = tmp_path / "retours"
    write_feedback(checked, folder, Round(dt.date(2007, 9, 1)))
    clean = (folder / "mutuaide-assistance.txt").read_text(encoding="utf-8")
    assert ("Objet : Votre fichier d'effectifs au 01/07/2007 : classeur à vérifier et à renvoyer — "
            "Mutuaide Assistance") in clean
    assert "ancien format Excel 97-2003 (.xls)" in clean and "aucune autre anomalie" in clean
    assert "Il n'y a rien à corriger : il vous suffit de vérifier vos chiffres dans le classeur joint" in clean
    assert not {"erreur", "Corrigez", "corrigé", "surlignées"} & set(clean.replace(",", " ").split())
    sheet = [c.value for c in openpyxl.load_workbook(folder / "mutuaide-assistance.xlsx")[SHEET_FEEDBACK]["A"]]
    assert any("vérifier vos chiffres dans ce classeur" in str(v) for v in sheet)
    warned = (folder / "ima.txt").read_text(encoding="utf-8")
    assert "classeur à vérifier et à renvoyer" in warned and "a relevé par ailleurs 1 avertissement" in warned
    assert "surlignées en orange" in warned and "Il n'y a rien à corriger" not in warned
    wrong = (folder / "fidelia.txt").read_text(encoding="utf-8")
    assert "est à corriger — Fidélia" in wrong and "2 erreurs" in wrong and "Corrigez-le directement" in wrong
