"""The checks kept from one run to the next (pipeline.store.checks): a file already checked is not read again,
and what a run finds is exactly what reading every file would have found."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import zlib
from pathlib import Path

import pandas as pd
import pytest

from pipeline.api import Project, _private
from pipeline.check.frozen import freeze, thaw
from pipeline.check.inputs import check_file, check_folder
from pipeline.check.workbook import FileCheck
from pipeline.core.campaign import embedded_campaign_path, load_campaign
from pipeline.core.form import KEY_TOTAL
from pipeline.core.vocab import Status
from pipeline.read.folder import entries
from pipeline.store.checks import NAME, CheckCache
from tests.conftest import cell_of, row_of

FRAMES = ("fichiers", "messages", "chiffres", "saisies", "commentaires", "declarations")


def _same_checks(first, second) -> None:
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(first, name), getattr(second, name), obj=name)
    # Python finds 12 == 12.0: the values' types compared too (an integer read back as a float is a change).
    for column in ("brut", "nombre"):
        assert [type(v) for v in first.saisies[column]] == [type(v) for v in second.saisies[column]]
    assert first.hashes == second.hashes and first.en_attente == second.en_attente


def _kept(path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT COUNT(*) FROM checks").fetchone()[0]


@pytest.fixture
def batch(put, inputs, figures):
    """A folder of every kind of entry: good returns, a warning (a number typed as text), a rejected return
    (an added row with a comment beside it), a duplicate pair, a file that is not a workbook, a broken one."""
    put("acta")
    f = figures["axa-assistance"]

    def as_text(wb, ws):
        ws[cell_of(ws, "0201")] = " 12 "
        ws[cell_of(ws, KEY_TOTAL)] = f[KEY_TOTAL] + 12 - f.get("0201", 0)

    def added_row(wb, ws):
        r = row_of(ws, "0903")
        ws.insert_rows(r + 1, 1)
        ws.cell(r + 1, 2).value = "Chargée de paie intérimaire"
        ws.cell(r + 1, 5).value = 4
        ws.cell(r + 1, 6).value = "voir avec la DRH"

    put("axa-assistance", as_text)
    put("ima", added_row)
    put("fidelia")
    put("fidelia", lambda wb, ws: None, name="fidelia (copie).xlsx")  # saved again: other bytes
    (inputs / "lisez-moi.txt").write_text("à lire", encoding="utf-8")
    (inputs / "archives").mkdir()
    (inputs / "abimé.xlsx").write_bytes(b"PK\x03\x04" + bytes(200))
    return inputs


def test_a_second_run_reads_nothing_again_and_finds_the_same(batch, campaign, tmp_path):
    path = tmp_path / NAME
    first_cache = CheckCache(path, campaign)
    first = check_folder(campaign, batch, known=first_cache)
    assert first_cache.hits == 0
    assert set(first.fichiers["statut"]) == set(map(str, Status)), first.fichiers
    cache = CheckCache(path, campaign)
    second = check_folder(campaign, batch, known=cache)
    assert cache.hits == 6  # every workbook entry (the text file and the folder decided by their names)
    _same_checks(first, second)
    _same_checks(first, check_folder(campaign, batch))  # and what no cache at all finds


def test_a_changed_file_or_campaign_is_read_again(batch, put, tmp_path):
    toml = tmp_path / "campagne.toml"
    shutil.copyfile(embedded_campaign_path("2007"), toml)
    campaign = load_campaign(toml)
    path = tmp_path / NAME
    check_folder(campaign, batch, known=CheckCache(path, campaign))
    put("acta", lambda wb, ws: ws.__setitem__(cell_of(ws, "0201"), 7))  # new bytes, same name
    cache = CheckCache(path, campaign)
    check_folder(campaign, batch, known=cache)
    assert cache.hits == 5

    toml.write_text(toml.read_text(encoding="utf-8") + "\n# relu\n", encoding="utf-8")  # the same campaign
    cache = CheckCache(path, load_campaign(toml))
    check_folder(campaign, batch, known=cache)
    assert cache.hits == 6

    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('libelle = "', 'libelle = "Relu : ', 1), encoding="utf-8")
    edited = load_campaign(toml)
    assert edited.libelle != campaign.libelle
    cache = CheckCache(path, edited)
    _same_checks(check_folder(campaign, batch), check_folder(edited, batch, known=cache))
    assert cache.hits == 0
    assert _kept(path) == 6  # the checks made for the earlier campaign file let go


def test_an_xls_file_is_always_read_again(batch, campaign, tmp_path):
    """An .xls file is read by a child process bounded in time and memory: a busy machine may stop it, and that
    verdict is not the file's to keep."""
    (batch / "ancien.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))  # an OLE header, no sheet
    path = tmp_path / NAME
    first = check_folder(campaign, batch, known=CheckCache(path, campaign))
    assert "fichier.xls_illisible" in set(first.messages["code"])
    cache = CheckCache(path, campaign)
    _same_checks(first, check_folder(campaign, batch, known=cache))
    assert cache.hits == 6 and _kept(path) == 6


def test_names_that_read_the_same_stay_apart(campaign, good_returns, tmp_path):
    """« abimé.xlsx » in UTF-8 and in Windows-1252 (a zip made on Windows), and two bytes Windows-1252 leaves
    undefined, read the same once decoded: each entry keeps a name of its own, with or without the cache (two good
    returns under such names stopped the batch's checks)."""
    folder = tmp_path / "retours"
    folder.mkdir()
    for raw, data in (("abimé.xlsx".encode(), good_returns["acta"].read_bytes()),
                      (b"abim\xe9.xlsx", good_returns["ima"].read_bytes()),
                      (b"r\x81.xlsx", b"pas un classeur"), (b"r\x8d.xlsx", b"pas un classeur")):
        Path(os.fsdecode(os.fsencode(folder) + b"/" + raw)).write_bytes(data)
    path = tmp_path / NAME
    expected = check_folder(campaign, folder)
    assert sorted(expected.fichiers["fichier"]) == ["abim\\xe9.xlsx", "abimé.xlsx", "r\\x81.xlsx", "r\\x8d.xlsx"]
    assert sorted(expected.acceptees) == ["acta", "ima"]
    for _ in range(3):
        _same_checks(expected, check_folder(campaign, folder, known=CheckCache(path, campaign)))


def test_the_campaign_is_the_one_the_run_loaded_not_its_file(batch, tmp_path):
    """The campaign file fixed while a run waits for another's lock: what that run found (with the campaign it had
    loaded) is not kept for the campaign the file now says."""
    toml = tmp_path / "campagne.toml"
    full = embedded_campaign_path("2007").read_text(encoding="utf-8")
    start = full.index('[[societes]]\nidentifiant = "ima"')
    toml.write_text(full[:start] + full[full.index("[[societes]]", start + 1):], encoding="utf-8")
    without_ima = load_campaign(toml)
    toml.write_text(full, encoding="utf-8")
    path = tmp_path / NAME
    assert "identite.societe" in set(check_folder(without_ima, batch, known=CheckCache(path, without_ima))
                                     .messages["code"])
    campaign = load_campaign(toml)
    cache = CheckCache(path, campaign)
    _same_checks(check_folder(campaign, batch), check_folder(campaign, batch, known=cache))
    assert cache.hits == 0


def test_a_cache_of_another_version_is_left_alone_and_other_tools_checks_let_go(batch, campaign, tmp_path):
    path = tmp_path / NAME
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE checks_v2 (key, data)")
        conn.execute("PRAGMA user_version = 2")
    expected = check_folder(campaign, batch)
    _same_checks(expected, check_folder(campaign, batch, known=CheckCache(path, campaign)))
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("checks_v2",)]
    path.unlink()
    check_folder(campaign, batch, known=CheckCache(path, campaign))
    with sqlite3.connect(path) as conn:  # a check of another campaign, made by an earlier version of the tool
        conn.execute("INSERT INTO checks SELECT 'autre', '2006', 'outil d''avant', context, data FROM checks LIMIT 1")
    check_folder(campaign, batch, known=CheckCache(path, campaign))
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT DISTINCT campaign FROM checks").fetchall() == [("2007",)]


def test_files_gone_from_the_folder_are_forgotten(batch, campaign, tmp_path):
    path = tmp_path / NAME
    check_folder(campaign, batch, known=CheckCache(path, campaign))
    assert _kept(path) == 6
    (batch / "abimé.xlsx").unlink()
    (batch / "fidelia (copie).xlsx").unlink()
    check_folder(campaign, batch, known=CheckCache(path, campaign))
    assert _kept(path) == 4


def test_a_damaged_cache_is_replaced_and_never_stops_a_run(batch, campaign, tmp_path):
    expected = check_folder(campaign, batch)
    path = tmp_path / NAME
    path.write_bytes(b"ceci n'est pas une base SQLite" * 100)
    _same_checks(expected, check_folder(campaign, batch, known=CheckCache(path, campaign)))
    cache = CheckCache(path, campaign)
    _same_checks(expected, check_folder(campaign, batch, known=cache))
    assert cache.hits == 6

    # A kept check whose bytes were damaged: that file is read again, the others thawed.
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE checks SET data = ? WHERE rowid = (SELECT MIN(rowid) FROM checks)", (b"\x00" * 40,))
    _same_checks(expected, check_folder(campaign, batch, known=CheckCache(path, campaign)))

    # A table of checks of another shape (under the schema version of this one): replaced, as a damaged file.
    path.unlink()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE checks (key, data)")
        conn.execute("PRAGMA user_version = 1")
    check_folder(campaign, batch, known=CheckCache(path, campaign))
    cache = CheckCache(path, campaign)
    _same_checks(expected, check_folder(campaign, batch, known=cache))
    assert cache.hits == 6

    folder = tmp_path / "un dossier"
    folder.mkdir()
    _same_checks(expected, check_folder(campaign, batch, known=CheckCache(folder, campaign)))


def test_the_facade_uses_the_cache_beside_the_history(batch, campaign, tmp_path):
    project = Project(tmp_path)
    project.check(campaign)
    acta = campaign.societes.set_index("identifiant").loc["acta", "fichier"]
    path = project.db.with_name(NAME)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # the companies' figures: the owner's only
    # A kept check altered by hand: the next run says what it says, proof that the file was not read again.
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT key, data FROM checks").fetchall()
        for key, data in rows:
            check = thaw(data)
            if check.fichier == acta:
                check.add("avertissement", "fichier.liaisons")
                conn.execute("UPDATE checks SET data = ? WHERE key = ?", (freeze(check), key))
    run = project.check(campaign)
    messages = run.checked.messages
    assert list(messages.loc[messages["fichier"] == acta, "code"]) == ["fichier.liaisons"]
    path.unlink()
    run = project.check(campaign)
    assert "fichier.liaisons" not in set(run.checked.messages["code"])


def _exact(a: object, b: object) -> bool:
    """Equal and of the same types all the way down (``1 == 1.0 == True`` for Python, not here)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(map(_exact, a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(_exact(a[k], b[k]) for k in a)
    if hasattr(a, "__dataclass_fields__"):
        return all(_exact(getattr(a, f), getattr(b, f)) for f in a.__dataclass_fields__)
    return a == b or (a != a and b != b)  # NaN


def test_every_kind_of_check_thaws_identical(batch, campaign):
    frozen = 0
    for entry in entries(batch):
        if entry.kind == "file" and entry.suffix == ".xlsx":
            check = check_file(entry, campaign)
            if (data := freeze(check)) is not None:
                frozen += 1
                assert _exact(thaw(data), check), entry.name
    assert frozen == 6


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="a file that refuses chmod even to root")
def test_an_output_the_run_cannot_make_private_does_not_stop_it(tmp_path):
    """The cache or the history left by a run under sudo: another user's file refuses chmod, and the run, which had
    written everything, ended on « Erreur interne inattendue (PermissionError …) ». The kernel's /proc files refuse
    chmod even to root, as another user's file refuses it to the secretary."""
    mine = tmp_path / "controle.xlsx"
    mine.write_bytes(b"")
    mine.chmod(0o644)
    _private(Path("/proc/self/status"), mine)
    assert stat.S_IMODE(mine.stat().st_mode) == 0o600  # the others still made private


def test_only_checks_that_come_back_identical_are_frozen():
    check = FileCheck("a.xlsx", "ab" * 32, "acta", "Saisie", cells=[("E12", "0101", "effectif", "", 3, 3)])
    check.add("erreur", "valeur.decimale", valeur=2.5, cellules=["E12", "E13"])
    assert _exact(thaw(freeze(check)), check)
    assert not _exact(thaw(freeze(check)), FileCheck("a.xlsx", "ab" * 32, "acta", "Saisie",
                                                     cells=[("E12", "0101", "effectif", "", 3.0, 3)]))
    floats = FileCheck("a.xlsx", cells=[("E12", "0101", "effectif", "", 3.0, float("nan")),
                                        ("E13", "", "", "", "", None)])
    assert _exact(thaw(freeze(floats)), floats)
    assert freeze(FileCheck("a.xlsx", cells=[["E12", "0101", "effectif", "", 3, 3]])) is None  # a list, not a tuple
    tupled = FileCheck("a.xlsx")
    tupled.add("erreur", "x", cellules=("E12", "E13"))
    assert freeze(tupled) is None
    dated = FileCheck("a.xlsx")
    dated.add("erreur", "x", le=pd.Timestamp("2026-01-01").date())
    assert freeze(dated) is None
    assert freeze(FileCheck("a.xlsx", cells=[("E12", "0101", "effectif", "", "\ud800", None)])) is None
    plain = json.loads(zlib.decompress(freeze(check)))
    shapes = [plain[:8] + [[["x"]]], plain[:4] + ["rejeté"] + plain[5:], plain[:6] + [[["grave", *plain[6][0][1:]]]]
              + plain[7:], plain[:7] + [[["E12"]]] + plain[8:], "[" * 100_000]
    for damaged in (b"", b"\x00" * 40, zlib.compress(b"[1, 2]"), zlib.compress(b" " * (17 * 1024 * 1024)),
                    *(zlib.compress(json.dumps(shape).encode()) for shape in shapes)):
        with pytest.raises((ValueError, TypeError, zlib.error, RecursionError)):
            thaw(damaged)
