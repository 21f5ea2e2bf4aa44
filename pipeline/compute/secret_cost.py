"""Secondary suppression at least cost: which further cells to mask so that every requirement holds.

The model is the classical one of Fischetti and Salazar, as τ-Argus's optimal method and sdcTable use it:
one binary y per cell that may be masked, and, for every requirement "attacker A must find cell k feasible
at its value + R" (or − R), a deviation vector d of the whole system such that the true table + d is still
feasible for A: relations hold (M d = 0), published cells do not move (d = 0 where y = 0), masked cells stay
above what A knows (d ≥ own − value). Such a d exists exactly when A's interval reaches value ± R, so the
mixed-integer programme (HiGHS, through highspy) that minimises the cost of the masked cells under all of them
is the cheapest pattern meeting every requirement. Each d is also bounded by a few R (``SLACK``): the big-M
constants stay small, so the relaxation is tight and HiGHS fast; it can only ask for more masking than
strictly needed, never less.

Writing every attacker's every requirement at once would be large; they are added as they are needed (row
generation): solve with the outsider's requirements, audit the pattern against all of them with
:class:`~pipeline.compute.secret_lp.Auditor`, add those it fails, solve again. The loop ends when the audit
passes — the audit is the guarantee, whatever the solver did.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
from scipy import sparse

from .secret_lp import OUTSIDER, Auditor, Requirement, System, quiet_highs

MAX_ROUNDS = 40
SLACK = 3  # how far (in requirements) a cell may move in the programme's certificates: tighter is faster and
# only ever asks for more than needed; the audit, which bounds nothing, has the last word
RADIUS = 2         # a requirement's certificate moves cells at most this many relations away (None: all)
GAP = 1e-3        # relative optimality gap at which HiGHS stops
LOOSE_GAP = 5e-2  # the same for a breakdown's cells: within 5 % of the least cost, found two to three times faster
TIME_LIMIT = 30.0  # seconds for one solve; a feasible pattern found by then is audited like any other


def cell_costs(system: System, mode: str) -> np.ndarray:
    """What masking each cell costs: its people (``effectif``) or one per cell (``cellules``), with a small
    tie-break on the other."""
    value = np.abs(system.value)
    if mode == "cellules":
        return 1.0 + value / (2.0 * (value.sum() + 1.0))
    return value + 0.01


def neighbourhood(system: System, cell: int, radius: int | None) -> np.ndarray:
    """Cells at most ``radius`` relations away from ``cell`` (every cell when None), as a boolean mask."""
    near = np.zeros(len(system.keys), dtype=bool)
    near[cell] = True
    if radius is None:
        return ~near | near
    incidence = abs(system.relations)
    for _ in range(radius):
        rows = incidence @ near.astype(float) > 0
        near |= incidence.T @ rows.astype(float) > 0
    return near


def _certificate(system: System, movable: np.ndarray, req: Requirement, sense: int, radius: int | None):
    """The cells a requirement's deviation may move (the nearest radius at which, every free cell masked,
    one exists), the relations between them, and the deviation's bounds."""
    reach = SLACK * (req.up if sense > 0 else req.down)  # a deviation of ± R moves no cell by more than a few R
    for r in (radius, 2 * radius, None) if radius is not None else (None,):
        cells = np.flatnonzero(movable & neighbourhood(system, req.cell, r))
        matrix = system.relations[:, cells]
        matrix = matrix[np.flatnonzero(matrix.getnnz(axis=1))]
        down_room = np.minimum(system.value[cells] - system.lower(req.attacker)[cells], reach)
        lo, hi = -down_room, np.full(len(cells), float(reach))
        j = int(np.flatnonzero(cells == req.cell)[0])
        if sense > 0:
            lo[j] = max(lo[j], req.up)
        else:
            hi[j] = min(hi[j], -req.down)
        if r is None or _run(_Programme(np.zeros(len(cells)), lo, hi, matrix)).getModelStatus() \
                == highspy.HighsModelStatus.kOptimal:
            return cells, matrix, lo, hi, down_room, reach
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass(frozen=True)
class _Programme:
    """Minimise cost · x, lower ≤ x ≤ upper, rows_lo ≤ matrix · x ≤ rows_hi, x integer where ``integrality``
    says so (none: all continuous)."""

    cost: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    matrix: sparse.csr_matrix
    rows_lo: np.ndarray | float = 0.0
    rows_hi: np.ndarray | float = 0.0
    integrality: np.ndarray | None = None


def _model(system: System, must: np.ndarray, free: np.ndarray, cost: np.ndarray,
           active: list[tuple[Requirement, int]], radius: int | None) -> tuple[_Programme, np.ndarray]:
    """The mixed-integer programme of the active requirements, and the free cells its first variables are:
    variables y (free cells) then, for each requirement, a deviation d over the movable cells (masked already,
    or free) near its cell."""
    free_cells = np.flatnonzero(free)
    n_y = len(free_cells)
    y_of = {int(c): j for j, c in enumerate(free_cells)}
    blocks, lows, highs, lower_bounds, upper_bounds = [], [], [], [np.zeros(n_y)], [np.ones(n_y)]
    start = n_y
    for req, sense in active:
        movable, matrix, lo, hi, down_room, reach = _certificate(system, must | free, req, sense, radius)
        n_d = len(movable)
        lower_bounds.append(lo)
        upper_bounds.append(hi)
        if matrix.shape[0]:  # relations: M d = 0
            m = matrix.tocoo()
            blocks.append((m.row, m.col + start, m.data, matrix.shape[0]))
            lows.append(np.zeros(matrix.shape[0]))
            highs.append(np.zeros(matrix.shape[0]))
        links = [(i, y_of[int(c)]) for i, c in enumerate(movable) if int(c) in y_of]
        if links:  # d_i ≤ reach · y_i and −d_i ≤ room_i · y_i: a published cell does not move
            i, y = np.array(links).T
            r = np.arange(len(links))
            blocks.append((np.concatenate([r, r, r + len(links), r + len(links)]),
                           np.concatenate([start + i, y, start + i, y]),
                           np.concatenate([np.ones(len(links)), np.full(len(links), -float(reach)),
                                           -np.ones(len(links)), -np.maximum(down_room[i], 0.0)]),
                           2 * len(links)))
            lows.append(np.full(2 * len(links), -np.inf))
            highs.append(np.zeros(2 * len(links)))
        start += n_d
    offset, rows, cols, data = 0, [], [], []
    for r, c, d, n in blocks:
        rows.append(r + offset)
        cols.append(c)
        data.append(d)
        offset += n
    matrix = sparse.csr_matrix((np.concatenate(data), (np.concatenate(rows), np.concatenate(cols))),
                               shape=(offset, start)) if blocks else sparse.csr_matrix((0, start))
    objective = np.concatenate([cost[free_cells], np.zeros(start - n_y)])
    integrality = np.concatenate([np.ones(n_y), np.zeros(start - n_y)])
    rows_lo, rows_hi = (np.concatenate(lows), np.concatenate(highs)) if blocks else (0.0, 0.0)
    programme = _Programme(objective, np.concatenate(lower_bounds), np.concatenate(upper_bounds), matrix, rows_lo,
                           rows_hi, integrality)
    return programme, free_cells


def _run(p: _Programme, gap: float = GAP) -> highspy.Highs:
    """HiGHS run on the programme ``p``."""
    lp = highspy.HighsLp()
    lp.num_col_ = len(p.cost)
    lp.col_cost_ = p.cost
    lp.col_lower_, lp.col_upper_ = p.lower, p.upper
    if p.integrality is not None:
        lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
                           for i in p.integrality]
    if p.matrix.shape[0]:
        m = sparse.csc_matrix(p.matrix)
        lp.num_row_ = m.shape[0]
        lp.row_lower_ = np.broadcast_to(p.rows_lo, m.shape[0]).astype(float)
        lp.row_upper_ = np.broadcast_to(p.rows_hi, m.shape[0]).astype(float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = m.indptr, m.indices, m.data
    solver = quiet_highs()
    solver.setOptionValue("time_limit", TIME_LIMIT)
    solver.setOptionValue("mip_rel_gap", gap)
    solver.passModel(lp)
    solver.run()
    return solver


def _solve(system, must, free, cost, active, radius, gap: float = GAP) -> np.ndarray | None:
    programme, free_cells = _model(system, must, free, cost, active, radius)
    solver = _run(programme, gap)
    if solver.getInfo().primal_solution_status != highspy.SolutionStatus.kSolutionStatusFeasible:
        return None
    x = np.array(solver.getSolution().col_value)
    masked = must.copy()
    masked[free_cells[np.round(x[:len(free_cells)]) > 0.5]] = True
    return masked


def choose(system: System, must: np.ndarray, free: np.ndarray, requirements: list[Requirement],
           mode: str = "effectif", gap: float = GAP) -> np.ndarray:
    """The cheapest pattern: ``must`` (primary cells, cells already masked) plus free cells, meeting every
    requirement. Raises RuntimeError when even masking every free cell cannot."""
    cost = cell_costs(system, mode)
    # start with the outsider's upper sides: a pattern that lets a cell go up mostly lets it go down too
    active = [(r, 1) for r in requirements if r.attacker == OUTSIDER and r.up > 0]
    seen = set((id(r), s) for r, s in active)
    masked = must.copy()
    for _ in range(MAX_ROUNDS):
        masked = _solve(system, must, free, cost, active, RADIUS, gap) if active else must.copy()
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


def without_useless(system, masked: np.ndarray, fixed: np.ndarray) -> np.ndarray:
    """The pattern without the secondary cells anyone can work out (the only masked cell of a sum of published
    ones): publishing them tells nothing new. A solver stopping within a gap of the least cost may leave some."""
    masked = masked.copy()
    relations = system.relations.tocsr()
    changed = True
    while changed:
        changed = False
        for r in range(relations.shape[0]):
            cells = relations.indices[relations.indptr[r]:relations.indptr[r + 1]]
            hidden = cells[masked[cells]]
            if len(hidden) == 1 and not fixed[hidden[0]]:
                masked[hidden[0]] = False
                changed = True
    return masked
