"""Return-to-sender workbooks: the company's figures in a fresh template, problems highlighted and listed."""

import datetime as dt
from email.parser import BytesParser
from email.policy import default

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.api import Project
from pipeline.cli import main
from pipeline.core.form import KEY_TOTAL, SHEET_FEEDBACK, SHEET_GUIDE, SHEET_INPUT
from pipeline.core.texts import labels as L
from pipeline.write.feedback import Round, write_feedback
from pipeline.write.template import write_template
from tests.conftest import cell_of, fresh_root, row_of, values_2026
from tests.helpers import ACCEPTED, ingest


def _set(**cells):
    def edit(wb, ws):
        for key, value in cells.items():
            ws[cell_of(ws, key.replace("_", "-"))] = value
    return edit


ON_TIME = dt.datetime(2007, 9, 10, 9, 30)


@pytest.fixture
def returned(put, campaign, tmp_path):
    """acta rejected (a negative and a text), ima warned, fidelia accepted, and an .xls that claims no company:
    checked as the secretary runs it, on 10/09/2007."""
    put("acta", lambda wb, ws: (_set(**{"0201": -3})(wb, ws), _set(**{"0301": "douze"})(wb, ws))).name
    put("ima", lambda wb, ws: ws.__setitem__(f"B{row_of(ws, '0901')}", "Assistante de direction"))
    put("fidelia")
    (campaign.inputs_dir(tmp_path) / "vieux.xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 60)
    run = Project(tmp_path).check(campaign, now=ON_TIME)
    return run, campaign.outputs_dir(tmp_path) / "retours", run.returns


def _mail(path):
    return BytesParser(policy=default).parse(path.open("rb"))


def test_one_workbook_and_one_ready_email_per_company_with_problems(returned):
    _, folder, paths = returned
    assert sorted(p.name for p in paths) == ["acta.xlsx", "ima.xlsx"]
    assert sorted(p.name for p in folder.glob("*.txt")) == ["acta.txt", "ima.txt"]
    assert sorted(p.name for p in folder.glob("*.eml")) == ["acta.eml", "ima.eml"]


def test_the_email_is_a_draft_with_the_workbook_attached(returned, campaign):
    _, folder, _ = returned
    mail = _mail(folder / "acta.eml")
    acta = campaign.societes.set_index("identifiant").loc["acta"]
    assert mail["X-Unsent"] == "1"
    assert mail["To"].addresses[0].addr_spec == acta["email"]
    assert mail["From"].addresses[0].addr_spec == campaign.contact["email"]
    assert mail["Subject"] == "Votre fichier d'effectifs au 01/07/2007 est à corriger — Acta"
    body = mail.get_body(("plain",)).get_content()
    assert body.startswith("Bonjour,") and "2 erreurs, détaillées" in body and "avant le 28/09/2007" in body
    (attachment,) = list(mail.iter_attachments())
    assert attachment.get_filename() == "acta.xlsx"
    assert attachment.get_content_type() == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert attachment.get_content() == (folder / "acta.xlsx").read_bytes()
    assert (folder / "acta.txt").read_text(encoding="utf-8") == \
        f"À : {acta['email']}\nObjet : {mail['Subject']}\n\n{body}"


def test_rejected_return_holds_the_figures_as_typed_and_highlights_them(returned, figures):
    _, folder, _ = returned
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
    assert "n'a pas pu être pris en compte" in flat and "les cellules à revoir y sont surlignées" in flat


def test_a_value_that_is_not_whole_is_sent_back_as_it_was_typed(put, campaign, tmp_path):
    """A highlighted 3,5 shows as 3,5 in the returned workbook, not as 4 under the headcount's format (« 5 % »
    typed showed 0, the message saying 0,05)."""
    put("acta", _set(**{"0201": 3.5, "0301": 12}))
    run = Project(tmp_path).check(campaign, now=ON_TIME)
    ws = openpyxl.load_workbook(run.returns[0])[SHEET_INPUT]
    typed, whole = ws[cell_of(ws, "0201")], ws[cell_of(ws, "0301")]
    assert typed.value == 3.5 and typed.number_format == "General" and typed.fill.fgColor.rgb.endswith("F8CBAD")
    assert whole.value == 12 and whole.number_format == "#,##0"


def test_warned_return_says_it_was_taken_into_account(returned):
    _, folder, _ = returned
    text = (folder / "ima.txt").read_text(encoding="utf-8")
    assert "a bien été pris en compte" in text and "1 avertissement, détaillé" in text
    assert ("Un chiffre signalé mais exact n'est pas à corriger : expliquez-le, si vous nous renvoyez le classeur, "
            "dans la colonne Commentaire de sa ligne.") in " ".join(text.split())
    assert "détaillé dans la feuille « Anomalies » du classeur joint." in text
    # the same letter heads that sheet, where « du classeur joint » would send the reader to the sheet they are on
    letter = "\n".join(str(c.value) for c in openpyxl.load_workbook(folder / "ima.xlsx")[SHEET_FEEDBACK]["A"]
                       if isinstance(c.value, str))
    assert "1 avertissement, détaillé ci-dessous." in letter and "classeur joint" not in letter
    ws = openpyxl.load_workbook(folder / "ima.xlsx")[SHEET_INPUT]
    assert ws[cell_of(ws, "0901")].fill.fgColor.rgb.endswith("FFD966")  # warning: orange


def test_a_file_of_no_company_is_the_secretarys_to_settle_and_mailed_to_nobody(returned):
    run, folder, _ = returned
    assert not list(folder.glob("*vieux*"))
    assert run.tasks[["tache", "societe"]].values.tolist() == [["sans_societe", ""]]
    sheet = openpyxl.load_workbook(run.control_report)["À régler"]
    text = " ".join(str(v) for r in sheet.iter_rows(values_only=True) for v in r if v)
    assert "vieux.xls" in text and "n'est le retour d'aucune société" in text and "Excel 97-2003" in text


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
    again = Project(tmp_path).check(campaign, now=ON_TIME)
    row = again.checked.fichiers.set_index("fichier").loc["acta_corrige.xlsx"]
    assert row["statut"] == ACCEPTED, again.checked.messages.to_string()
    assert int(again.accepted.effectifs[again.accepted.effectifs["societe"] == "acta"]["effectif"].sum()) == f[KEY_TOTAL]
    assert not any((folder / f"acta{s}").exists() for s in (".xlsx", ".txt", ".eml"))  # no stale return


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
    (path,) = write_feedback(result, tmp_path / "retours", Round(ON_TIME.date()))
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    assert c.value.startswith(("=SUM(E", "=E")), (ws.title, c.coordinate, c.value)
    ws = wb[SHEET_INPUT]
    assert ws[f"F{row_of(ws, '0201')}"].value == "=HYPERLINK(\"http://x\",\"clic\")"


def test_a_late_return_is_asked_as_soon_as_possible(put, campaign, tmp_path):
    put("acta", _set(**{"0201": -3}))
    Project(tmp_path).check(campaign, now=dt.datetime(2007, 10, 2, 14))
    text = (campaign.outputs_dir(tmp_path) / "retours" / "acta.txt").read_text(encoding="utf-8")
    assert "dès que possible (la date limite était le 28/09/2007)" in text and "reçu le 02/10/2007" in text


def test_a_rejected_new_file_says_the_earlier_one_is_still_used(put, campaign, tmp_path):
    """Acta's first file was accepted; its second one is rejected: the e-mail says the first one counts."""
    put("acta")
    project = Project(tmp_path)
    project.check(campaign, now=dt.datetime(2007, 9, 3, 10))
    put("acta", _set(**{"0201": -3}))
    run = project.check(campaign, now=ON_TIME)
    assert [p.name for p in run.returns] == ["acta.xlsx"]
    mail = _mail(run.returns[0].with_suffix(".eml"))
    body = mail.get_body(("plain",)).get_content()
    assert mail["Subject"] == "Votre nouveau fichier d'effectifs au 01/07/2007 est à corriger — Acta"
    assert "nous conservons pour l'instant celui que vous nous aviez envoyé le 03/09/2007" in body
    assert "n'a pas pu être pris en compte. Merci" not in body


def test_two_files_of_one_company_are_the_secretarys_and_mailed_to_nobody(put, campaign, tmp_path):
    put("acta", _set(**{"0201": -3}))
    put("acta", name="acta_bis.xlsx")
    run = Project(tmp_path).check(campaign, now=ON_TIME)
    assert run.returns == [] and not list((campaign.outputs_dir(tmp_path) / "retours").glob("acta*"))
    assert run.tasks[["tache", "societe"]].values.tolist() == [["plusieurs_fichiers", "acta"]]
    result = CliRunner().invoke(main, ["--racine", str(tmp_path), "controler", "--recu-le", "10/09/2007"],
                                prog_name="effectifs")
    assert "À régler par le secrétariat" in result.output and "Plusieurs fichiers pour cette société" in result.output


def test_two_files_of_a_company_whose_first_was_accepted_say_the_first_still_counts(put, campaign, tmp_path):
    """Acta's first file was accepted; a second one arrives beside it: neither is chosen by the tool, and the first
    one still counts in a consolidation — what « À régler » says, in the console, controle.xlsx and the figures."""
    put("acta")
    project = Project(tmp_path)
    project.check(campaign, now=dt.datetime(2007, 9, 3, 10))
    put("acta", _set(**{"0201": 3}), name="acta_bis.xlsx")
    run = project.consolidate(campaign, now=ON_TIME)
    assert run.tasks[["tache", "societe"]].values.tolist() == [["plusieurs_fichiers", "acta"]]
    kept = run.accepted.retenues.set_index("identifiant").loc["acta"]
    assert kept["fichier"] == "effectifs_2007_acta.xlsx" and "acta" in run.companies_accepted  # the first counts
    said = ("D'ici là, c'est « effectifs_2007_acta.xlsx », reçu le 03/09/2007 10:00 et accepté, qui compte dans la "
            "consolidation")
    result = CliRunner().invoke(main, ["--racine", str(tmp_path), "controler", "--recu-le", "10/09/2007"],
                                prog_name="effectifs")
    assert said in result.output and "aucun n'est utilisé" not in result.output
    report = openpyxl.load_workbook(run.control_report)[L.CONTROL_SHEET_TASKS]
    assert any(said in str(c.value) for row in report.iter_rows() for c in row)


def test_the_returned_workbook_keeps_the_n_minus_1_reminder(two_campaigns, figures, tmp_path):
    """Asked to explain 10 -> 20, HR must see the 10 in the workbook sent back."""
    root = fresh_root(two_campaigns, tmp_path)
    _, _, c2026 = two_campaigns
    v = values_2026(figures["acta"])
    v["0201"] = -1
    write_template(c2026, "acta", c2026.inputs_dir(root) / "acta.xlsx", v)
    run = Project(root).check(c2026, now=dt.datetime(2026, 9, 1))
    ws = openpyxl.load_workbook(run.returns[0])[SHEET_INPUT]
    header = next(r for r in ws.iter_rows() if any(c.value == "Code" for c in r))
    reminder = next(c.column for c in header if str(c.value or "").startswith("Rappel"))
    assert ws.cell(row_of(ws, "0102"), reminder).value == figures["acta"]["0102"]
