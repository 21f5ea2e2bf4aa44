"""Many files: read and written across cores, in order, with progress on a terminal only."""

import datetime as dt
import gc
import os
import subprocess
import sys
import time

import numpy as np
import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.api import Project
from pipeline.cli import main
from pipeline.core.campaign import campaign_toml, load_campaign
from pipeline.core.form import KEY_TOTAL, SHEET_FEEDBACK, SHEET_INPUT
from pipeline.core.parallel import PARALLEL_MIN, _libc_trim, parallel_map, release_memory, started
from pipeline.write.template import write_template


def test_parallel_map_keeps_order_and_reports_progress():
    seen = []
    items = list(range(PARALLEL_MIN + 9))
    squares = parallel_map(lambda x: (x * x, os.getpid()), items, seen.append)
    assert [sq for sq, _ in squares] == [x * x for x in items]
    if (os.cpu_count() or 1) >= 2:  # enough items and cores: the work is done in forked workers
        assert os.getpid() not in {pid for _, pid in squares}
    results = parallel_map(lambda x: x * 3, items, seen.append)
    assert results == [x * 3 for x in items]
    assert len(seen) == 2 * len(items) and set(seen) == {1}


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="workers beside the caller need two cores")
def test_work_started_beside_runs_while_the_caller_goes_on(tmp_path):
    """Each item waits for a mark the caller leaves once it has gone on: with ``beside`` every item sees it (the
    caller went on while the workers ran); without, none does (the work was done before the caller went on)."""
    mark = tmp_path / "caller-went-on"
    deadline = time.monotonic() + 20  # one for all items (the workers share the clock): a failure waits 20 s

    def seen(_):
        while not mark.exists() and time.monotonic() < deadline:
            time.sleep(0.005)
        return mark.exists(), os.getpid()

    with started(seen, range(PARALLEL_MIN), beside=True) as results:
        mark.touch()
        assert [s for s, _ in results()] == [True] * PARALLEL_MIN
        assert os.getpid() not in {pid for _, pid in results()}
    mark.unlink()
    with started(lambda _: mark.exists(), range(PARALLEL_MIN), beside=False) as results:
        mark.touch()
        assert results() == [False] * PARALLEL_MIN



FEW_BESIDE = """
import os, sys, threading
from pipeline.core.parallel import started
if sys.argv[1] == "thread":  # another thread running, as in the web front's server
    threading.Thread(target=threading.Event().wait, daemon=True).start()
with started(lambda _: os.getpid(), range(3), beside=True) as results:
    print("worker" if os.getpid() not in results() else "caller")
"""


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: nothing runs beside the caller")
def test_a_few_items_beside_get_a_worker_unless_other_threads_run():
    """Three return-to-sender workbooks (a campaign of a hundred companies) are written by a worker while the
    command consolidates, not before it (0.14 s of 2.3 s at 100 companies); a process running other threads (the
    web front's server) keeps them in the caller's process below PARALLEL_MIN, as before: a fork there could
    inherit a lock another thread holds. Each case in a fresh interpreter, whose threads are known."""
    def where(case: str) -> str:
        done = subprocess.run([sys.executable, "-c", FEW_BESIDE, case], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert where("alone") == "worker"
    assert where("thread") == "caller"

def test_many_templates_and_returns_without_a_terminal_are_quiet(tmp_path):
    companies = [(f"s{i:03d}", f"Société {i}") for i in range(60)]
    (tmp_path / "campagnes").mkdir()
    (tmp_path / "campagnes" / "big.toml").write_text(
        campaign_toml("big", "Big", dt.date(2026, 7, 1), dt.date(2026, 9, 1), {"nom": "x"}, companies),
        encoding="utf-8")
    result = CliRunner().invoke(main, ["--racine", str(tmp_path), "modeles", "-c", "big", "--forcer"], prog_name="effectifs")
    assert result.exit_code == 0 and "60 modèles nouveaux" in result.output
    assert "Écriture des modèles" not in result.output + result.stderr  # not a terminal: no progress bar
    assert len(list((tmp_path / "templates_xlsx" / "big").glob("*.xlsx"))) == 60


def test_many_returns_to_send_back_each_get_their_own_workbook_and_mail(tmp_path):
    """Above the parallel threshold the return-to-sender workbooks are written by forked workers: each
    company still gets its own workbook, with its own figure and its own problem, and its own e-mail."""
    n, fine = PARALLEL_MIN + 8, 3
    companies = [(f"s{i:03d}", f"Société {i}") for i in range(n + fine)]
    (tmp_path / "campagnes").mkdir()
    (tmp_path / "campagnes" / "big.toml").write_text(
        campaign_toml("big", "Big", dt.date(2026, 7, 1), dt.date(2099, 9, 1), {"nom": "x", "email": "x@snsa.fr"},
                      companies), encoding="utf-8")
    campaign = load_campaign("big", tmp_path)
    inputs = campaign.inputs_dir(tmp_path)
    inputs.mkdir(parents=True)
    for i, soc in enumerate(campaign.societes.itertuples(index=False)):
        # 0102 holds the company's number; the declared total is one too many: these returns are rejected, but the
        # last few
        write_template(campaign, soc.identifiant, inputs / soc.fichier,
                       {"0102": 100 + i, KEY_TOTAL: 101 + i if i < n else 100 + i})
    run = Project(tmp_path).check(campaign)
    assert len(run.returns) == n
    for i, soc in enumerate(campaign.societes.head(n).itertuples(index=False)):
        path = campaign.outputs_dir(tmp_path) / "retours" / f"{soc.identifiant}.xlsx"
        wb = openpyxl.load_workbook(path)
        anomalies = " ".join(str(c.value) for row in wb[SHEET_FEEDBACK].iter_rows() for c in row if c.value)
        assert f"{soc.fichier} — " in anomalies and f"total déclaré ({101 + i})" in anomalies
        figures = [c.value for row in wb[SHEET_INPUT].iter_rows() for c in row]
        assert 100 + i in figures
        assert soc.fichier in path.with_suffix(".txt").read_text(encoding="utf-8")
    # the workbooks above were made from the batch's cells; the run keeps the rest of the checks, not the cells nor
    # the figures (the history holds them: the accepted ones are read back from it), nor any of them behind an
    # empty frame (a slice of the batch's columns would keep them all alive)
    assert run.checked.saisies.empty and run.checked.chiffres.empty and len(run.checked.fichiers) == n + fine
    assert run.accepted.effectifs.groupby("societe")["effectif"].sum().to_dict() == \
        {f"s{i:03d}": 100 + i for i in range(n, n + fine)}
    assert _values_held(run.checked.chiffres) == 0
    assert _values_held(run.checked.saisies) == 0


def _values_held(frame) -> int:
    """How many values the columns of ``frame`` keep alive, the arrays they are views of included."""
    held = 0
    for name in frame.columns:
        values = np.asarray(frame[name].array)
        while isinstance(values.base, np.ndarray):
            values = values.base
        held += values.size
    return held


def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS")) / 1024


@pytest.mark.skipif(_libc_trim() is None or not os.path.exists("/proc/self/status"),
                    reason="glibc's malloc_trim and /proc (Linux)")
def test_release_memory_gives_back_the_freed_heap():
    """Blocks of the size the workers' results leave (above Python's small-object allocator, below glibc's mmap
    threshold), most of them freed among some still alive: glibc keeps the freed pages until told."""
    blocks = [bytes(2000) + bytes([i % 256]) for i in range(100_000)]  # some 200 MB
    kept = blocks[::50]  # one in fifty still alive, scattered through the heap
    del blocks
    before = _rss_mb()
    release_memory()
    assert before - _rss_mb() > 100, (before, _rss_mb())
    assert len(kept) == 2000


def test_workers_leave_what_they_inherit_out_of_their_collections():
    """Each forked worker freezes what it inherited as it starts: its garbage collections never write into
    those pages, which stay shared with the parent."""
    counts = parallel_map(lambda _: gc.get_freeze_count(), range(PARALLEL_MIN + 4))
    if (os.cpu_count() or 1) >= 2:
        assert min(counts) > 10_000  # the modules of pandas, lxml… at least
    assert gc.get_freeze_count() == 0  # this process is left as it was


def test_the_installed_command_settles_once_and_the_library_never_does(tmp_path):
    """`effectifs` (one command, one process) leaves the library's objects out of garbage collections once the
    project is made; the same command run inside another program (here through click's runner) does not."""
    Project(tmp_path).new_campaign("c1")
    script = ("import atexit, gc, pipeline.core.parallel as p; seen = []; settle = p.settle; "
              "p.settle = lambda: (seen.append(1), settle()); "
              "atexit.register(lambda: print('réglé', len(seen), gc.get_freeze_count() > 10_000)); "
              "from pipeline.cli import entry; entry()")
    done = subprocess.run([sys.executable, "-c", script, "--racine", str(tmp_path), "suivi", "-c", "c1"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.stdout.strip().endswith("réglé 1 True"), done.stdout + done.stderr
    result = CliRunner().invoke(main, ["--racine", str(tmp_path), "suivi", "-c", "c1"])
    assert result.exit_code in (0, 1) and gc.get_freeze_count() == 0
