"""Edge cases that random data almost never reaches, each aimed at a bug a refactor could bring.

Mutations these tests kill (each applied by hand and checked to fail, see docs/mutation-testing.md):

- ``schemas.DECLARATIONS`` accepting a declared total within ±1 of the sum of the lines:
  :func:`test_a_declared_total_off_by_one_is_rejected`, :func:`test_any_wrong_declared_total_is_rejected`;
- ``ingest``'s zip compression-ratio limit ten times looser, or removed (every bomb of the fault corpus
  trips the size, member or part limit first): :func:`test_a_big_part_that_compresses_too_well_is_refused`;
- ``consolidate.branch_table`` giving family, group and total rows the number of consolidated companies
  instead of the companies present in them: :func:`test_companies_are_counted_where_they_are`,
  :func:`test_branch_table_matches_an_independent_count_at_every_level`;
- ``suggest.Matcher`` with its margin gate switched off ("Secrétaire": 0901 against NV, margin 0.04):
  :func:`test_an_ambiguous_title_is_flagged`, :func:`test_verdicts_follow_the_score_and_margin_rules`;
- ``history`` ordering submissions by id instead of by arrival:
  :func:`test_an_older_file_checked_later_does_not_supersede_a_newer_one`,
  :func:`test_the_latest_file_wins_whatever_the_order_of_the_runs`.
"""

from __future__ import annotations

import os
import shutil
import zipfile

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.compute.branch import branch_table
from pipeline.compute.evaluation import EMPTY_HISTORY
from pipeline.compute.lexicon import effective
from pipeline.compute.matching import ACTIVITIES, MIN_MARGIN, MIN_PROPOSAL, MIN_SCORE, Matcher
from pipeline.core.form import KEY_NV, KEY_TOTAL, SHEET_INPUT
from pipeline.core.nomenclature import load_nomenclature
from pipeline.core.titles import load_abbreviations, load_control_set, load_evaluation_set, load_starter_lexicon
from pipeline.store import history
from tests.helpers import ACCEPTED, REJECTED, ingest, run_campaign
from tests.conftest import cell_of
from tests.strategies import arrivals, edge_fills, property_settings, total_offsets
from tests.tables import effectifs_frame, independent_cells

TOTAL_MISMATCH = "ne correspond pas à la somme des effectifs saisis"


def _messages(result, fichier):
    return " | ".join(result.messages.loc[result.messages["fichier"] == fichier, "message"])


# --- declared totals ------------------------------------------------------------------------------


def _with_total(put, figures, offset):
    return put("acta", lambda wb, ws: ws.__setitem__(cell_of(ws, KEY_TOTAL), figures["acta"][KEY_TOTAL] + offset))


@pytest.mark.parametrize("offset", [-1, 1])
def test_a_declared_total_off_by_one_is_rejected(put, campaign, tmp_path, figures, offset):
    path = _with_total(put, figures, offset)
    result = ingest(campaign, tmp_path)
    assert result.fichiers.set_index("fichier").loc[path.name, "statut"] == REJECTED
    assert TOTAL_MISMATCH in _messages(result, path.name)
    assert result.declarations.empty


def test_the_exact_declared_total_is_accepted(put, campaign, tmp_path, figures):
    path = _with_total(put, figures, 0)
    result = ingest(campaign, tmp_path)
    assert result.fichiers.set_index("fichier").loc[path.name, "statut"] == ACCEPTED
    assert int(result.declarations["total_declare"].iloc[0]) == figures["acta"][KEY_TOTAL]


@property_settings(10)
@given(offset=total_offsets)
def test_any_wrong_declared_total_is_rejected(tmp_path_factory, campaign, good_returns, figures, offset):
    root = tmp_path_factory.mktemp("total")
    folder = campaign.inputs_dir(root)
    folder.mkdir(parents=True)
    path = folder / good_returns["acta"].name
    shutil.copyfile(good_returns["acta"], path)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_INPUT]
    ws[cell_of(ws, KEY_TOTAL)] = figures["acta"][KEY_TOTAL] + offset
    wb.save(path)
    result = ingest(campaign, root)
    assert result.fichiers["statut"].tolist() == [REJECTED]
    assert TOTAL_MISMATCH in _messages(result, path.name)


# --- the zip compression ratio --------------------------------------------------------------------


def _with_member(good, target, size, compressible):
    """A good return plus a non-XML member (a pasted image, say) of ``size`` bytes."""
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        if compressible:
            dst.writestr("xl/media/image1.png", b"\0" * size)
        else:
            dst.writestr(zipfile.ZipInfo("xl/media/image1.png"), os.urandom(size), zipfile.ZIP_STORED)
    return target


def test_a_big_part_that_compresses_too_well_is_refused(inputs, good_returns, campaign, tmp_path):
    """20 MB that pack to ~20 KB: under the size (50 MB), member and XML-part limits, over the ratio."""
    path = _with_member(good_returns["acta"], inputs / "acta.xlsx", 20 * 1024 * 1024, compressible=True)
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
    total, packed = sum(i.file_size for i in infos), sum(i.compress_size for i in infos)
    assert 10 * 1024 * 1024 < total < 50 * 1024 * 1024 and 200 < total / packed < 2000
    result = ingest(campaign, tmp_path)
    assert result.fichiers["statut"].tolist() == [REJECTED]
    assert "anormalement volumineux" in _messages(result, "acta.xlsx")


def test_a_big_part_that_does_not_compress_is_read(inputs, good_returns, campaign, tmp_path):
    """The same size, incompressible: the ratio rule is what refused the other one, not the size."""
    _with_member(good_returns["acta"], inputs / "acta.xlsx", 20 * 1024 * 1024, compressible=False)
    result = ingest(campaign, tmp_path)
    assert result.fichiers["statut"].tolist() == [ACCEPTED]


# --- companies counted in every row of the branch table --------------------------------------------


def test_companies_are_counted_where_they_are(campaign):
    fills = {"s0": {"0102": 5}, "s1": {"0901": 7}, "s2": {"0102": 2, KEY_NV: 3}}
    table = branch_table(campaign.nomenclature, effectifs_frame(campaign, fills)).wide()
    nb = table.set_index(["niveau", "code"])["nb_societes"]
    assert nb[("famille", "01")] == 2 and nb[("famille", "09")] == 1 and nb[("famille", "05")] == 0
    assert nb[("groupe", "I")] == 2 and nb[("groupe", "II")] == 1
    assert nb[("ventiles", "")] == 3 and nb[("non_ventiles", "NV")] == 1 and nb[("branche", "")] == 3


@property_settings(30)
@given(data=st.data())
def test_branch_table_matches_an_independent_count_at_every_level(campaign, data):
    """Headcount and companies of every row, emplois included, against plain Python; the branch total
    is the sum of everything typed (conservation)."""
    keys = list(campaign.nomenclature.lignes["cle"]) + [KEY_NV]
    fills = data.draw(edge_fills(keys, max_companies=6, max_cells=14))
    branch = branch_table(campaign.nomenclature, effectifs_frame(campaign, fills))
    table, matrix = branch.wide(emplois=True), branch.matrix(emplois=True)
    mine = independent_cells(campaign, fills).set_index(["niveau", "code"])
    got = table.set_index(["niveau", "code"])
    for cell, row in got.iterrows():
        expected = mine.loc[cell] if cell in mine.index else None
        assert (row.effectif, row.nb_societes) == ((expected.effectif, expected.nb) if expected is not None
                                                   else (0, 0)), cell
    for rang in (1, 2):  # the emplois of the split métier are cells of the table too
        cell = ("emploi", f"0101-{rang}")
        expected = (mine.loc[cell, "effectif"], mine.loc[cell, "nb"]) if cell in mine.index else (0, 0)
        assert (got.loc[cell, "effectif"], got.loc[cell, "nb_societes"]) == expected
    assert got.loc[("branche", ""), "effectif"] == sum(sum(v.values()) for v in fills.values())
    assert matrix.sum(axis=1).tolist() == table["effectif"].tolist()


# --- the matcher's verdict ------------------------------------------------------------------------


def _shipped_matcher() -> Matcher:
    nomenclature = load_nomenclature()
    return Matcher(nomenclature, load_abbreviations(), effective(load_starter_lexicon(nomenclature), EMPTY_HISTORY))


def test_an_ambiguous_title_is_flagged():
    p = _shipped_matcher().propose("Auxiliaire de régulation")  # an « autre dénomination » of 0201 and of 0202
    assert p.code == "0201" and p.score >= MIN_SCORE  # strong enough, but 0202 is close behind
    assert not p.confident and not p.strong and p.flag.startswith("hésitation avec 0202")


def test_verdicts_follow_the_score_and_margin_rules():
    """For every evaluation and control title: the verdict recomputed here from the ranked evidence — no
    proposal below MIN_PROPOSAL, weak evidence from the activities alone, a generic word only, a score
    under MIN_SCORE, a lead under MIN_MARGIN over the next métier, or confident."""
    m = _shipped_matcher()
    nomenclature = load_nomenclature()
    titles = [*load_evaluation_set(nomenclature)["intitule"], *load_control_set(nomenclature)["intitule"],
              "Auxiliaire de régulation", "Assistant", "Secrétariat", "Jardinier paysagiste"]
    seen = {"none": 0, "activities": 0, "generic": 0, "weak": 0, "ambiguous": 0, "confident": 0}
    for title in titles:
        ranked, _read = m.evidence(title)
        p = m.propose(title)
        if not ranked or ranked[0].score < MIN_PROPOSAL:
            kind = "none"
        else:
            top = ranked[0]
            runner = next((e.score for e in ranked if e.label.code != top.label.code), 0.0)
            kind = ("activities" if top.label.source == ACTIVITIES else "generic" if not (top.specific or top.covered)
                    else "weak" if top.score < MIN_SCORE else "ambiguous" if top.score - runner < MIN_MARGIN
                    else "confident")
            assert (p.cle, p.code) == (top.label.key, top.label.code), title
        seen[kind] += 1
        assert p.confident == (kind == "confident"), (title, kind, p)
        assert not p.strong or kind == "confident", (title, p)  # never pre-filled unless confident
    assert all(seen.values()), seen  # the titles reach each verdict


# --- files arriving out of order ------------------------------------------------------------------


def _version(good, campaign, folder, i, hours, figures):
    """Version ``i`` of acta's return (0102 raised by 10·i), dated ``hours`` after a fixed moment."""
    path = folder / f"acta_v{i}.xlsx"
    shutil.copyfile(good, path)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_INPUT]
    ws[cell_of(ws, "0102")] = figures["acta"].get("0102", 0) + 10 * i
    ws[cell_of(ws, KEY_TOTAL)] = figures["acta"][KEY_TOTAL] + 10 * i
    wb.save(path)
    moment = 1_700_000_000 + 3600 * hours
    os.utime(path, (moment, moment))
    return path


def _runs(root, campaign, good_returns, figures, order, hours):
    folder = campaign.inputs_dir(root)
    folder.mkdir(parents=True, exist_ok=True)
    for i in order:  # each version alone in the folder, as when the secretary replaces the file
        for old in folder.iterdir():
            old.unlink()
        _version(good_returns["acta"], campaign, folder, i, hours[i], figures)
        run = run_campaign(campaign, root, consolidate_it=True)
    return run


def test_a_correction_seen_later_supersedes_whatever_the_files_dates(tmp_path, campaign, good_returns, figures):
    """v1 (dated later) is checked first, then the secretary replaces it with v0 (dated earlier, as unzip
    or `cp -p` keep a sender's date): v0, the file now in the folder, counts."""
    run = _runs(tmp_path, campaign, good_returns, figures, order=[1, 0], hours=[0, 1])
    assert run.accepted.retenues["fichier"].tolist() == ["acta_v0.xlsx"]
    got = run.consolidation.table.set_index(["niveau", "code"]).loc[("metier", "0102"), "effectif"]
    assert got == figures["acta"].get("0102", 0)
    subs = history.submissions(history.connect(history.default_path(tmp_path)), "2007")
    assert subs["fichier"].tolist() == ["acta_v1.xlsx", "acta_v0.xlsx"]  # in the order they arrived


@property_settings(5)
@given(runs=arrivals(3))
def test_the_file_seen_last_wins_whatever_the_dates(tmp_path_factory, campaign, good_returns, figures, runs):
    order, hours = runs
    run = _runs(tmp_path_factory.mktemp("order"), campaign, good_returns, figures, order, hours)
    last = order[-1]
    assert run.accepted.retenues["fichier"].tolist() == [f"acta_v{last}.xlsx"]
    total = run.consolidation.table.set_index("niveau").loc["branche", "effectif"]
    assert total == figures["acta"][KEY_TOTAL] + 10 * last
