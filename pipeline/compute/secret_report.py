"""What the internal report says about each masked cell of the main table (headcount, all categories): its
interval for the outsider and for the strongest insider, what it had to be, and — for a secondary cell —
which primary cells it protects."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..core.vocab import EFFECTIF, TOUT
from .secret_lp import OUTSIDER, TOLERANCE, Auditor, Requirement, System
from .secret_tables import CURRENT, KEY

COLUMNS = [*KEY, "bas", "haut", "requis", "initie", "bas_initie", "haut_initie", "requis_initie", "protege"]


def _moved(auditor: Auditor, cell: int) -> set[int]:
    """Cells that move in the extreme solutions found for ``cell`` (by any attacker)."""
    out: set[int] = set()
    for (attacker, c, sense), (_, x) in list(auditor.solutions.items()):
        if c == cell and x is not None:
            out |= {int(auditor.columns[j]) for j in np.flatnonzero(np.abs(x - auditor.truth) > TOLERANCE)}
    return out


def describe(system: System, auditor: Auditor, keys: list[tuple], reasons: Mapping[tuple, str],
             requirements: list[Requirement], primary_reasons: tuple[str, ...]) -> pd.DataFrame:
    """One row per masked cell of the current table: KEY and the report's columns (intervals are ``inf``
    when unbounded)."""
    need: dict[tuple[int, str], int] = {}
    for r in requirements:
        need[(r.cell, r.attacker)] = max(r.up, need.get((r.cell, r.attacker), 0))
    primaries = sorted({r.cell for r in requirements if keys[r.cell][3:] == (EFFECTIF, TOUT)})
    protects: dict[int, list[int]] = {}
    for p in primaries:
        auditor.interval(OUTSIDER, p)
        for cell in _moved(auditor, p) - {p}:
            protects.setdefault(cell, []).append(p)
    rows = []
    for cell in auditor.columns:
        cell = int(cell)
        key = keys[cell]
        if key[0] != CURRENT or key not in reasons or key[3:] != (EFFECTIF, TOUT):
            continue  # the report covers the main table
        lo, hi = auditor.interval(OUTSIDER, cell)
        value = system.value[cell]
        insiders = [u for u in system.units if system.own[u][cell] < value - TOLERANCE]
        if cell in primaries:
            insiders = [u for u in insiders if (cell, u) in need] or insiders
        unit, ilo, ihi = auditor.strongest(cell, insiders) if insiders else (OUTSIDER, lo, hi)
        rows.append((*key, lo, _inf(system, hi), need.get((cell, OUTSIDER), 0), unit, ilo, _inf(system, ihi),
                     need.get((cell, unit), 0) if unit else 0,
                     ", ".join(keys[p][2] or keys[p][1] for p in protects.get(cell, []))
                     if reasons[key] not in primary_reasons else ""))
    numbers = ["bas", "haut", "requis", "bas_initie", "haut_initie", "requis_initie"]
    return pd.DataFrame(rows, columns=COLUMNS).astype({c: float for c in numbers})


def _inf(system: System, bound: float) -> float:
    return float("inf") if bound >= system.cap - 1.0 else float(bound)

