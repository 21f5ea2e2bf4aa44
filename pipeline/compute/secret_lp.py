"""What an attacker can infer about masked cells: linked tables as one linear system, solved with HiGHS.

A :class:`System` holds every cell of every table published together (the branch table for each measure and
category, breakdown tables, the previous edition, the evolution columns), the relations parent = Σ children
between them, and what each attacker knows beforehand:

- an outsider knows the published figures and that a headcount is never negative;
- a company — or a holding group, whose companies share what they know — also knows its own figures, so every
  masked headcount is at least its own contribution to it (the others' part is what it does not know).

For a pattern of masked cells, an attacker's feasible set is: published cells at their value, masked cells
free within those bounds, every relation holding. Its interval for a masked cell is the minimum and maximum
of that cell over the set (two linear programmes). :class:`Auditor` builds the constraint matrix of a pattern
once (scipy.sparse) and answers every attacker's interval, reusing the outsider's extreme solutions as
certificates: a convex combination of an outsider's solution and the true table is feasible for an insider
whenever it respects the insider's lower bounds, so most insider checks need no solve at all.

Cell values are whole numbers: requirements are whole deviations, and an interval counts as wide enough when
its bound reaches the value plus (or minus) the requirement.

The programmes are solved by one HiGHS model per pattern (highspy), changed in place from one question to the
next (the objective's cell, the attacker's lower bounds) so that each solve starts from the previous basis: a
pattern with breakdowns asks thousands of them, and building each from scratch (scipy's ``linprog``) cost
about 8 ms of overhead per question.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass, field

import highspy
import numpy as np
from scipy import sparse

OUTSIDER = ""   # the attacker who knows only what is published
TOLERANCE = 1e-6
_BANNER = threading.Lock()
_banner_shown = False

Key = tuple  # a cell of the linked tables: (tableau, niveau, code, mesure, categorie)


def quiet_highs() -> highspy.Highs:
    """A HiGHS solver that prints nothing. HiGHS writes its banner to the process's standard output the first
    time a solver is made, before any option can be set: that first one is made with file descriptor 1 sent to
    /dev/null, so that nothing reaches a user's terminal or a ``--json`` output."""
    global _banner_shown
    with _BANNER:
        if not _banner_shown:
            sys.stdout.flush()
            saved = os.dup(1)
            try:
                with open(os.devnull, "w") as null:
                    os.dup2(null.fileno(), 1)
                    solver = highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
            _banner_shown = True
        else:
            solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    return solver


@dataclass(frozen=True)
class System:
    """The linked tables: cells, relations and what each unit (company or holding group) knows."""

    keys: tuple[Key, ...]
    value: np.ndarray            # true value of every cell
    signed: np.ndarray           # cells that may be negative (evolutions): no lower bound
    relations: sparse.csr_matrix  # one row per relation: +1 parent, −1 each child
    own: dict[str, np.ndarray]   # unit -> its contribution to every cell
    cap: float                   # a bound no feasible cell reaches unless it is unbounded
    index: dict[Key, int] = field(default_factory=dict)

    def lower(self, attacker: str) -> np.ndarray:
        """What ``attacker`` knows every cell is at least."""
        base = self.own[attacker] if attacker != OUTSIDER else np.zeros(len(self.keys))
        return np.where(self.signed, -self.cap, base)

    @property
    def units(self) -> list[str]:
        return sorted(self.own)


def build_system(keys: list[Key], value, signed, relations: list[tuple[Key, tuple[Key, ...]]],
                 own: dict[str, dict[Key, float]]) -> System:
    index = {k: i for i, k in enumerate(keys)}
    rows, cols, data = [], [], []
    for r, (parent, children) in enumerate(relations):
        for cell, coef in [(parent, 1.0)] + [(c, -1.0) for c in children]:
            rows.append(r)
            cols.append(index[cell])
            data.append(coef)
    matrix = sparse.csr_matrix((data, (rows, cols)), shape=(len(relations), len(keys)))
    value = np.asarray(value, dtype=float)
    vectors = {}
    for unit, cells in own.items():
        v = np.zeros(len(keys))
        for k, x in cells.items():
            if k in index:
                v[index[k]] = x
        vectors[unit] = v
    cap = 10.0 * float(np.abs(value).sum()) + 1000.0
    return System(tuple(keys), value, np.asarray(signed, dtype=bool), matrix, vectors, cap, index)


@dataclass(frozen=True)
class Requirement:
    """Attacker ``attacker``'s interval for cell ``cell`` must reach value − ``down`` and value + ``up``."""

    cell: int
    attacker: str
    up: int
    down: int


class Auditor:
    """Every attacker's interval for the masked cells of one pattern."""

    def __init__(self, system: System, masked: np.ndarray):
        self.system = system
        self.masked = np.asarray(masked, dtype=bool)
        self.columns = np.flatnonzero(self.masked)
        self.position = {int(c): j for j, c in enumerate(self.columns)}
        matrix = system.relations
        sub = matrix[:, self.columns]
        rhs = -(matrix[:, ~self.masked] @ system.value[~self.masked])
        keep = np.flatnonzero(sub.getnnz(axis=1))
        self.a_eq = sub[keep].tocsc()
        self.b_eq = rhs[keep]
        self.truth = system.value[self.columns]
        self.solutions: dict[tuple[str, int, int], tuple[float, np.ndarray | None]] = {}
        self._found: dict[tuple[int, int], list[np.ndarray]] = {}  # (cell, sense) -> the solutions found for it
        self._highs: highspy.Highs | None = None
        self._attacker: str | None = None  # whose lower bounds the model holds
        self._objective: int | None = None  # the column the objective is on

    def _model(self, attacker: str) -> highspy.Highs:
        """The pattern's programme with ``attacker``'s bounds: made once, then changed in place."""
        n = len(self.columns)
        if self._highs is None:
            lp = highspy.HighsLp()
            lp.num_col_, lp.num_row_ = n, self.a_eq.shape[0]
            lp.col_cost_ = np.zeros(n)
            lp.col_lower_, lp.col_upper_ = np.zeros(n), np.full(n, self.system.cap)
            lp.row_lower_ = lp.row_upper_ = self.b_eq
            lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
            lp.a_matrix_.start_ = self.a_eq.indptr
            lp.a_matrix_.index_ = self.a_eq.indices
            lp.a_matrix_.value_ = self.a_eq.data
            self._highs = quiet_highs()
            self._highs.passModel(lp)
        if attacker != self._attacker:
            lower = self.system.lower(attacker)[self.columns]
            self._highs.changeColsBounds(n, np.arange(n, dtype=np.int32), lower, np.full(n, self.system.cap))
            self._attacker = attacker
        return self._highs

    def extreme(self, attacker: str, cell: int, sense: int) -> tuple[float, np.ndarray | None]:
        """The largest (sense +1) or smallest (−1) value of ``cell`` ``attacker`` finds feasible."""
        key = (attacker, cell, sense)
        if key not in self.solutions and attacker != OUTSIDER:
            bound, x = self.extreme(OUTSIDER, cell, sense)
            if np.all(x >= self.system.lower(attacker)[self.columns] - TOLERANCE):
                self.solutions[key] = (bound, x)  # the outsider's optimum is feasible for the insider too
        if key not in self.solutions:
            j = self.position[cell]
            highs = self._model(attacker)
            if self._objective is not None and self._objective != j:
                highs.changeColCost(self._objective, 0.0)
            highs.changeColCost(j, float(-sense))
            self._objective = j
            highs.run()
            if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:  # pragma: no cover — the true table
                raise RuntimeError("confidentiality audit: linear programme failed "  # is always feasible
                                   f"({highs.modelStatusToString(highs.getModelStatus())})")
            x = np.array(highs.getSolution().col_value)
            self.solutions[key] = (float(x[j]), x)
            self._found.setdefault((cell, sense), []).append(x)
        return self.solutions[key]

    def interval(self, attacker: str, cell: int) -> tuple[float, float]:
        """``attacker``'s [min, max] for a masked cell (max ≥ :attr:`System.cap` means unbounded)."""
        return self.extreme(attacker, cell, -1)[0], self.extreme(attacker, cell, 1)[0]

    def reaches(self, attacker: str, cell: int, sense: int, deviation: float) -> bool:
        """Whether ``attacker`` finds ``cell`` feasible at its value + sense × deviation."""
        truth = self.system.value[cell]
        target = truth + sense * deviation
        bound, _ = self.extreme(OUTSIDER, cell, sense)
        if sense * (bound - target) < -TOLERANCE:
            return False  # insiders know more than the outsider
        if attacker == OUTSIDER:
            return True
        if (attacker, cell, sense) not in self.solutions:
            lower = self.system.lower(attacker)[self.columns]
            j = self.position[cell]
            for x in self._found.get((cell, sense), ()):
                if sense * self._mix(x, lower, j) >= deviation - TOLERANCE:
                    return True  # a mix of a solution found for someone else and the truth is feasible for it
        bound, _ = self.extreme(attacker, cell, sense)
        return sense * (bound - target) >= -TOLERANCE

    def _mix(self, x: np.ndarray, lower: np.ndarray, j: int) -> float:
        """How far cell j moves in the largest mix λ x + (1 − λ) truth that respects ``lower``."""
        short = lower - x > TOLERANCE
        room = 1.0 if not short.any() else float(np.min((self.truth[short] - lower[short])
                                                         / (self.truth[short] - x[short])))
        return room * (x[j] - self.truth[j])

    def violations(self, requirements: list[Requirement]) -> list[tuple[Requirement, int]]:
        """The (requirement, sense) pairs the pattern fails."""
        out = []
        for req in requirements:
            for sense, deviation in ((1, req.up), (-1, req.down)):
                if deviation > 0 and not self.reaches(req.attacker, req.cell, sense, deviation):
                    out.append((req, sense))
        return out

    def strongest(self, cell: int, attackers: list[str]) -> tuple[str, float, float]:
        """The insider whose interval for ``cell`` is narrowest: (unit, min, max)."""
        best = (OUTSIDER, *self.interval(OUTSIDER, cell))
        for unit in attackers:
            lo, hi = self.interval(unit, cell)
            if best[0] == OUTSIDER or min(hi, self.system.cap) - lo < min(best[2], self.system.cap) - best[1]:
                best = (unit, lo, hi)
        return best
