"""The campaign dashboard: where each company stands, and who to chase."""

import datetime as dt
import json
import os
import stat

from email.parser import BytesParser
from email.policy import default

import openpyxl
from click.testing import CliRunner

from pipeline.cli import EXIT_INCOMPLETE, main
from tests.helpers import ACCEPTED, WARNED
from pipeline.api import Project
from pipeline.compute.status import counts
from pipeline.core.vocab import CompanyState

MISSING, PENDING, REJECTED_KEPT = CompanyState.MISSING, CompanyState.PENDING, CompanyState.REJECTED_KEPT


def campaign_dashboard(campaign, root, today=None, now=None):
    return Project(root).status(campaign, today, now)
from tests.conftest import cell_of, row_of


def _received(path, when: dt.datetime):
    os.utime(path, (when.timestamp(), when.timestamp()))


def test_dashboard_statuses_dates_and_lateness(put, campaign, tmp_path):
    """Arrivals are dated when the tool sees them (a file's own date is when HR saved it)."""
    Project(tmp_path).write_templates(campaign, force=True)  # the demo's contacts are placeholders
    _received(put("acta"), dt.datetime(2007, 5, 1))
    campaign_dashboard(campaign, tmp_path, today=dt.date(2007, 9, 1), now=dt.datetime(2007, 9, 1, 10, 0))
    _received(put("fidelia"), dt.datetime(2099, 1, 1))
    campaign_dashboard(campaign, tmp_path, today=dt.date(2007, 9, 3), now=dt.datetime(2007, 9, 3))
    (campaign.inputs_dir(tmp_path) / "effectifs_2007_fidelia.xlsx").unlink()
    put("fidelia", lambda wb, ws: ws.__setitem__(cell_of(ws, "0102"), -1), name="fidelia_v2.xlsx")
    campaign_dashboard(campaign, tmp_path, today=dt.date(2007, 9, 20), now=dt.datetime(2007, 9, 20))
    put("ima", lambda wb, ws: ws.__setitem__(f"B{row_of(ws, '0901')}", "Assistante"))
    put("mondial-assistance")
    put("mondial-assistance", lambda wb, ws: None, name="mondial (copie).xlsx")  # saved again: which one holds?
    board = campaign_dashboard(campaign, tmp_path, today=dt.date(2007, 10, 5),
                               now=dt.datetime(2007, 10, 2, 9, 30))  # after the 28/09/2007 deadline
    s = board.status.set_index("identifiant")
    assert s.loc["acta", "statut"] == ACCEPTED and not s.loc["acta", "en_retard"]
    assert s.loc["acta", "recu_le"] == "2007-09-01T10:00:00" and s.loc["acta", "fichiers_recus"] == 1
    assert s.loc["ima", "statut"] == WARNED and s.loc["ima", "en_retard"]
    assert s.loc["fidelia", "statut"] == REJECTED_KEPT and s.loc["fidelia", "fichiers_recus"] == 2
    assert s.loc["fidelia", "dernier_fichier"] == "fidelia_v2.xlsx"
    assert s.loc["fidelia", "soumission_retenue"].endswith("du 03/09/2007")
    assert s.loc["mondial-assistance", "statut"] == PENDING
    assert s.loc["delta-services", "statut"] == MISSING and s.loc["delta-services", "en_retard"]
    assert s.loc["delta-services", "email"] == "drh@delta-services.example"
    c = counts(board.status)
    assert (c["attendues"], c["reçues"], c["manquantes"], c["rejetées"], c["à départager"]) == (9, 4, 5, 1, 1)
    text = board.reminders
    assert "- Delta Services (Direction des ressources humaines (fictif) — drh@delta-services.example) : aucun " \
           "fichier reçu" in text
    assert "Fidélia" in text and "Mondial Assistance" in text and "Acta (" not in text
    assert "À régler par le secrétariat avant toute relance :\n- Mondial Assistance : plusieurs fichiers" in text
    # One ready e-mail per company to chase, with what it needs attached; none for Mondial (two files: the
    # secretary's to sort out).
    drafts = sorted(p.name for p in board.drafts.glob("*.eml"))
    assert drafts == sorted(f"{c}.eml" for c in s.index if s.loc[c, "statut"] in (MISSING, REJECTED_KEPT))
    delta = BytesParser(policy=default).parse((board.drafts / "delta-services.eml").open("rb"))
    assert delta["To"].addresses[0].addr_spec == "drh@delta-services.example" and delta["X-Unsent"] == "1"
    assert delta["Subject"] == "Relance : effectifs par métier au 01/07/2007 — Delta Services"
    body = delta.get_body(("plain",)).get_content()
    assert "nous n'avons pas encore reçu le fichier de Delta Services" in body
    assert "dès que possible (la date limite était le 28/09/2007)" in body
    (template,) = list(delta.iter_attachments())
    assert template.get_filename() == "effectifs_2007_delta-services.xlsx"
    fidelia = BytesParser(policy=default).parse((board.drafts / "fidelia.eml").open("rb"))
    body = fidelia.get_body(("plain",)).get_content()
    assert "« fidelia_v2.xlsx », reçu le 20/09/2007" in body and "nous conservons celui du 03/09/2007" in body
    assert [a.get_filename() for a in fidelia.iter_attachments()] == ["fidelia.xlsx"]  # its return to sender
    full = board.reminders_path.read_text(encoding="utf-8")
    assert full.startswith(text.rstrip()) and delta["Subject"] in full and "À : drh@delta-services.example" in full


def test_not_late_before_the_deadline(campaign, inputs, tmp_path):
    board = campaign_dashboard(campaign, tmp_path, today=dt.date(2007, 9, 1))
    assert set(board.status["en_retard"]) == {False} and set(board.status["statut"]) == {MISSING}


def test_suivi_workbook(put, campaign, tmp_path):
    put("acta")
    board = campaign_dashboard(campaign, tmp_path, today=dt.date(2007, 9, 1), now=dt.datetime(2007, 9, 1, 12))
    wb = openpyxl.load_workbook(board.suivi_path)
    assert wb.sheetnames == ["Suivi", "Soumissions", "Relances"]
    # Companies to chase first, then by name; the identifier after the printed columns.
    table = list(wb["Suivi"].iter_rows(min_row=7, values_only=True))
    rows = {r[8]: r for r in table}
    assert rows["acta"][1] == ACCEPTED and rows["ima"][1] == MISSING
    assert [r[0] for r in table] == [*sorted(n for n in campaign.names.values() if n != "Acta"), "Acta"]
    assert rows["acta"][4] == "01/09/2007 12:00" and rows["acta"][7] == "Direction des ressources humaines " \
        "(fictif)\ndrh@acta.example"
    assert [r[2] for r in wb["Soumissions"].iter_rows(min_row=2, values_only=True)] == ["effectifs_2007_acta.xlsx"]
    assert any("Sociétés à relancer" in (r[0] or "") for r in wb["Relances"].iter_rows(values_only=True))
    # The declared totals, and the drafts with each company's template or returned workbook: the owner's only.
    drafts = sorted(board.drafts.iterdir())
    assert drafts and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in [board.suivi_path, *drafts])


def test_status_command(put, campaign, tmp_path):
    put("acta")
    runner = CliRunner()
    result = runner.invoke(main, ["--racine", str(tmp_path), "status", "--au", "2007-09-01"], prog_name="effectifs")
    assert result.exit_code == EXIT_INCOMPLETE
    assert "Acta" in result.output and "Sociétés à relancer :" in result.output
    assert (tmp_path / "outputs/2007/suivi.xlsx").is_file() and (tmp_path / "outputs/2007/relances.txt").is_file()
    result = runner.invoke(main, ["--racine", str(tmp_path), "status", "--json"], prog_name="effectifs")
    data = json.loads(result.stdout)
    assert data["compteurs"]["reçues"] == 1 and "ima" in data["relances"] and "acta" not in data["relances"]


def test_two_files_received_on_time_are_dated_and_not_late(put, campaign, tmp_path):
    """Two files of one company (« à départager ») seen before the deadline: the company is not late, « Reçu le »
    is when they arrived, and the file the secretary keeps is recorded with that arrival."""
    put("mondial-assistance")
    put("mondial-assistance", lambda wb, ws: None, name="mondial (copie).xlsx")
    campaign_dashboard(campaign, tmp_path, today=dt.date(2007, 9, 10), now=dt.datetime(2007, 9, 10, 9))
    board = campaign_dashboard(campaign, tmp_path, today=dt.date(2007, 10, 5), now=dt.datetime(2007, 10, 5, 9))
    s = board.status.set_index("identifiant")
    assert s.loc["mondial-assistance", "statut"] == PENDING
    assert s.loc["mondial-assistance", "recu_le"] == "2007-09-10T09:00:00"
    assert not s.loc["mondial-assistance", "en_retard"]
    assert counts(board.status)["en retard"] == 8  # the eight companies that sent nothing
    row = next(r for r in openpyxl.load_workbook(board.suivi_path)["Suivi"].iter_rows(min_row=7, values_only=True)
               if r[8] == "mondial-assistance")
    assert (row[4], row[5]) == ("10/09/2007 09:00", "non")
    # The web dashboard, which does not read the folder, shows the same, from the history of the last check.
    web = Project(tmp_path).standing(campaign, today=dt.date(2007, 10, 5)).status.set_index("identifiant")
    assert web.loc["mondial-assistance", ["statut", "recu_le", "en_retard", "fichiers_recus"]].tolist() == \
        [PENDING, "2007-09-10T09:00:00", False, 2]
    # The secretary removes the copy after the deadline: the file kept arrived on time all the same.
    (campaign.inputs_dir(tmp_path) / "mondial (copie).xlsx").unlink()
    board = campaign_dashboard(campaign, tmp_path, today=dt.date(2007, 10, 6), now=dt.datetime(2007, 10, 6, 9))
    s = board.status.set_index("identifiant")
    assert s.loc["mondial-assistance", "statut"] == ACCEPTED and not s.loc["mondial-assistance", "en_retard"]
    assert s.loc["mondial-assistance", "recu_le"] == "2007-09-10T09:00:00"
    web = Project(tmp_path).standing(campaign, today=dt.date(2007, 10, 6)).status.set_index("identifiant")
    assert web.loc["mondial-assistance", "statut"] == ACCEPTED  # no longer held


def test_a_second_file_after_the_deadline_beside_one_on_time(put, campaign, tmp_path):
    """The first file came on time, a second one after the deadline: not late, and « Reçu le » is the latest."""
    put("acta")
    campaign_dashboard(campaign, tmp_path, today=dt.date(2007, 9, 10), now=dt.datetime(2007, 9, 10, 9))
    put("acta", lambda wb, ws: None, name="acta corrigé.xlsx")
    board = campaign_dashboard(campaign, tmp_path, today=dt.date(2007, 10, 5), now=dt.datetime(2007, 10, 5, 9))
    s = board.status.set_index("identifiant")
    assert s.loc["acta", "statut"] == PENDING and not s.loc["acta", "en_retard"]
    assert s.loc["acta", "recu_le"] == "2007-10-05T09:00:00"
    # Two files received, not three: the first is both a recorded submission and one of the two held back.
    assert s.loc["acta", "fichiers_recus"] == 2
    web = Project(tmp_path).standing(campaign, today=dt.date(2007, 10, 5)).status.set_index("identifiant")
    assert web.loc["acta", ["statut", "fichiers_recus", "recu_le"]].tolist() == [PENDING, 2, "2007-10-05T09:00:00"]


def test_the_reminder_says_what_the_attached_workbook_holds(put, campaign, tmp_path):
    """A rejected file whose figures were read is sent back with them; one whose figures could not be read is sent
    back as the blank template: each reminder says which, not both."""
    put("fidelia", lambda wb, ws: wb.remove(ws))  # no input sheet: nothing read
    put("ima", lambda wb, ws: ws.__setitem__(cell_of(ws, "0102"), -1))
    board = campaign_dashboard(campaign, tmp_path, today=dt.date(2007, 10, 5), now=dt.datetime(2007, 10, 5, 9))

    def body(company):
        mail = BytesParser(policy=default).parse((board.drafts / f"{company}.eml").open("rb"))
        return " ".join(mail.get_body(("plain",)).get_content().split())

    fidelia, ima = body("fidelia"), body("ima")
    assert "n'a pas pu être pris en compte : vos chiffres n'ont pas pu y être lus. Le classeur joint contient le " \
           "modèle de la campagne établi pour votre société, et sa feuille « Anomalies » explique pourquoi. Merci de " \
           "le remplir et de nous le renvoyer dès que possible" in fidelia
    assert "Le classeur joint reprend vos chiffres dans le modèle de la campagne et indique, dans sa feuille " \
           "« Anomalies », ce qu'il faut corriger. Merci de nous le renvoyer corrigé dès que possible" in ima
    assert not any("quand ils ont pu être lus" in b or "reprend vos chiffres" in b and "à remplir" in b
                   for b in (fidelia, ima))
