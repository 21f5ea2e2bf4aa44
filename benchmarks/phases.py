"""Where `effectifs consolider` spends its time and memory: each step of the library facade, timed, with the peak
memory of the process tree while it runs.

    python benchmarks/phases.py                      # 1,000 companies
    python benchmarks/phases.py --societes 10000
    python benchmarks/phases.py --relance            # the second run, on the history and checks of a first one

A campaign of N companies is made as bench_campaign.py makes it (5 % of the returns faulty), then `consolider` runs
as a command (a new process, its workers forked as usual): this checkout's sources, compiled, with the interpreter and
dependencies of a user's install (bench_campaign.installed; ``--sur-place``: this interpreter), the facade's steps
wrapped by a timer (:data:`STEPS`): each prints when it starts and ends. Beside it, the tree's PSS is sampled
every 50 ms (reading the memory maps costs CPU: the times here are a little longer than bench_campaign.py's, which
takes them without the sampler). The report lists every step in order: when it started, how long it took, the
tree's peak during it and the main process's memory at its end; what no step covers (the interpreter's start and
exit, loading the campaign, the control report's neighbours) is the difference between the total and the steps.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

# The facade's steps, in the order a run meets them: (module, attribute) — an attribute of the module that
# pipeline.api calls through. A name that no longer exists stops the benchmark (it would measure nothing).
STEPS = [
    ("pipeline.api", "check_folder"),
    ("pipeline.check.inputs", "check_batch"),
    ("pipeline.store.history", "record"),
    ("pipeline.store.history", "retained"),
    ("pipeline.api", "write_control_report"),
    ("pipeline.api", "feedback_started"),
    ("pipeline.store.history", "accepted"),
    ("pipeline.api", "consolidate"),
    ("pipeline.api", "evolutions"),
    ("pipeline.api", "_protected"),
    ("pipeline.api", "write_consolidation"),
    ("pipeline.api", "write_diffusion"),
    ("pipeline.api", "write_opendata"),
    ("pipeline.store.history", "record_consolidation"),
]
MARK = "@@phase"


def _instrumented(root: Path) -> None:
    """Inside the measured process: the steps wrapped, then the command as the installed one runs it."""
    start = time.perf_counter()

    def say(what: str, name: str) -> None:
        print(MARK, f"{time.perf_counter() - start:.4f}", what, name, file=sys.stderr, flush=True)

    import pipeline.cli as cli  # timed: the modules the command loads

    modules = {name: importlib.import_module(name) for name in dict.fromkeys(m for m, _ in STEPS)}
    say("importé", "imports")
    for module_name, name in STEPS:
        original = getattr(modules[module_name], name)
        wrap = _timed_context if name == "feedback_started" else _timed  # a context: until its body starts
        setattr(modules[module_name], name, wrap(original, name, say))
    sys.argv = ["effectifs", "--racine", str(root), "consolider"]
    cli.entry()


def _timed(original, name: str, say):
    def timed(*args, **kwargs):
        say("début", name)
        try:
            return original(*args, **kwargs)
        finally:
            say("fin", name)
    return timed


def _timed_context(original, name: str, say):
    @contextlib.contextmanager
    def timed(*args, **kwargs):
        say("début", name)
        with original(*args, **kwargs) as got:
            say("fin", name)
            yield got
    return timed


def measure(n: int, faulty_share: float, here: bool = False, again: bool = False) -> str:
    # Here, not at the top: the measured process runs this file too, and must load the package itself, timed.
    from bench_campaign import USER, _tree_kb, compiled, installed, make_campaign

    root = Path(tempfile.mkdtemp(prefix=f"phases{n}_"))
    try:
        make_campaign(root, n, faulty_share)
        compiled(REPO)
        # The measured process runs this checkout's sources (first on its path, compiled above) with the interpreter
        # and dependencies a user has (bench_campaign.installed: no test extras), or with this one: the package
        # installed there is not used, so it is not installed again.
        python = sys.executable if here else str(Path(installed(REPO, USER, refresh=False)[0]).parent / "python")
        env = {**os.environ, "EFFECTIFS_CAMPAGNE": "bench"}
        if again:  # a first run, not measured: the second finds its history and its checks kept
            subprocess.run([python, __file__, "--interne", str(root)], env=env, cwd=root, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False)
        samples: list[tuple[float, float, float]] = []  # time, tree PSS, main PSS (MB)
        t0 = time.perf_counter()
        proc = subprocess.Popen([python, __file__, "--interne", str(root)], env=env, cwd=root,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

        def sample() -> None:
            while proc.poll() is None:
                _, tree = _tree_kb(proc.pid)
                main = sum(int(line.split()[1]) for line in _rollup(proc.pid) if line.startswith("Pss:"))
                samples.append((time.perf_counter() - t0, tree / 1024, main / 1024))
                time.sleep(0.05)

        sampler = threading.Thread(target=sample)
        sampler.start()
        err = proc.stderr.read()
        proc.wait()
        total = time.perf_counter() - t0
        sampler.join()
        if proc.returncode not in (0, 1):
            raise RuntimeError(err[-3000:])
        return report(n, _events(err), samples, total, again)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _rollup(pid: int) -> list[str]:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            return fh.readlines()
    except OSError:
        return []


def _events(err: str) -> list[tuple[float, str, str]]:
    out = []
    for line in err.splitlines():
        if line.startswith(MARK):
            _, at, what, name = line.split()
            out.append((float(at), what, name))
    return out


def report(n: int, events: list[tuple[float, str, str]], samples: list[tuple[float, float, float]],
           total: float, again: bool = False) -> str:
    rows, open_ = [], {}
    for at, what, name in events:
        if what == "importé":
            rows.append((0.0, at, name, 0))
        elif what == "début":
            open_[name] = (at, len(open_))
        elif name in open_:
            begun, depth = open_.pop(name)
            rows.append((begun, at, name, depth))
    rows.sort()
    which = " relancé (l'historique et les contrôles du premier passage gardés)" if again else ""
    lines = [f"`consolider`{which}, {n} sociétés : {total:.2f} s en tout "
             "(démarrage de l'interpréteur et sortie compris), "
             f"pic de la mémoire de l'arbre de processus (PSS) {max((s[1] for s in samples), default=0):.0f} Mo.", "",
             "| étape | début | durée | pic de l'arbre (PSS) | processus principal à la fin |", "|---|---|---|---|---|"]
    for begun, ended, name, depth in rows:
        during = [s for s in samples if begun <= s[0] <= ended] or \
            [min(samples, key=lambda s: abs(s[0] - ended))] if samples else []
        peak = max((s[1] for s in during), default=0.0)
        main = during[-1][2] if during else 0.0
        lines.append(f"| {'  ' * depth}{name} | {begun:.2f} s | {ended - begun:.3f} s | {peak:.0f} Mo | {main:.0f} Mo |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--societes", type=int, default=1000)
    parser.add_argument("--fautifs", type=float, default=0.05, help="share of faulty returns")
    parser.add_argument("--sur-place", action="store_true",
                        help="run with this interpreter and its packages rather than this checkout installed as a "
                             "user's (quicker; with the test extras, pandera's first validation imports hypothesis)")
    parser.add_argument("--relance", action="store_true",
                        help="measure a second run of `consolider`, after a first one on the same folder")
    parser.add_argument("--interne", type=Path, help=argparse.SUPPRESS)  # the measured process itself
    args = parser.parse_args()
    if args.interne:
        _instrumented(args.interne)
    else:
        print(measure(args.societes, args.fautifs, args.sur_place, args.relance))


if __name__ == "__main__":
    main()
