"""Benchmark: a campaign of N companies, run as a user runs it, against baselines in the same run.

    python benchmarks/bench_campaign.py                          # 100 and 1,000 companies
    python benchmarks/bench_campaign.py --societes 100 1000 10000 --sortie benchmarks/resultats.md   # added to it
    python benchmarks/bench_campaign.py --reference 3942b90      # also an earlier version, same files

For each N: a campaign file of N companies on the 39 métiers, then, timed as commands (a new process
each, interpreter start included): ``effectifs modeles`` (the templates), and — after realistic filled
returns are made from those templates, 5 % of them faulty — ``effectifs consolider`` on a fresh
history, then once more on the history of that first run (as the secretary runs it while the returns come in:
nothing new to record; each file's check kept by the first run, beside the history, so that no file is read
again). In the same run, on the same files:

- the naive loop: ``pandas.read_excel(engine="openpyxl")`` over every return, then ``concat``;
- the floor: python-calamine loading each return's values and nothing else;
- with ``--reference REV``: the same commands of that git revision, installed in a virtual
  environment of its own (built once, cached under benchmarks/.reference/).

Also, on the same templates: raw xlsxwriter (in-memory mode, across the same cores) writing the cells of a
template for every company, without formats — the floor of ``modeles``; and the start-up of ``effectifs --version``
and ``effectifs --help`` (best of five).

Peak memory of ``consolider``'s process tree is sampled every 20 ms, in a second run of it on a fresh copy of
the same campaign (the times come from the first: reading the tree's memory maps takes some 10 ms of CPU per sample
on a 300 MB tree, a third of a core that the command's workers would lose), as the proportional set size (PSS: shared pages
split between the processes sharing them — what the tree really holds) and as the sum of the resident sizes (RSS:
the forked workers' shared pages counted once per process, so that two workers forked from a 150 MB process add
some 300 MB that no one allocated). Issue 17's memory target (under 300 MB at 10,000 companies, flat in the number
of companies) is on the tree's PSS; the tables print PSS first. CPU time is the user + system time of the command
and its workers: on a busy machine it moves less than the elapsed time.

The commands timed are this checkout's installed as the README installs it (:func:`installed`: ``pip install .`` in a
virtual environment of its own, benchmarks/.reference/actuelle/, the package installed again at each run): the
bytecode compiled, as Python does on a user's first run — a machine that sets ``PYTHONDONTWRITEBYTECODE`` (this
project's does) otherwise compiles the whole package from source in every command of an editable checkout, some 0.2 s
each — and without the test extras: pandera imports hypothesis at its first validation when it is installed, 0.17 s
of every command that no user pays.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import functools
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from pipeline.core.campaign import campaign_toml, load_campaign  # noqa: E402
from pipeline.core.form import KEY_NV, KEY_TOTAL, SHEET_INPUT  # noqa: E402
from pipeline.core.parallel import parallel_map  # noqa: E402
from pipeline.write.template import write_template  # noqa: E402


def _tree_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in KB of a process and all its descendants (Linux /proc)."""
    rss = pss = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
            with open(f"/proc/{p}/task/{p}/children") as fh:
                stack += [int(c) for c in fh.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return rss, pss


@dataclass
class Timing:
    seconds: float   # elapsed
    cpu: float       # user + system of the command and its workers
    rss_mb: float    # peak of the tree's summed RSS
    pss_mb: float    # peak of the tree's summed PSS
    code: int


def timed(cmd: list[str], env: dict | None = None, sampled: bool = False) -> Timing:
    """Elapsed and CPU time and exit code of a command; with ``sampled``, the peak memory of its process tree too
    (then its times are not the command's alone: see the module's docstring)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak = [0, 0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            rss, pss = _tree_kb(proc.pid)
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    if sampled:
        sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    if sampled:
        sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {err.decode()[-2000:]}")
    return Timing(seconds, cpu, peak[0] / 1024, peak[1] / 1024, proc.returncode)


def _figures(rng: random.Random, keys: list[str]) -> dict[str, object]:
    """A plausible company: a few large métiers, many small or absent ones."""
    size = rng.choice([30, 80, 200, 600, 1500])
    values = {key: max(1, int(rng.expovariate(8 / size))) for key in keys if rng.random() < 0.55}
    values[KEY_NV] = max(1, size // 10)
    values[KEY_TOTAL] = sum(values.values())
    return values


def _fault(rng: random.Random, values: dict[str, object], keys: list[str]) -> dict[str, object]:
    key = rng.choice([k for k in keys if k in values] or keys)
    kind = rng.choice(["negatif", "decimal", "texte", "total"])
    faulty = dict(values)
    if kind == "negatif":
        faulty[key] = -3
    elif kind == "decimal":
        faulty[key] = 2.5
    elif kind == "texte":
        faulty[key] = "une dizaine"
    else:
        faulty[KEY_TOTAL] = int(values[KEY_TOTAL]) + 7
    return faulty


def make_campaign(root: Path, n: int, faulty_share: float, seed: int = 7) -> int:
    """The campaign file and the filled returns of N companies; returns the number of faulty ones."""
    rng = random.Random(seed + n)
    companies = [(f"soc-{i:05d}", f"Société n° {i}") for i in range(1, n + 1)]
    (root / "campagnes").mkdir(parents=True, exist_ok=True)
    (root / "campagnes" / "bench.toml").write_text(
        campaign_toml("bench", f"Campagne de test ({n} sociétés)", dt.date(2026, 7, 1), dt.date(2099, 10, 1),
                      {"nom": "Secrétariat", "email": "secretariat@snsa.fr"}, companies), encoding="utf-8")
    campaign = load_campaign("bench", root)
    keys = list(campaign.nomenclature.lignes["cle"])
    jobs, faulty = [], 0
    for soc in campaign.societes.itertuples(index=False):
        values = _figures(rng, keys)
        if rng.random() < faulty_share:
            values, faulty = _fault(rng, values, keys), faulty + 1
        jobs.append((soc.identifiant, soc.fichier, values))
    inputs = campaign.inputs_dir(root)
    parallel_map(lambda j: write_template(campaign, j[0], inputs / j[1], j[2]), jobs)
    return faulty


def _cpu() -> float:
    """CPU time of this process and of its reaped workers."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def measured(fn, *args) -> tuple[float, float]:
    """(elapsed, CPU) seconds of a call."""
    start, cpu = time.perf_counter(), _cpu()
    fn(*args)
    return time.perf_counter() - start, _cpu() - cpu


def naive_loop(folder: Path) -> None:
    import pandas as pd

    frames = [pd.read_excel(p, sheet_name=SHEET_INPUT, engine="openpyxl") for p in sorted(folder.glob("*.xlsx"))]
    pd.concat(frames, ignore_index=True)


def calamine_floor(folder: Path) -> None:
    from python_calamine import CalamineWorkbook

    for p in sorted(folder.glob("*.xlsx")):
        CalamineWorkbook.from_path(str(p)).get_sheet_by_name(SHEET_INPUT).to_python()


def template_cells(path: Path) -> list[tuple[str, int, int, object]]:
    """Every non-empty cell of a template (sheet, row, col, value or formula), as openpyxl reads it."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    return [(ws.title, c.row - 1, c.column - 1, c.value) for ws in wb.worksheets for row in ws.iter_rows()
            for c in row if c.value is not None]


def raw_xlsxwriter(cells: list[tuple[str, int, int, object]], folder: Path, n: int) -> None:
    """The floor of ``modeles``: xlsxwriter (in-memory mode) writing the same cells for N companies, no
    formats, across the same cores."""
    import xlsxwriter

    folder.mkdir(parents=True, exist_ok=True)
    sheets = list(dict.fromkeys(s for s, _, _, _ in cells))

    def write(i: int) -> None:
        wb = xlsxwriter.Workbook(str(folder / f"{i:05d}.xlsx"), {"in_memory": True, "strings_to_numbers": False,
                                                                 "strings_to_formulas": True, "strings_to_urls": False})
        ws = {name: wb.add_worksheet(name) for name in sheets}
        for sheet, row, col, value in cells:
            ws[sheet].write(row, col, value)
        wb.set_custom_property("societe", f"soc-{i:05d}")
        wb.close()

    parallel_map(write, range(n))


def startup(cmd: list[str], args: list[str]) -> float:
    """Best of five of a short command (interpreter start included)."""
    return min(timed([*cmd, *args]).seconds for _ in range(5))


def installed(src: Path, home: Path, refresh: bool) -> list[str]:
    """The ``effectifs`` command of the sources at ``src`` installed as the README installs it — ``pip install .`` in
    a virtual environment of its own under ``home``, built once: the bytecode compiled, and none of the test extras
    (pandera imports hypothesis at its first validation when it is there, 0.17 s of every command no user pays).
    ``refresh``: the package installed again (its dependencies kept), for sources that change."""
    exe, pip = home / "venv" / "bin" / "effectifs", home / "venv" / "bin" / "pip"
    if not exe.exists():
        home.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(home / "venv")], check=True)
        subprocess.run([str(pip), "install", "-q", str(src)], check=True)
    elif refresh:
        subprocess.run([str(pip), "install", "-q", "--force-reinstall", "--no-deps", str(src)], check=True)
    return [str(exe)]


def reference_command(rev: str) -> list[str]:
    """The ``effectifs`` command of an earlier revision, installed from a worktree of its own."""
    home = HERE / ".reference" / rev
    if not (home / "venv" / "bin" / "effectifs").exists():
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(home / "src"), rev], check=True,
                       capture_output=True)
    return installed(home / "src", home, refresh=False)


def compiled(sources: Path) -> None:
    """The bytecode of the package at ``sources`` written beside it (``__pycache__``), as an installed package has it."""
    compileall.compile_dir(str(sources / "pipeline"), quiet=1)


USER = HERE / ".reference" / "actuelle"  # this checkout installed as a user's


@functools.cache  # installed once per run
def effectifs() -> list[str]:
    """This checkout's ``effectifs`` as a user's: installed (again) in benchmarks/.reference/actuelle/."""
    return installed(REPO, USER, refresh=True)


def run(n: int, faulty_share: float, reference: str | None) -> dict:
    root = Path(tempfile.mkdtemp(prefix=f"bench{n}_"))
    out = {"societes": n, "fautifs": make_campaign(root, n, faulty_share)}
    env = {**os.environ, "EFFECTIFS_CAMPAGNE": "bench"}
    versions = [("actuelle", effectifs())] + ([("reference", reference_command(reference))] if reference else [])
    for name, cmd in versions:
        # Timed as a user runs them — `consolider` twice: the secretary runs it again as returns come in, on a history
        # that holds the first run (nothing changed: no file read again); then `consolider` on a fresh
        # copy, its memory sampled (the report gives the memory of `consolider` only).
        timed_runs = (("modeles", "modeles"), ("consolider", "consolider"), ("consolider_encore", "consolider"))
        for sampled, commands in ((False, timed_runs), (True, (("consolider", "consolider"),))):
            work = root / f"{name}{'_memoire' if sampled else ''}"
            work.mkdir()
            (work / "campagnes").mkdir()
            shutil.copy(root / "campagnes" / "bench.toml", work / "campagnes" / "bench.toml")
            shutil.copytree(root / "inputs", work / "inputs")
            for label, command in commands:
                done = timed([*cmd, "--racine", str(work), command], env, sampled)
                key = f"{name}_{label}"
                out[key] = replace(out[key], rss_mb=done.rss_mb, pss_mb=done.pss_mb) if sampled else done
        if name == "actuelle":
            template = next((root / name / "templates_xlsx" / "bench").glob("*.xlsx"))
            out["brut"] = measured(raw_xlsxwriter, template_cells(template), root / "brut", n)
        out[f"{name}_version_s"] = startup(cmd, ["--version"])
        out[f"{name}_aide_s"] = startup(cmd, ["--help"])
    inputs = root / "inputs" / "bench"
    out["naif"] = measured(naive_loop, inputs)
    out["plancher"] = measured(calamine_floor, inputs)
    shutil.rmtree(root, ignore_errors=True)
    return out


def report(rows: list[dict], reference: str | None) -> str:
    lines = [f"Machine : {platform.machine()}, {os.cpu_count()} cœurs, Python {platform.python_version()}, "
             f"{dt.date.today().isoformat()} ; charge moyenne au départ : {os.getloadavg()[0]:.1f}", ""]
    head = "| sociétés | `consolider` | naïf (read_excel) | plancher (calamine) | naïf / consolider | " \
           "consolider / plancher | `modeles` | xlsxwriter brut | modeles / brut | mémoire PSS / RSS (arbre) |"
    if reference:
        head += f" `consolider` {reference} | `modeles` {reference} | mémoire {reference} PSS / RSS |"
    lines += ["Temps écoulé (temps CPU, processus de travail compris) ; rapports sur le temps écoulé (sur le CPU).", "",
              head, "|" + "---|" * (head.count("|") - 1)]

    def t(x) -> str:
        wall, cpu = (x.seconds, x.cpu) if isinstance(x, Timing) else x
        return f"{wall:.2f} s ({cpu:.1f} s)"

    def ratio(a, b) -> str:
        (wa, ca), (wb, cb) = [(x.seconds, x.cpu) if isinstance(x, Timing) else x for x in (a, b)]
        return f"×{wa / wb:.1f} (×{ca / max(cb, 1e-9):.1f})"

    for r in rows:
        c, m = r["actuelle_consolider"], r["actuelle_modeles"]
        line = (f"| {r['societes']} ({r['fautifs']} fautifs) | {t(c)} | {t(r['naif'])} | {t(r['plancher'])} | "
                f"{ratio(r['naif'], c)} | {ratio(c, r['plancher'])} | {t(m)} | {t(r['brut'])} | {ratio(m, r['brut'])} | "
                f"{c.pss_mb:.0f} / {c.rss_mb:.0f} Mo |")
        if reference:
            rc, rm = r["reference_consolider"], r["reference_modeles"]
            line += f" {t(rc)} | {t(rm)} | {rc.pss_mb:.0f} / {rc.rss_mb:.0f} Mo |"
        lines.append(line)
    lines.append("")
    for r in rows:
        c = r["actuelle_consolider"]
        lines.append(f"`consolider` par société à {r['societes']} : {1000 * c.seconds / r['societes']:.2f} ms "
                     f"({1000 * c.cpu / r['societes']:.2f} ms de CPU).")
    for r in rows:
        again = r["actuelle_consolider_encore"]
        line = (f"`consolider` relancé à {r['societes']} (l'historique tient le premier passage, rien de "
                f"changé) : {t(again)}, ×{again.seconds / r['actuelle_consolider'].seconds:.2f} le premier")
        if before := r.get("reference_consolider_encore"):
            line += f" ; {reference} : {t(before)}, ×{before.seconds / again.seconds:.2f} le temps de celui-ci"
        lines.append(line + ".")
    # Memory as the campaign grows: what each company adds to the peak between two sizes (flat: close to nothing).
    for small, large in zip(rows, rows[1:]):
        added = large["actuelle_consolider"].pss_mb - small["actuelle_consolider"].pss_mb
        per_company = 1024 * added / (large["societes"] - small["societes"])
        lines.append(f"Mémoire (PSS) de `consolider` ajoutée par société de {small['societes']} à "
                     f"{large['societes']} : {per_company:.1f} Ko.")
    last = rows[-1]
    lines.append(f"`effectifs --version` : {last['actuelle_version_s']:.2f} s ; `effectifs --help` : "
                 f"{last['actuelle_aide_s']:.2f} s (meilleur de cinq)"
                 + (f" ; {reference} : {last['reference_version_s']:.2f} s / {last['reference_aide_s']:.2f} s."
                    if reference else "."))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--societes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--fautifs", type=float, default=0.05, help="share of faulty returns")
    parser.add_argument("--reference", help="a git revision to measure in the same run")
    parser.add_argument("--sortie", type=Path, help="also write the results as Markdown")
    args = parser.parse_args()
    rows = [run(n, args.fautifs, args.reference) for n in args.societes]
    text = report(rows, args.reference)
    print(text)
    if args.sortie:  # added after the runs already there: the file keeps every run
        command = " ".join(["python", "benchmarks/bench_campaign.py", *sys.argv[1:]])
        before = args.sortie.read_text(encoding="utf-8") if args.sortie.exists() else \
            "# Résultats du banc d'essai\n"
        args.sortie.write_text(f"{before.rstrip()}\n\n## Passage du {dt.date.today().isoformat()}\n\n"
                               f"Commande : `{command}`.\n\n{text}\n", encoding="utf-8")


if __name__ == "__main__":
    main()
