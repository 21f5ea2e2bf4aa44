"""Every kind of faulty or hostile return of the corpus (tests/faults.py): alone beside a good return,
then all together in one batch."""

import datetime as dt
import resource
import tracemalloc

import openpyxl
import pytest

from pipeline.core.campaign import campaign_toml, embedded_campaign_path, load_campaign
from tests.helpers import consolidate
from pipeline.write.consolidation import write_consolidation
from pipeline.write.feedback import Round, write_feedback
from pipeline.demo import sample_figures
from tests.helpers import ACCEPTED, IGNORED, REJECTED, WARNED, ingest
from pipeline.write.control import write_control_report
from pipeline.core.form import SHEET_INPUT
from pipeline.read.folder import display_name
from tests.faults import FAULTS as XLSX_FAULTS
from tests.faults import Ctx, expected_cell
from tests.ods_faults import ODS_FAULTS

FAULTS = XLSX_FAULTS + ODS_FAULTS

N_GOOD = 5


@pytest.fixture(scope="module")
def big_campaign(tmp_path_factory):
    """A campaign with one company per fault, plus a few that send good returns."""
    root = tmp_path_factory.mktemp("big")
    companies = [(f"soc-{i:03d}", f"Société n° {i}") for i in range(1, len(FAULTS) + N_GOOD + 2)]
    text = campaign_toml("test", "Campagne d'essai", dt.date(2026, 7, 1), dt.date(2026, 9, 30),
                         {"nom": "Secrétariat"}, companies)
    (root / "c.toml").write_text(text, encoding="utf-8")
    return root, load_campaign(root / "c.toml", root)


@pytest.fixture(scope="module")
def figures_of():
    demo = list(sample_figures(load_campaign(embedded_campaign_path("2007"))).values())
    return lambda i: demo[i % len(demo)]


def _ctx(campaign, folder, i, figures_of):
    ids = list(campaign.societes["identifiant"])
    return Ctx(campaign, ids[i], folder, figures_of(i), other=ids[-1])


def _check(fault, result, path, ctx):
    name = display_name(path.name) + ("/" if path.is_dir() else "")
    row = result.fichiers.set_index("fichier").loc[name]
    msgs = result.messages[result.messages["fichier"] == name]
    assert row["statut"] == fault.status, msgs.to_string()
    if fault.fragment is None:
        assert msgs.empty, msgs.to_string()
    else:
        matching = msgs[msgs["message"].str.contains(fault.fragment, regex=False)]
        assert not matching.empty, msgs.to_string()
        m = matching.iloc[0]
        gravite = fault.gravite or ("erreur" if fault.status == REJECTED else "avertissement")
        assert m["gravite"] == gravite
        cell = expected_cell(fault, path)
        assert m["cellule"] == cell
        assert m["feuille"] == (fault.sheet if fault.sheet is not None else (SHEET_INPUT if cell else ""))
        if fault.status in (REJECTED, WARNED):
            assert m["action"] and m["attendu"], "every problem says what was expected and what to do"
    if fault.read_as_other:
        assert row["societe"] == ctx.other
    elif fault.status in (ACCEPTED, WARNED):
        assert row["societe"] == ctx.company


def test_the_corpus_has_at_least_50_kinds():
    assert len(FAULTS) >= 50
    assert len({f.name for f in FAULTS}) == len(FAULTS)


def _cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_fault(fault, big_campaign, figures_of, tmp_path):
    _, campaign = big_campaign
    folder = campaign.inputs_dir(tmp_path)
    folder.mkdir(parents=True)
    i = FAULTS.index(fault)
    ctx = _ctx(campaign, folder, i, figures_of)
    path = fault.build(ctx)
    good = _ctx(campaign, folder, len(FAULTS), figures_of).good()  # a good return in the same batch
    bomb = fault.name.startswith(("bombe", "zip à", "feuille XML", "ods bombe", "ods à milliers", "ods répétitions",
                                  "ods milliard"))
    if bomb:
        tracemalloc.start()
    start = _cpu_seconds()
    result = ingest(campaign, tmp_path)
    elapsed = _cpu_seconds() - start  # CPU time, this process and its workers: a busy machine does not count
    if bomb:  # refused fast, without inflating anything
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert elapsed < 2 and peak < 200 * 1024 * 1024, (elapsed, peak)
    _check(fault, result, path, ctx)
    assert result.fichiers.set_index("fichier").loc[good.name, "statut"] == ACCEPTED
    assert len(result.fichiers) == len(list(folder.iterdir()))  # every entry accounted for


def test_all_faults_in_one_batch(big_campaign, figures_of, tmp_path):
    """Faulty, hostile and good returns together: each gets its own verdict, and the branch total is
    the sum of the accepted returns."""
    _, campaign = big_campaign
    folder = campaign.inputs_dir(tmp_path)
    folder.mkdir(parents=True)
    built = []
    for i, fault in enumerate(FAULTS):
        ctx = _ctx(campaign, folder, i, figures_of)
        if fault.read_as_other:
            continue  # it would make a second file for Ctx.other, whose good return is in this batch
        built.append((fault, fault.build(ctx), ctx))
    goods = [_ctx(campaign, folder, len(FAULTS) + k, figures_of) for k in range(N_GOOD + 1)]
    for g in goods:
        g.good()
    result = ingest(campaign, tmp_path)
    for fault, path, ctx in built:
        _check(fault, result, path, ctx)
    assert len(result.fichiers) == len(list(folder.iterdir()))
    accepted = result.fichiers[result.fichiers["statut"].isin([ACCEPTED, WARNED])]
    declared = result.declarations.set_index("fichier")["total_declare"]
    table = consolidate(result).table.set_index("niveau")
    assert int(table.loc["branche", "effectif"]) == sum(int(declared[f]) for f in accepted["fichier"])
    assert set(result.fichiers["statut"]) == {ACCEPTED, WARNED, REJECTED, IGNORED}

    # Whatever HR typed (formula injection included), no workbook we write holds a formula of theirs.
    out = tmp_path / "out"
    written = [write_control_report(result, out / "controle.xlsx"),
               write_consolidation(consolidate(result), out / "consolidation.xlsx"),
               *write_feedback(result, out / "retours", Round(dt.date(2007, 9, 1)))]
    assert len(written) > 20
    for path in written:
        for ws in openpyxl.load_workbook(path).worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if c.data_type == "f":
                        assert c.value.startswith(("=SUM(E", "=E")), (path.name, ws.title, c.coordinate, c.value)
    texts = [c.value for ws in openpyxl.load_workbook(out / "controle.xlsx").worksheets
             for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("=cmd|' /C calc'!A0" in t for t in texts)  # shown as text
