"""Round trips: real templates, edited as HR would (openpyxl), read back by the ingestion."""

import hashlib
import io
import shutil
import time
import zipfile

import openpyxl
import pandas as pd
import pytest

from tests.helpers import ACCEPTED, IGNORED, REJECTED, WARNED, consolidate, ingest
from pipeline.write.console import check_lines as summary_lines
from pipeline.check.tasks import secretary_tasks
from pipeline.write.control import task_lines, write_control_report
from pipeline.write.feedback import sent_back
from pipeline.core.form import KEY_NV, KEY_TOTAL, SHEET_INPUT
from pipeline.write.template import write_template
from tests.conftest import cell_of, row_of


def messages_of(result, fichier):
    return result.messages[result.messages["fichier"] == fichier]


def status_of(result, fichier):
    return result.fichiers.set_index("fichier").loc[fichier, "statut"]


def only_message(result, fichier, gravite="erreur"):
    m = messages_of(result, fichier)
    m = m[m["gravite"] == gravite]
    assert len(m) == 1, m.to_string()
    return m.iloc[0]


def test_good_returns_are_accepted_with_their_figures(put, campaign, tmp_path, figures):
    for company in ("acta", "ima"):
        put(company)
    r = ingest(campaign, tmp_path)
    assert set(r.fichiers["statut"]) == {ACCEPTED}
    assert r.messages.empty
    got = r.effectifs.set_index(["societe", "cle"])["effectif"]
    for company in ("acta", "ima"):
        expected = {k: v for k, v in figures[company].items() if k != KEY_TOTAL}
        assert {k: int(got[(company, k)]) for k in expected} == expected
        assert int(got.loc[company].sum()) == figures[company][KEY_TOTAL]
    assert list(r.manquantes["identifiant"]) == [i for i in campaign.societes["identifiant"] if i not in ("acta", "ima")]


# --- rows found by code, whatever HR did to the order ---------------------------------------------


def _insert_rows(wb, ws):
    ws.insert_rows(row_of(ws, "0102"), 3)


def _delete_empty_heading(wb, ws):
    ws.delete_rows(row_of(ws, "02"), 1)  # a family heading row, no input on it


def _hide_rows(wb, ws):
    for key in ("0102", "0103", "0201"):
        ws.row_dimensions[row_of(ws, key)].hidden = True


def _sort_rows(wb, ws):
    """Swap the rows 0102 and 0601 entirely, as a sort would."""
    a, b = row_of(ws, "0102"), row_of(ws, "0601")
    for col in range(1, 7):
        ca, cb = ws.cell(a, col), ws.cell(b, col)
        ca.value, cb.value = cb.value, ca.value


@pytest.mark.parametrize("edit", [_insert_rows, _delete_empty_heading, _hide_rows, _sort_rows])
def test_row_moves_do_not_shift_any_value(put, campaign, tmp_path, figures, edit):
    name = put("europ-assistance", edit).name
    r = ingest(campaign, tmp_path)
    assert status_of(r, name) == ACCEPTED, messages_of(r, name).to_string()
    got = r.effectifs.set_index("cle")["effectif"]
    expected = {k: v for k, v in figures["europ-assistance"].items() if k != KEY_TOTAL}
    assert {k: int(got[k]) for k in expected} == expected


def test_missing_code_is_an_error(put, campaign, tmp_path):
    name = put("acta", lambda wb, ws: ws.delete_rows(row_of(ws, "0303"), 1)).name
    r = ingest(campaign, tmp_path)
    assert status_of(r, name) == REJECTED
    m = only_message(r, name)
    assert "« 0303 »" in m["message"] and "introuvable" in m["message"] and m["action"]


def test_code_present_twice_is_an_error_naming_both_cells(put, campaign, tmp_path):
    def dup(wb, ws):
        src = row_of(ws, "0402")
        ws.insert_rows(src + 1)
        for col in range(1, 7):
            ws.cell(src + 1, col).value = ws.cell(src, col).value
    name = put("acta", dup).name
    r = ingest(campaign, tmp_path)
    m = only_message(r, name)
    assert "« 0402 » apparaît 2 fois" in m["message"]
    wb = openpyxl.load_workbook(campaign.inputs_dir(tmp_path) / name)
    first = row_of(wb[SHEET_INPUT], "0402")
    assert f"A{first}, A{first + 1}" in m["message"] and m["cellule"] == f"A{first + 1}"


def test_added_rows_are_reported_with_their_content(put, campaign, tmp_path):
    def add(wb, ws):
        r = row_of(ws, "0903")
        ws.insert_rows(r + 1, 2)
        ws.cell(r + 1, 2).value = "Chargée de paie intérimaire"
        ws.cell(r + 1, 5).value = 4
        ws.cell(r + 2, 6).value = "voir avec la DRH"
    name = put("acta", add).name
    r = ingest(campaign, tmp_path)
    msgs = messages_of(r, name)
    error = msgs[msgs["gravite"] == "erreur"].iloc[0]
    assert "ligne ajoutée" in error["message"] and "Chargée de paie intérimaire | 4" in error["message"]
    warning = msgs[msgs["gravite"] == "avertissement"].iloc[0]
    assert "voir avec la DRH" in warning["message"]
    assert status_of(r, name) == REJECTED


# --- values ------------------------------------------------------------------------------------


def _set(key, value):
    def edit(wb, ws):
        ws[cell_of(ws, key)] = value
    return edit


@pytest.mark.parametrize("value, fragment", [
    (3.5, "la valeur 3,5 n'est pas un nombre entier"),
    (-2, "la valeur −2 est négative"),
    ("douze", "la valeur « douze » n'est pas un nombre"),
    ("=#REF!", None),
    (True, "valeur logique (VRAI)"),
    (__import__("datetime").datetime(2007, 7, 1), "contient une date (01/07/2007)"),
    (1_000_000, "la valeur 1\u202f000\u202f000 est invraisemblable"),
])
def test_bad_values_are_errors_naming_the_cell(put, campaign, tmp_path, value, fragment):
    put("acta", _set("0201", value))
    if value == "=#REF!":  # an error value as Excel stores it
        path = campaign.inputs_dir(tmp_path) / "effectifs_2007_acta.xlsx"
        wb = openpyxl.load_workbook(path)
        ws = wb[SHEET_INPUT]
        c = ws[cell_of(ws, "0201")]
        c.value, c.data_type = "#REF!", "e"
        wb.save(path)
        fragment = "erreur de formule (#REF!)"
    r = ingest(campaign, tmp_path)
    name = "effectifs_2007_acta.xlsx"
    assert status_of(r, name) == REJECTED
    errors = messages_of(r, name)
    errors = errors[errors["gravite"] == "erreur"]
    first = errors.iloc[0]
    assert fragment in first["message"], errors.to_string()
    wb = openpyxl.load_workbook(campaign.inputs_dir(tmp_path) / name)
    assert first["feuille"] == SHEET_INPUT and first["cellule"] == cell_of(wb[SHEET_INPUT], "0201")
    assert first["attendu"] and first["action"]


@pytest.mark.parametrize("text", ["12", " 12 ", "1\u202f200", "1\u00a0200", "12,0"])
def test_number_typed_as_text_is_accepted_with_a_warning(put, campaign, tmp_path, figures, text):
    expected = int(text.replace("\u202f", "").replace("\u00a0", "").replace(",0", "").strip())
    f = dict(figures["acta"])
    delta = expected - f.get("0201", 0)

    def edit(wb, ws):
        ws[cell_of(ws, "0201")] = text
        ws[cell_of(ws, KEY_TOTAL)] = f[KEY_TOTAL] + delta
    name = put("acta", edit).name
    r = ingest(campaign, tmp_path)
    assert status_of(r, name) == WARNED
    m = only_message(r, name, "avertissement")
    assert "nombre saisi comme texte" in m["message"]
    assert int(r.effectifs.set_index("cle").loc["0201", "effectif"]) == expected


def test_blank_means_zero(put, campaign, tmp_path, figures):
    f = figures["acta"]
    key = next(k for k, v in f.items() if v and k not in (KEY_NV, KEY_TOTAL))

    def edit(wb, ws):
        ws[cell_of(ws, key)] = None
        ws[cell_of(ws, KEY_TOTAL)] = f[KEY_TOTAL] - f[key]
    name = put("acta", edit).name
    r = ingest(campaign, tmp_path)
    assert status_of(r, name) == ACCEPTED
    assert int(r.effectifs.set_index("cle").loc[key, "effectif"]) == 0


def test_declared_total_mismatch_names_both_figures(put, campaign, tmp_path, figures):
    f = figures["acta"]
    name = put("acta", _set(KEY_TOTAL, f[KEY_TOTAL] + 7)).name
    r = ingest(campaign, tmp_path)
    m = only_message(r, name)
    v = f[KEY_TOTAL] - f[KEY_NV]
    assert f"le total déclaré ({f[KEY_TOTAL] + 7})" in m["message"]
    assert f"ventilés {v} + non ventilés {f[KEY_NV]} = {f[KEY_TOTAL]} (écart +7)" in m["message"]
    wb = openpyxl.load_workbook(campaign.inputs_dir(tmp_path) / name)
    assert m["cellule"] == cell_of(wb[SHEET_INPUT], KEY_TOTAL)


def test_declared_total_left_blank(put, campaign, tmp_path, figures):
    name = put("acta", _set(KEY_TOTAL, None)).name
    m = only_message(ingest(campaign, tmp_path), name)
    assert "effectif total déclaré (ligne TOTAL) est vide" in m["message"]
    assert str(figures["acta"][KEY_TOTAL]) in m["attendu"]


def test_cached_results_are_never_trusted(put, campaign, tmp_path, figures):
    """Re-saved by openpyxl, the totals lose their stored results; HR may also type over them."""
    def edit(wb, ws):
        ws[f"E{row_of(ws, '0101')}"] = 999  # a constant typed over the métier total
    name = put("mondial-assistance", edit).name
    r = ingest(campaign, tmp_path)
    assert status_of(r, name) == WARNED
    assert "ligne de total" in only_message(r, name, "avertissement")["message"]
    assert int(r.effectifs["effectif"].sum()) == figures["mondial-assistance"][KEY_TOTAL]


def test_all_errors_of_all_files_in_one_pass(put, campaign, tmp_path):
    a = put("acta", lambda wb, ws: (_set("0201", -1)(wb, ws), _set("0301", "x")(wb, ws))).name
    b = put("ima", _set("0702", 2.5)).name
    c = put("fidelia").name
    r = ingest(campaign, tmp_path)
    assert len(messages_of(r, a)) == 2 and len(messages_of(r, b)) == 1
    assert status_of(r, c) == ACCEPTED and r.acceptees == ["fidelia"]


# --- identity ----------------------------------------------------------------------------------


def _prop(name, value):
    def edit(wb, ws):
        props = {p.name: p for p in wb.custom_doc_props.props}
        if value is None:
            wb.custom_doc_props.props = [p for p in wb.custom_doc_props.props if p.name != name]
        else:
            props[name].value = value
    return edit


@pytest.mark.parametrize("edit, fragment", [
    (_prop("effectifs_societe", None), "informations d'identification du modèle sont absentes"),
    (_prop("effectifs_societe", "axa-france"), "société « axa-france » inconnue"),
    (_prop("effectifs_campagne", "2005"), "modèle de la campagne « 2005 »"),
    (_prop("effectifs_format", "0"), "ancienne version du modèle"),
    (_prop("effectifs_nomenclature", "000000000000"), "autre version de la nomenclature"),
])
def test_identity_problems(put, campaign, tmp_path, edit, fragment):
    name = put("acta", edit).name
    r = ingest(campaign, tmp_path)
    assert status_of(r, name) == REJECTED
    assert fragment in only_message(r, name)["message"]


def test_two_files_for_one_company_use_neither(put, campaign, tmp_path):
    put("acta")
    put("acta", lambda wb, ws: None, name="acta (2).xlsx")  # saved again: the same figures, other bytes
    put("ima")
    r = ingest(campaign, tmp_path)
    for name in ("effectifs_2007_acta.xlsx", "acta (2).xlsx"):
        assert status_of(r, name) == REJECTED
        assert "plusieurs fichiers pour la société « Acta »" in only_message(r, name)["message"]
    assert r.acceptees == ["ima"]


def test_a_copy_of_the_same_file_is_counted_once(put, campaign, tmp_path, figures):
    """The same bytes twice (a copy kept beside the file): nothing to choose, the company is counted once, nothing
    left to the secretary."""
    original = put("acta")
    copy = original.with_name("effectifs_2007_acta - Copie.xlsx")
    shutil.copyfile(original, copy)
    put("ima")
    r = ingest(campaign, tmp_path)
    assert status_of(r, original.name) == ACCEPTED and status_of(r, copy.name) == IGNORED
    assert "copie identique de « effectifs_2007_acta.xlsx »" in only_message(r, copy.name, "information")["message"]
    assert sorted(r.acceptees) == ["acta", "ima"]
    assert consolidate(r).total == figures["acta"]["TOTAL"] + figures["ima"]["TOTAL"]
    assert secretary_tasks(r.checked).empty


def test_another_companys_template_is_read_as_that_company(put, campaign, tmp_path):
    """The identity, not the file name, says whose figures these are."""
    put("ima", name="effectifs_2007_acta.xlsx")
    r = ingest(campaign, tmp_path)
    assert r.acceptees == ["ima"] and "acta" in set(r.manquantes["identifiant"])


# --- files that are not returns ----------------------------------------------------------------


def test_unreadable_files_are_reported_and_the_others_go_on(put, inputs, campaign, tmp_path, good_returns):
    put("acta")
    good = good_returns["ima"].read_bytes()
    (inputs / "retour.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    (inputs / "retour.ods").write_bytes(b"PK\x03\x04")
    (inputs / "retour.csv").write_text("code;effectif\n0101;3\n", encoding="utf-8")
    (inputs / "chiffre.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    (inputs / "tronque.xlsx").write_bytes(good[: len(good) // 2])
    (inputs / "vide.xlsx").write_bytes(b"")
    (inputs / "scan.xlsx").write_bytes(b"%PDF-1.4 ...")
    (inputs / "~$effectifs_2007_acta.xlsx").write_bytes(b"lock")
    (inputs / ".~lock.effectifs_2007_acta.xlsx#").write_text("lock")
    (inputs / "archives").mkdir()
    (inputs / "Rétour société à vérifier.xlsx").write_bytes(good)  # accents and spaces: ima's return
    r = ingest(campaign, tmp_path)
    expect = {
        "retour.xls": (REJECTED, "Excel 97-2003"),
        "retour.ods": (REJECTED, "endommagé"),
        "retour.csv": (REJECTED, "CSV"),
        "chiffre.xlsx": (REJECTED, "mot de passe"),
        "tronque.xlsx": (REJECTED, "endommagé"),
        "vide.xlsx": (REJECTED, "0 octet"),
        "scan.xlsx": (REJECTED, "c'est un PDF"),
        "~$effectifs_2007_acta.xlsx": (IGNORED, "verrouillage"),
        ".~lock.effectifs_2007_acta.xlsx#": (IGNORED, "verrouillage"),
        "archives/": (IGNORED, "dossier ignoré"),
    }
    for name, (status, fragment) in expect.items():
        assert status_of(r, name) == status, name
        assert fragment in messages_of(r, name).iloc[0]["message"], name
    assert status_of(r, "Rétour société à vérifier.xlsx") == ACCEPTED
    assert sorted(r.acceptees) == ["acta", "ima"]
    # The guide tells the secretary to put the files that no longer count in a subfolder: not a thing to undo.
    archives = messages_of(r, "archives/").iloc[0]
    assert archives["gravite"] == "information" and archives["action"] == (
        "rien à faire si vous y avez rangé des fichiers qui ne doivent plus compter (un ancien fichier remplacé) ; "
        "sinon, déplacez les fichiers à lire directement dans le dossier de la campagne")
    assert len(r.fichiers) == len(list(inputs.iterdir()))  # every entry accounted for


def test_a_file_that_cannot_be_read_belongs_to_the_company_its_name_is_the_template_of(inputs, campaign, tmp_path):
    """Whatever its extension and case, a copy's suffix allowed; nothing else of a name attributes a file."""
    named = {"Effectifs_2007_Acta - Copie.xlsx": "acta", "effectifs_2007_ima (2).xlsx": "ima",
             "effectifs_2007_fidelia.csv": "fidelia", "effectifs_2007_delta-services.xlsx.pdf": "delta-services",
             "effectifs_2007_axa-assistance_v2.xlsx": "", "effectifs_2007_mondial.xlsx": "", "acta.xlsx": ""}
    for name in named:
        (inputs / name).write_bytes(b"%PDF-1.4 ...")
    r = ingest(campaign, tmp_path)
    assert r.fichiers.set_index("fichier")["societe"].to_dict() == named
    assert set(r.fichiers["statut"]) == {REJECTED}
    assert not {"acta", "ima", "fidelia", "delta-services"} & set(r.manquantes["identifiant"])
    said = r.messages[r.messages["code"] == "societe.par_nom"].set_index("fichier")["message"].to_dict()
    assert said == {name: f"fichier attribué à {campaign.names[company]} d'après son nom, son contenu ne pouvant pas "
                          "le dire" for name, company in named.items() if company}


def test_a_file_attributed_by_its_name_yields_to_the_companys_own_workbook(put, inputs, campaign, tmp_path):
    """HR sent its workbook and a PDF print of it: the workbook is used and nothing goes back to the company; the
    print, under the template's name as a .pdf or an .xlsx, is the secretary's to remove."""
    put("acta")
    (inputs / "effectifs_2007_acta.pdf").write_bytes(b"%PDF-1.4 ...")
    (inputs / "effectifs_2007_acta (2).xlsx").write_bytes(b"%PDF-1.4 ...")
    r = ingest(campaign, tmp_path)
    files = r.fichiers.set_index("fichier")
    good = next(f for f in files.index if f.endswith(".xlsx") and "(2)" not in f)
    assert files.loc[good, "statut"] == ACCEPTED and r.acceptees == ["acta"] and not r.en_attente
    assert files.loc[["effectifs_2007_acta.pdf", "effectifs_2007_acta (2).xlsx"], "societe"].tolist() == ["", ""]
    assert not {"societe.par_nom", "societe.plusieurs_fichiers"} & set(r.messages["code"])
    assert sent_back(r) == {}
    tasks = secretary_tasks(r)
    assert tasks[["tache", "societe"]].values.tolist() == [["a_cote", "acta"], ["a_cote", "acta"]]
    line = task_lines(r, tasks)[0]
    assert line[0] == "Acta" and line[2].startswith("Ce fichier porte le nom du modèle de cette société mais ne peut "
                                                    "pas être lu (")


def test_macro_workbook_is_refused_and_never_run(put, inputs, campaign, tmp_path):
    path = put("acta")
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/vbaProject.bin", b"\0" * 64)
    shutil.copyfile(path, inputs / "avec_macros.xlsm")
    r = ingest(campaign, tmp_path)
    assert "macros" in only_message(r, path.name)["message"]
    assert "macros" in only_message(r, "avec_macros.xlsm")["message"]


def test_defusedxml_is_active_and_entity_bombs_are_refused(put, campaign, tmp_path):
    assert openpyxl.xml.DEFUSEDXML is True
    path = put("acta")
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
            '<si><t>&lol3;</t></si></sst>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = bomb.encode() if item.filename == "xl/sharedStrings.xml" else src.read(item.filename)
            dst.writestr(item, data)
    path.write_bytes(buffer.getvalue())
    start = time.perf_counter()
    r = ingest(campaign, tmp_path)
    assert time.perf_counter() - start < 10
    assert "XML dangereuses" in only_message(r, path.name)["message"]


def test_zip_bomb_is_refused_from_the_directory(put, inputs, campaign, tmp_path):
    path = inputs / "bombe.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (150 * 1024 * 1024))
    r = ingest(campaign, tmp_path)
    assert "anormalement volumineux" in only_message(r, "bombe.xlsx")["message"]


def test_inputs_are_never_modified(put, inputs, campaign, tmp_path):
    put("acta")
    put("ima", _set("0201", "x"))
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in inputs.iterdir()}
    ingest(campaign, tmp_path)
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in inputs.iterdir()}
    assert before == after


def test_missing_input_folder_is_created_and_nothing_is_received(campaign, tmp_path):
    """Checking before any return is not an error: the folder returns go into is created, empty."""
    checked = ingest(campaign, tmp_path)
    assert campaign.inputs_dir(tmp_path).is_dir() and checked.fichiers.empty


# --- reports -----------------------------------------------------------------------------------


def test_control_report_lists_every_file_and_message(put, inputs, campaign, tmp_path):
    put("acta")
    bad = put("ima", _set("0201", -3)).name
    (inputs / "~$x.xlsx").write_bytes(b"")
    r = ingest(campaign, tmp_path)
    path = write_control_report(r, tmp_path / "outputs" / "controle.xlsx")
    wb = openpyxl.load_workbook(path)
    files = pd.DataFrame(wb["Fichiers"].iter_rows(min_row=5, max_col=4, values_only=True))
    assert {"effectifs_2007_acta.xlsx", bad, "~$x.xlsx"} <= set(files[0])
    rows = list(wb["Anomalies"].iter_rows(min_row=2, values_only=True))
    wb_in = openpyxl.load_workbook(inputs / bad)
    assert any(row[0] == bad and row[3] == cell_of(wb_in[SHEET_INPUT], "0201") and "négative" in row[5]
               for row in rows)
    label = next(c.row for c in wb["Fichiers"]["A"] if c.value == "Sociétés sans retour")
    missing = [c.value for c in wb["Fichiers"]["B"][label:] if c.value in set(campaign.societes["identifiant"])]
    assert set(missing) == set(r.manquantes["identifiant"])
    text = "\n".join(summary_lines(r))
    assert "[rejeté] " + bad in text and "Sociétés sans retour" in text


def test_accepted_with_warnings_still_consolidates(put, campaign, tmp_path, figures):
    put("acta", _set("0201", str(figures["acta"].get("0201", 0))))
    r = ingest(campaign, tmp_path)
    assert r.fichiers["statut"].tolist() == [WARNED] and r.acceptees == ["acta"]


def test_template_written_then_filled_by_hand_cell_by_cell(tmp_path, campaign):
    """A blank template filled with openpyxl, as a user would type, is accepted."""
    path = write_template(campaign, "delta-services", campaign.inputs_dir(tmp_path) / "x.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_INPUT]
    ws[cell_of(ws, "0102")] = 30
    ws[cell_of(ws, "0101-2")] = 1
    ws[cell_of(ws, KEY_NV)] = 4
    ws[cell_of(ws, KEY_TOTAL)] = 35
    wb.save(path)
    r = ingest(campaign, tmp_path)
    assert r.acceptees == ["delta-services"]
    assert r.effectifs.set_index("cle").loc[["0102", "0101-2", KEY_NV], "effectif"].tolist() == [30, 1, 4]


def test_column_inserted_before_the_headcount_column(put, campaign, tmp_path, figures):
    """Columns are found by their heading, not their position."""
    def edit(wb, ws):
        ws.insert_cols(4)
        ws.cell(10, 4).value = "Notes RH"
    name = put("axa-assistance", edit).name
    r = ingest(campaign, tmp_path)
    assert status_of(r, name) == ACCEPTED, messages_of(r, name).to_string()
    assert int(r.effectifs["effectif"].sum()) == figures["axa-assistance"][KEY_TOTAL]


def test_edited_titles_are_reported_and_the_code_wins(put, campaign, tmp_path, figures):
    def edit(wb, ws):
        ws.protection.sheet = False
        ws[f"B{row_of(ws, '0201')}"] = "Médecin"
    name = put("axa-assistance", edit).name
    r = ingest(campaign, tmp_path)
    assert status_of(r, name) == WARNED
    m = only_message(r, name, "avertissement")
    assert "intitulé modifié : « Médecin » au lieu de « Médecin régulateur(trice) »" in m["message"]
    assert int(r.effectifs.set_index("cle").loc["0201", "effectif"]) == figures["axa-assistance"].get("0201", 0)


def test_an_unforeseen_failure_on_one_file_does_not_stop_the_batch(put, campaign, tmp_path, monkeypatch):
    import pipeline.check.inputs as inputs_module
    real = inputs_module.check_workbook

    def flaky(facts, *args):
        if facts.name.startswith("effectifs_2007_acta"):
            raise MemoryError("simulated")
        return real(facts, *args)

    monkeypatch.setattr(inputs_module, "check_workbook", flaky)
    put("acta")
    put("ima")
    r = ingest(campaign, tmp_path)
    assert status_of(r, "effectifs_2007_acta.xlsx") == REJECTED
    assert "fichier illisible (MemoryError)" in only_message(r, "effectifs_2007_acta.xlsx")["message"]
    assert r.acceptees == ["ima"]


@pytest.mark.parametrize("typed", [12, "12", " 1 250 "])
def test_a_figure_typed_in_the_comment_cell_says_where_it_belongs(put, campaign, tmp_path, typed):
    """HR typed 0201's headcount in its Commentaire cell: the message names both cells, not only the total gap."""
    def edit(wb, ws):
        ws[cell_of(ws, "0201")] = None
        comment = next(c.column for c in ws[10] if c.value == "Commentaire")
        ws.cell(row_of(ws, "0201"), comment).value = typed
    put("acta", edit)
    m = ingest(campaign, tmp_path).rendered_messages
    line = m[m["code"] == "commentaire.nombre"].iloc[0]
    assert line["gravite"] == "avertissement"
    effectif = cell_of(openpyxl.load_workbook(campaign.inputs_dir(tmp_path) / "effectifs_2007_acta.xlsx")
                       [SHEET_INPUT], "0201")
    assert line["message"].startswith(f"un nombre ({str(typed).strip()}) est saisi dans la colonne Commentaire "
                                      "de la ligne 0201")
    assert f"déplacez-le dans la cellule {effectif}" in line["action"] and line["cellule"] != effectif


def test_a_comment_with_a_number_in_its_words_is_only_a_comment(put, campaign, tmp_path):
    def edit(wb, ws):
        comment = next(c.column for c in ws[10] if c.value == "Commentaire")
        ws.cell(row_of(ws, "0201"), comment).value = "dont 12 en CDD"
    put("acta", edit)
    assert "commentaire.nombre" not in set(ingest(campaign, tmp_path).messages["code"])
