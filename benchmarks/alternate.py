"""`effectifs consolider` of this checkout against an earlier revision, in alternating pairs on the same returns.

    python benchmarks/alternate.py --reference 8fc325a                  # 1,000 companies, 6 pairs
    python benchmarks/alternate.py --reference 8fc325a --societes 100 --paires 10

On this project's 2-core machine the speed of one run varies by up to ×2 from one minute to the next: a single
run of each version (bench_campaign.py --reference) cannot show a change of 10 %. Here each pair runs the reference,
then this checkout, on a fresh copy of the same campaign, with the same interpreter and libraries (the reference's
sources first on the path); the medians, the minimums and the pairs won are printed. The returns are made as
bench_campaign.py makes them (5 % faulty).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from bench_campaign import compiled, make_campaign  # noqa: E402


def sources(rev: str) -> Path:
    """The sources of ``rev`` in a worktree of their own (kept under benchmarks/.reference/)."""
    src = HERE / ".reference" / rev / "src"
    if not src.exists():
        src.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(src), rev], check=True,
                       capture_output=True)
    return src


def once(code: Path, root: Path, work: Path) -> tuple[float, float]:
    """(elapsed, CPU of the command and its workers) of one `consolider` on a fresh copy of the campaign."""
    shutil.rmtree(work, ignore_errors=True)
    (work / "campagnes").mkdir(parents=True)
    shutil.copy(root / "campagnes" / "bench.toml", work / "campagnes" / "bench.toml")
    (work / "inputs").symlink_to(root / "inputs")
    env = {**os.environ, "EFFECTIFS_CAMPAGNE": "bench", "PYTHONPATH": str(code)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "--racine", str(work), "consolider"], cwd=work,
                          env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise RuntimeError(done.stderr.decode()[-2000:])
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", required=True, help="a git revision")
    parser.add_argument("--societes", type=int, default=1000)
    parser.add_argument("--paires", type=int, default=6)
    args = parser.parse_args()
    versions = {args.reference: sources(args.reference), "actuelle": REPO}
    for code in versions.values():
        compiled(code)  # both as installed: neither compiles its sources in every run
    root = Path(tempfile.mkdtemp(prefix="alternate_"))
    make_campaign(root, args.societes, 0.05)
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in versions}
    for _ in range(args.paires):
        for name, code in versions.items():
            runs[name].append(once(code, root, root / name))
    shutil.rmtree(root, ignore_errors=True)
    for name, got in runs.items():
        walls, cpus = [w for w, _ in got], [c for _, c in got]
        print(f"{name}: écoulé médiane {statistics.median(walls):.2f} s, min {min(walls):.2f} s ; "
              f"CPU médiane {statistics.median(cpus):.2f} s  ({', '.join(f'{w:.2f}' for w in walls)})")
    wins = sum(new[0] < old[0] for new, old in zip(runs["actuelle"], runs[args.reference]))
    print(f"actuelle plus rapide dans {wins} paire(s) sur {args.paires} ({args.societes} sociétés)")


if __name__ == "__main__":
    main()
