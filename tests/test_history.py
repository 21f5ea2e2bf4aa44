"""The history database: submissions recorded once, superseded by newer files, consolidated from the latest."""

import os
import sqlite3

import openpyxl

from pipeline.core.form import KEY_NV, KEY_TOTAL
from pipeline.store import history
from pipeline.store import web as store_web
from tests.conftest import cell_of
from tests.helpers import ACCEPTED, REJECTED, run_campaign


def _db(tmp_path):
    return sqlite3.connect(history.default_path(tmp_path))


def _age(path, seconds_ago):
    """Pretend a file was received some time ago (its modification time)."""
    t = path.stat().st_mtime - seconds_ago
    os.utime(path, (t, t))


def test_migrations_are_applied_once_in_order(tmp_path):
    path = tmp_path / "h.sqlite"
    conn = history.connect(path)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    numbers = [n for n, _, _ in history._migrations()]
    assert numbers == list(range(1, len(numbers) + 1))  # contiguous: branches merged renumber theirs
    assert version == numbers[-1] >= 1
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"campaigns", "companies", "submissions", "figures", "consolidations", "consolidation_sources"} <= tables
    conn.close()
    assert history.migrate(history.connect(path)) == version  # nothing left to apply


def test_same_file_twice_changes_nothing(put, campaign, tmp_path):
    put("acta")
    first = run_campaign(campaign, tmp_path)
    second = run_campaign(campaign, tmp_path)
    assert len(first.recorded.new) == 1 and second.recorded.new == []
    assert second.recorded.unchanged == ["effectifs_2007_acta.xlsx"]
    assert _db(tmp_path).execute("SELECT COUNT(*) FROM submissions").fetchone() == (1,)


def test_newer_file_supersedes_and_the_old_one_stays(put, campaign, tmp_path, figures):
    old = put("acta")
    _age(old, 3600)
    run_campaign(campaign, tmp_path)
    old.unlink()
    f = figures["acta"]

    def corrected(wb, ws):
        ws[cell_of(ws, "0102")] = f.get("0102", 0) + 10
        ws[cell_of(ws, KEY_TOTAL)] = f[KEY_TOTAL] + 10
    put("acta", corrected, name="acta_corrige.xlsx")
    run = run_campaign(campaign, tmp_path, consolidate_it=True)
    subs = history.submissions(_db(tmp_path), "2007")
    assert list(subs["fichier"]) == ["effectifs_2007_acta.xlsx", "acta_corrige.xlsx"]
    assert list(subs["statut"]) == [ACCEPTED, ACCEPTED]
    assert run.accepted.retenues["fichier"].tolist() == ["acta_corrige.xlsx"]
    table = run.consolidation.table.set_index(["niveau", "code"])
    assert int(table.loc[("branche", ""), "effectif"]) == f[KEY_TOTAL] + 10
    assert int(table.loc[("metier", "0102"), "effectif"]) == f.get("0102", 0) + 10


def test_a_rejected_correction_keeps_the_accepted_submission(put, campaign, tmp_path, figures):
    old = put("acta")
    _age(old, 3600)
    run_campaign(campaign, tmp_path)
    old.unlink()
    put("acta", lambda wb, ws: ws.__setitem__(cell_of(ws, "0102"), -1), name="acta_v2.xlsx")
    run = run_campaign(campaign, tmp_path, consolidate_it=True)
    assert run.checked.fichiers["statut"].tolist() == [REJECTED]
    assert run.accepted.retenues["fichier"].tolist() == ["effectifs_2007_acta.xlsx"]
    assert int(run.consolidation.table.set_index("niveau").loc["branche", "effectif"]) == figures["acta"][KEY_TOTAL]
    assert not run.complete
    # the web's one query (whether a « renvoyé » still holds) keeps the accepted submission too, not the newer rejected
    conn = _db(tmp_path)
    latest = history.latest_accepted(conn, "2007")
    rejected = history.submissions(conn, "2007").query("statut == @REJECTED")["id"].tolist()
    assert store_web.kept_submissions(conn, "2007") == store_web.kept_submissions(conn, "2007", "acta") == dict(
        zip(latest["societe"], latest["id"].astype(int)))
    assert len(rejected) == 1 and rejected[0] not in store_web.kept_submissions(conn, "2007").values()


def test_two_files_for_a_company_wait_until_one_is_removed(put, campaign, tmp_path):
    put("acta")
    put("acta", lambda wb, ws: None, name="acta (2).xlsx")  # saved again: other bytes, which to keep?
    run = run_campaign(campaign, tmp_path)
    assert sorted(run.recorded.pending) == ["acta (2).xlsx", "effectifs_2007_acta.xlsx"]
    assert _db(tmp_path).execute("SELECT COUNT(*) FROM submissions").fetchone() == (0,)
    (campaign.inputs_dir(tmp_path) / "acta (2).xlsx").unlink()
    run = run_campaign(campaign, tmp_path)
    assert len(run.recorded.new) == 1 and run.companies_accepted == ["acta"]


def cell_of_file(campaign, root, company, key):
    wb = openpyxl.load_workbook(campaign.inputs_dir(root) / campaign.template_name(company))
    return cell_of(wb["Effectifs"], key)


def test_figures_and_messages_are_stored(put, campaign, tmp_path, figures):
    put("acta")
    put("ima", lambda wb, ws: ws.__setitem__(cell_of(ws, "0102"), "x"))
    (campaign.inputs_dir(tmp_path) / "vieux.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    run_campaign(campaign, tmp_path)
    conn = _db(tmp_path)
    rows = dict(conn.execute("SELECT f.key, f.value FROM figures f JOIN submissions s ON s.id = f.submission_id "
                             "WHERE s.company_id = 'acta' AND f.measure = 'effectif' AND f.category = 'tout'")
                .fetchall())
    # one figure per input row of the template (every line of the nomenclature, NV and the declared total), as typed
    keys = [*campaign.nomenclature.lignes["cle"], KEY_NV, KEY_TOTAL]
    assert rows == {k: figures["acta"].get(k, 0) for k in keys}
    status = dict(conn.execute("SELECT file_name, status FROM submissions").fetchall())
    assert status == {"effectifs_2007_acta.xlsx": ACCEPTED, "effectifs_2007_ima.xlsx": REJECTED,
                      "vieux.xls": REJECTED}
    import json
    (messages,) = conn.execute("SELECT messages FROM submissions WHERE file_name = 'effectifs_2007_ima.xlsx'").fetchone()
    stored = json.loads(messages)[0]
    assert (stored["code"], stored["params"]["valeur"], stored["cellule"]) == ("valeur.texte", "x",
                                                                              cell_of_file(campaign, tmp_path, "ima", "0102"))
    (company,) = conn.execute("SELECT company_id FROM submissions WHERE file_name = 'vieux.xls'").fetchone()
    assert company is None


def test_consolidation_records_and_shows_its_submissions(put, campaign, tmp_path):
    put("acta")
    put("ima")
    run = run_campaign(campaign, tmp_path, consolidate_it=True)
    conn = _db(tmp_path)
    used = [r[0] for r in conn.execute("SELECT submission_id FROM consolidation_sources ORDER BY submission_id")]
    assert used == sorted(run.accepted.retenues["soumission"]) and len(used) == 2
    ws = openpyxl.load_workbook(run.consolidation_path)["Sources"]
    header = [c.value for c in ws[3]]
    assert header == ["Identifiant", "Raison sociale", "Fichier", "Soumission n°", "Reçu le"]
    listed = {r[0]: r[3] for r in ws.iter_rows(min_row=4, values_only=True) if r[3]}
    assert {k: int(v) for k, v in listed.items()} == dict(zip(run.accepted.retenues["identifiant"],
                                                              run.accepted.retenues["soumission"]))


def test_consolidation_uses_history_when_a_file_has_left_the_folder(put, campaign, tmp_path, figures):
    path = put("acta")
    run_campaign(campaign, tmp_path)
    path.unlink()
    put("ima")
    run = run_campaign(campaign, tmp_path, consolidate_it=True)
    assert sorted(run.companies_accepted) == ["acta", "ima"]
    total = figures["acta"][KEY_TOTAL] + figures["ima"][KEY_TOTAL]
    assert int(run.consolidation.table.set_index("niveau").loc["branche", "effectif"]) == total


def test_figures_of_any_number_of_submissions(put, campaign, tmp_path):
    """The submissions' ids go to SQLite as one parameter: more ids than SQLite's parameters per statement (32,766
    by default, 999 before 3.32 and in some builds: set here) is no error, and the ids that are not there add
    nothing."""
    put("acta")
    put("ima")
    run = run_campaign(campaign, tmp_path, consolidate_it=True)
    conn = _db(tmp_path)
    conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
    ids = [int(i) for i in run.accepted.retenues["soumission"]]
    many = ids + list(range(10**6, 10**6 + 5_000))
    figures = history.figures_of(conn, campaign.identifiant, many)
    assert len(figures) and set(figures["soumission"]) == set(ids)
    assert figures.equals(history.figures_of(conn, campaign.identifiant, ids))
    assert history.comments_of(conn, many).equals(history.comments_of(conn, ids))
