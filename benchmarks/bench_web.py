"""Benchmark of the web front under load: ``effectifs serve`` on localhost, every company of the demo campaign
uploading 20 times at once (tests/test_web_load.py's run: accepted and rejected files alternating, a new connection
per upload), with one server process and with two, for the code of this tree and, in the same run, another revision.

    python benchmarks/bench_web.py                          # this tree, one round
    python benchmarks/bench_web.py --reference edd6a58 --tours 3

The rounds alternate the versions, so that a busier moment of the machine falls on both. Each run is a process of
its own whose working folder is the version's sources (this checkout, or the revision extracted with
``git archive``): its server and its site are that version's. The figure that moves least with the machine is the
server's CPU time per upload (its processes, measured by the run); the answer times move with everything else the
machine does. The test (tests/test_web_load.py) checks that no submission is lost and answers no time: the times
are measured here, against the reference, not bounded in a test.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

RUN = """
import json, sys, tempfile
from pathlib import Path
from tests.test_web_load import run_load
with tempfile.TemporaryDirectory() as folder:
    print(json.dumps(run_load(Path(folder), int(sys.argv[1]))))
"""


def load(sources: Path, workers: int) -> dict:
    """One run of the load, the code at ``sources`` serving; its figures (tests.test_web_load.run_load)."""
    done = subprocess.run([sys.executable, "-c", RUN, str(workers)], cwd=sources, capture_output=True, text=True,
                          timeout=900)
    if done.returncode != 0:
        raise SystemExit(f"the load run of {sources} failed:\n{done.stderr[-3000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    if figures["problems"]:
        raise SystemExit(f"the load run of {sources} lost or mixed submissions: {figures['problems']}")
    return figures


def extracted(rev: str, folder: Path) -> Path:
    """The sources of ``rev`` (the package and its tests) in ``folder``."""
    archive = subprocess.run(["git", "archive", rev, "pipeline", "tests"], cwd=REPO, capture_output=True,
                             check=True).stdout
    tar = folder / "rev.tar"
    tar.write_bytes(archive)
    with tarfile.open(tar) as t:
        t.extractall(folder, filter="data")
    return folder


def report(runs: dict[tuple[str, int], list[dict]]) -> str:
    lines = ["| version | processus | CPU du serveur par dépôt | médiane | 95e centile | pire | durée totale |",
             "|---|---|---|---|---|---|---|"]
    for (version, workers), figures in runs.items():
        def span(key: str, unit: str = " s", scale: float = 1.0, decimals: int = 2) -> str:
            values = [scale * f[key] / (f["requests"] if key == "server_cpu" else 1) for f in figures]
            low, high = (f"{v:.{decimals}f}".replace(".", ",") for v in (min(values), max(values)))
            return (low if low == high else f"{low} à {high}") + unit
        lines.append(f"| {version} | {workers} | {span('server_cpu', ' ms', 1000, 0)} | {span('median')} | "
                     f"{span('p95')} | {span('max')} | {span('seconds', decimals=1)} |")
    uploads = statistics.mean(f["requests"] for figures in runs.values() for f in figures)
    return "\n".join(lines) + f"\n\n{len(next(iter(runs.values())))} tour(s), {uploads:.0f} dépôts par tour.\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reference", help="a git revision to measure in the same run")
    parser.add_argument("--tours", type=int, default=1, help="rounds (each version, one and two processes)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        versions = [("actuelle", REPO)]
        if args.reference:
            versions.append((args.reference, extracted(args.reference, Path(tmp))))
        runs: dict[tuple[str, int], list[dict]] = {(v, w): [] for v, _ in versions for w in (1, 2)}
        for _ in range(args.tours):
            for version, sources in versions:
                for workers in (1, 2):
                    runs[(version, workers)].append(load(sources, workers))
                    print(version, workers, runs[(version, workers)][-1], file=sys.stderr)
    print(report(runs))


if __name__ == "__main__":
    main()
