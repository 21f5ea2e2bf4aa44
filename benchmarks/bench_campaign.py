"""Benchmark: a campaign of N companies, run as a user runs it, against baselines in the same run.

    python benchmarks/bench_campaign.py                          # 100 and 1,000 companies
    python benchmarks/bench_campaign.py --societes 100 1000 10000 --sortie benchmarks/resultats.md
    python benchmarks/bench_campaign.py --reference 3942b90      # also an earlier version, same files

For each N: a campaign file of N companies on the 39 métiers, then, timed as commands (a new process
each, interpreter start included): ``effectifs modeles`` (the templates), and — after realistic filled
returns are made from those templates, 5 % of them faulty — ``effectifs consolider`` on a fresh
history. In the same run, on the same files:

- the naive loop: ``pandas.read_excel(engine="openpyxl")`` over every return, then ``concat``;
- the floor: python-calamine loading each return's values and nothing else;
- with ``--reference REV``: the same commands of that git revision, installed in a virtual
  environment of its own (built once, cached under benchmarks/.reference/).

Peak memory is the largest resident size of the command's process tree (sampled every 20 ms).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from pipeline.core.campaign import campaign_toml, load_campaign  # noqa: E402
from pipeline.core.form import KEY_NV, KEY_TOTAL, SHEET_INPUT  # noqa: E402
from pipeline.core.parallel import parallel_map  # noqa: E402
from pipeline.write.template import write_template  # noqa: E402


def _tree_rss_kb(pid: int) -> int:
    """Resident size of a process and all its descendants (Linux /proc)."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            with open(f"/proc/{p}/task/{p}/children") as fh:
                stack += [int(c) for c in fh.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, float, int]:
    """(seconds, peak MB of the process tree, exit code) of a command."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {err.decode()[-2000:]}")
    return seconds, peak / 1024, proc.returncode


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
                      {"nom": "Secrétariat", "email": "secretariat@example.org"}, companies), encoding="utf-8")
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


def naive_loop(folder: Path) -> float:
    import pandas as pd

    start = time.perf_counter()
    frames = [pd.read_excel(p, sheet_name=SHEET_INPUT, engine="openpyxl") for p in sorted(folder.glob("*.xlsx"))]
    pd.concat(frames, ignore_index=True)
    return time.perf_counter() - start


def calamine_floor(folder: Path) -> float:
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    for p in sorted(folder.glob("*.xlsx")):
        CalamineWorkbook.from_path(str(p)).get_sheet_by_name(SHEET_INPUT).to_python()
    return time.perf_counter() - start


def reference_command(rev: str) -> list[str]:
    """The ``effectifs`` command of an earlier revision, in a virtual environment of its own."""
    home = HERE / ".reference" / rev
    exe = home / "venv" / "bin" / "effectifs"
    if not exe.exists():
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(home / "src"), rev], check=True,
                       capture_output=True)
        subprocess.run([sys.executable, "-m", "venv", str(home / "venv")], check=True)
        subprocess.run([str(home / "venv" / "bin" / "pip"), "install", "-q", str(home / "src")], check=True)
    return [str(exe)]


def effectifs() -> list[str]:
    exe = Path(sys.executable).parent / "effectifs"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "pipeline.cli"]


def run(n: int, faulty_share: float, reference: str | None) -> dict:
    root = Path(tempfile.mkdtemp(prefix=f"bench{n}_"))
    out = {"societes": n, "fautifs": make_campaign(root, n, faulty_share)}
    env = {**os.environ, "EFFECTIFS_CAMPAGNE": "bench"}
    versions = [("actuelle", effectifs())] + ([("reference", reference_command(reference))] if reference else [])
    for name, cmd in versions:
        work = root / name
        work.mkdir()
        (work / "campagnes").mkdir()
        shutil.copy(root / "campagnes" / "bench.toml", work / "campagnes" / "bench.toml")
        shutil.copytree(root / "inputs", work / "inputs")
        out[f"{name}_modeles_s"], _, _ = timed([*cmd, "--racine", str(work), "modeles"], env)
        out[f"{name}_consolider_s"], out[f"{name}_memoire_mo"], _ = timed([*cmd, "--racine", str(work), "consolider"],
                                                                          env)
    inputs = root / "inputs" / "bench"
    out["naif_s"] = naive_loop(inputs)
    out["plancher_s"] = calamine_floor(inputs)
    out["version_s"], _, _ = timed([*effectifs(), "--version"])
    shutil.rmtree(root, ignore_errors=True)
    return out


def report(rows: list[dict], reference: str | None) -> str:
    lines = [f"Machine : {platform.machine()}, {os.cpu_count()} cœurs, Python {platform.python_version()}, "
             f"{dt.date.today().isoformat()}", ""]
    head = "| sociétés | `consolider` | naïf (read_excel) | plancher (calamine) | consolider / naïf | " \
           "consolider / plancher | `modeles` | mémoire (arbre) |"
    if reference:
        head += f" `consolider` {reference} | `modeles` {reference} | mémoire {reference} |"
    lines += [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        line = (f"| {r['societes']} ({r['fautifs']} fautifs) | {r['actuelle_consolider_s']:.2f} s | {r['naif_s']:.2f} s | "
                f"{r['plancher_s']:.2f} s | ×{r['naif_s'] / r['actuelle_consolider_s']:.2f} plus rapide | "
                f"×{r['actuelle_consolider_s'] / r['plancher_s']:.1f} | {r['actuelle_modeles_s']:.2f} s | "
                f"{r['actuelle_memoire_mo']:.0f} Mo |")
        if reference:
            line += (f" {r['reference_consolider_s']:.2f} s | {r['reference_modeles_s']:.2f} s | "
                     f"{r['reference_memoire_mo']:.0f} Mo |")
        lines.append(line)
    lines.append("")
    for r in rows:
        lines.append(f"Temps de `consolider` par société à {r['societes']} : "
                     f"{1000 * r['actuelle_consolider_s'] / r['societes']:.2f} ms.")
    lines.append(f"`effectifs --version` : {rows[-1]['version_s']:.2f} s.")
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
    if args.sortie:
        args.sortie.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
