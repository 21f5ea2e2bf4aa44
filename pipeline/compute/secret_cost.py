"""Secondary suppression at least cost: which further cells to mask so that every requirement holds.

The model is the classical one of Fischetti and Salazar, as τ-Argus's optimal method and sdcTable use it:
one binary y per cell that may be masked, and, for every requirement "attacker A must find cell k feasible
at its value + R" (or − R), a deviation vector d of the whole system such that the true table + d is still
feasible for A: relations hold (M d = 0), published cells do not move (d = 0 where y = 0), masked cells stay
above what A knows (d ≥ own − value). Such a d exists exactly when A's interval reaches value ± R, so the
mixed-integer programme (scipy's milp, HiGHS) that minimises the cost of the masked cells under all of them
is the cheapest pattern meeting every requirement.

Writing every attacker's every requirement at once would be large; they are added as they are needed (row
generation): solve with the outsider's requirements, audit the pattern against all of them with
:class:`~pipeline.compute.secret_lp.Auditor`, add those it fails, solve again. The loop ends when the audit
passes — the audit is the guarantee, whatever the solver did.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from .secret_lp import OUTSIDER, Auditor, Requirement, System

MAX_ROUNDS = 40
TIME_LIMIT = 30.0  # seconds for one solve; a feasible pattern found by then is audited like any other


def cell_costs(system: System, mode: str) -> np.ndarray:
    """What masking each cell costs: its people (``effectif``) or one per cell (``cellules``), with a small
    tie-break on the other."""
    value = np.abs(system.value)
    if mode == "cellules":
        return 1.0 + value / (2.0 * (value.sum() + 1.0))
    return value + 0.01


def _model(system: System, must: np.ndarray, free: np.ndarray, cost: np.ndarray,
           active: list[tuple[Requirement, int]]):
    """The mixed-integer programme of the active requirements: variables y (free cells) then one d per
    requirement over the movable cells (masked already or free)."""
    movable = np.flatnonzero(must | free)
    free_cells = np.flatnonzero(free)
    n_y, n_d = len(free_cells), len(movable)
    y_of = {int(c): j for j, c in enumerate(free_cells)}
    matrix = system.relations[:, movable]
    keep = np.flatnonzero(matrix.getnnz(axis=1))
    matrix = matrix[keep]
    blocks, lows, highs = [], [], []
    lower_bounds = [np.zeros(n_y)]
    upper_bounds = [np.ones(n_y)]
    n_vars = n_y + n_d * len(active)
    for t, (req, sense) in enumerate(active):
        start = n_y + t * n_d
        down_room = system.value[movable] - system.lower(req.attacker)[movable]
        lo = -down_room.copy()
        hi = np.full(n_d, system.cap)
        j = int(np.flatnonzero(movable == req.cell)[0])
        if sense > 0:
            lo[j] = max(lo[j], req.up)
        else:
            hi[j] = min(hi[j], -req.down)
        lower_bounds.append(lo)
        upper_bounds.append(hi)
        if matrix.shape[0]:
            blocks.append(sparse.hstack([sparse.csr_matrix((matrix.shape[0], start)), matrix,
                                         sparse.csr_matrix((matrix.shape[0], n_vars - start - n_d))]))
            lows.append(np.zeros(matrix.shape[0]))
            highs.append(np.zeros(matrix.shape[0]))
        rows, cols, data = [], [], []
        links = [(i, int(c)) for i, c in enumerate(movable) if int(c) in y_of]
        for r, (i, c) in enumerate(links):  # d_i ≤ cap · y_i and −d_i ≤ room_i · y_i
            rows += [2 * r, 2 * r, 2 * r + 1, 2 * r + 1]
            cols += [start + i, y_of[c], start + i, y_of[c]]
            data += [1.0, -system.cap, -1.0, -max(down_room[i], 0.0)]
        if links:
            blocks.append(sparse.csr_matrix((data, (rows, cols)), shape=(2 * len(links), n_vars)))
            lows.append(np.full(2 * len(links), -np.inf))
            highs.append(np.zeros(2 * len(links)))
    objective = np.concatenate([cost[free_cells], np.zeros(n_vars - n_y)])
    integrality = np.concatenate([np.ones(n_y), np.zeros(n_vars - n_y)])
    constraints = [LinearConstraint(sparse.vstack(blocks).tocsr(), np.concatenate(lows), np.concatenate(highs))] \
        if blocks else []
    bounds = Bounds(np.concatenate(lower_bounds), np.concatenate(upper_bounds))
    return objective, integrality, constraints, bounds, free_cells


def _solve(system, must, free, cost, active) -> np.ndarray | None:
    objective, integrality, constraints, bounds, free_cells = _model(system, must, free, cost, active)
    res = milp(objective, integrality=integrality, constraints=constraints, bounds=bounds,
               options={"time_limit": TIME_LIMIT, "mip_rel_gap": 1e-6})
    if res.x is None:
        return None
    masked = must.copy()
    masked[free_cells[np.round(res.x[:len(free_cells)]) > 0.5]] = True
    return masked


def choose(system: System, must: np.ndarray, free: np.ndarray, requirements: list[Requirement],
           mode: str = "effectif") -> np.ndarray:
    """The cheapest pattern: ``must`` (primary cells, cells already masked) plus free cells, meeting every
    requirement. Raises RuntimeError when even masking every free cell cannot."""
    cost = cell_costs(system, mode)
    active = [(r, s) for r in requirements if r.attacker == OUTSIDER for s, d in ((1, r.up), (-1, r.down)) if d > 0]
    seen = set((id(r), s) for r, s in active)
    masked = must.copy()
    for _ in range(MAX_ROUNDS):
        masked = _solve(system, must, free, cost, active) if active else must.copy()
        if masked is None:
            break
        failed = Auditor(system, masked).violations(requirements)
        if not failed:
            return masked
        fresh = [(r, s) for r, s in failed if (id(r), s) not in seen]
        if not fresh:
            break  # the solver stopped short of what it was asked: fall back on masking every free cell
        seen.update((id(r), s) for r, s in fresh)
        active += fresh
    everything = must | free
    if Auditor(system, everything).violations(requirements):
        raise RuntimeError("statistical confidentiality: no pattern protects every cell, even masking them all")
    return everything
