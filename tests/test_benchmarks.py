"""The benchmark tools run (a small campaign: structure, not timings — those are in benchmarks/resultats.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.mark.parametrize("again", [[], ["--relance"]])
def test_phases_times_every_step_of_the_facade(again):
    """benchmarks/phases.py on 40 companies (enough for the returns to be read by forked workers): every step of
    its list appears in the table, with a duration, in the order a run meets them. A step renamed in the facade
    stops it rather than leaving it measuring nothing. ``--relance``: the same table, for a second run."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from phases import STEPS
    finally:
        sys.path.remove(str(BENCHMARKS))
    done = subprocess.run([sys.executable, str(BENCHMARKS / "phases.py"), "--societes", "40", "--sur-place", *again],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = [line.split("|")[1].strip() for line in done.stdout.splitlines() if line.startswith("| ")][1:]
    steps = [name for _, name in STEPS if name != "evolutions"]  # no previous campaign here: no evolution
    assert rows == ["imports", *steps], rows
    assert "40 sociétés" in done.stdout and " Mo." in done.stdout
    assert ("relancé" in done.stdout) == bool(again)
    durations = [float(line.split("|")[3].split()[0]) for line in done.stdout.splitlines()
                 if line.startswith("| ") and " s |" in line]
    assert all(d >= 0 for d in durations) and durations[1] > 0  # check_folder read 40 files
