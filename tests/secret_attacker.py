"""An attacker of the published edition that shares no code with pipeline.compute.secret*.

It rebuilds the table's sums from the nomenclature, each company's part of each cell from the figures it
typed, and the primary rules from their definitions; it then runs, for every primary cell, the outside
reader's linear programme and every insider's (a company, or a holding group, fixing its own figures), and
reports every interval narrower than required:

- the outside reader must not pin a primary cell within ± p % of its value;
- an insider must not bound another unit's figure within ± p % (its upper bound on that unit is the cell's
  upper bound less its own part; its lower bound, when that unit is the only other contributor, the cell's
  lower bound less its own part);
- a published number of companies must not let a unit bound another's figure within p % (each contributor has
  at least one person).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog


def sums(nomenclature, categories=("tout",), breakdowns=(), partitions=()) -> list[tuple[str, list[str]]]:
    """Every published sum as (total, [parts]); cells are "niveau:code" (with "|category" when not "tout").
    ``breakdowns``: lists of categories adding up to "tout"; ``partitions``: (category, [categories adding up
    to it]), e.g. the cells of a crossed pair adding up to a category of a breakdown it crosses."""
    base = []
    for code, keys in nomenclature.lignes.groupby("code_metier")["cle"]:
        if len(keys) > 1:
            base.append((f"metier:{code}", [f"emploi:{k}" for k in keys]))
    groups: dict[str, list[str]] = {}
    for fam in nomenclature.familles.itertuples(index=False):
        codes = nomenclature.metiers.loc[nomenclature.metiers["code_famille"] == fam.code_famille, "code_metier"]
        base.append((f"famille:{fam.code_famille}", [f"metier:{c}" for c in codes]))
        groups.setdefault(fam.numero_groupe, []).append(f"famille:{fam.code_famille}")
    for numero, fams in groups.items():
        base.append((f"groupe:{numero}", fams))
    base.append(("ventiles:", [f"groupe:{n}" for n in groups]))
    base.append(("branche:", ["ventiles:", "non_ventiles:NV"]))
    out = []
    for cat in categories:
        out += [(name(t, cat), [name(p, cat) for p in parts]) for t, parts in base]
    for whole, parts in [("tout", p) for p in breakdowns] + list(partitions):
        for cell in {c for t, ps in base for c in [t, *ps]}:
            out.append((name(cell, whole), [name(cell, c) for c in parts]))
    return out


def name(cell: str, category: str) -> str:
    return cell if category == "tout" else f"{cell}|{category}"


def cells_of_key(nomenclature, key: str) -> list[str]:
    """The cells a row key of the template adds to."""
    if key == "NV":
        return ["non_ventiles:NV", "branche:"]
    line = nomenclature.lignes.set_index("cle").loc[key]
    metier = line["code_metier"]
    family = nomenclature.metiers.set_index("code_metier").loc[metier, "code_famille"]
    group = nomenclature.familles.set_index("code_famille").loc[family, "numero_groupe"]
    out = [f"metier:{metier}", f"famille:{family}", f"groupe:{group}", "ventiles:", "branche:"]
    return ([f"emploi:{key}"] if int(line["rang_emploi"]) else []) + out


def parts_per_company(nomenclature, figures: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    """cell -> company -> its part, from each company's typed figures (row key, or (row key, category))."""
    out: dict[str, dict[str, float]] = {}
    for company, values in figures.items():
        for key, v in values.items():
            key, cat = key if isinstance(key, tuple) else (key, "tout")
            if key == "TOTAL" or not v:
                continue
            for cell in cells_of_key(nomenclature, key):
                c = name(cell, cat)
                out.setdefault(c, {})
                out[c][company] = out[c].get(company, 0) + v
    return out


def units(parts: dict[str, float], groups: dict[str, str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for company, v in parts.items():
        out[groups.get(company, company)] = out.get(groups.get(company, company), 0) + v
    return out


def primary(parts: dict[str, float], groups, frequency=3, dominance=0.85, p=0.10, rule="dominance") -> bool:
    by_unit = sorted(units(parts, groups).values(), reverse=True)
    total = sum(by_unit)
    if total == 0:
        return False
    if len(by_unit) < frequency:
        return True
    if rule == "p%":
        return total - by_unit[0] - by_unit[1] < p * by_unit[0]
    return by_unit[0] > dominance * total


@dataclass
class Attack:
    relations: list[tuple[str, list[str]]]
    published: dict[str, float | None]          # None: masked
    parts: dict[str, dict[str, float]]          # cell -> company -> part
    groups: dict[str, str] = field(default_factory=dict)
    free: set[str] = field(default_factory=set)  # masked cells that may be negative (evolutions)
    counts: dict[str, int | None] = field(default_factory=dict)  # numbers of companies published, if any

    def __post_init__(self):
        self.hidden = sorted(c for c, v in self.published.items() if v is None)
        self.pos = {c: i for i, c in enumerate(self.hidden)}
        rows, rhs = [], []
        for total, parts in self.relations:
            row, b = np.zeros(len(self.hidden)), 0.0
            for cell, coef in [(total, 1)] + [(p, -1) for p in parts]:
                if cell in self.pos:
                    row[self.pos[cell]] += coef
                else:
                    b -= coef * (self.published.get(cell) or 0)
            if row.any():
                rows.append(row)
                rhs.append(b)
        self.a, self.b = (np.array(rows), np.array(rhs)) if rows else (None, None)

    def own(self, unit: str | None) -> dict[str, float]:
        if unit is None:
            return {}
        cache = self.__dict__.setdefault("_own", {})
        if unit not in cache:
            cache[unit] = {c: sum(v for co, v in p.items() if self.groups.get(co, co) == unit)
                           for c, p in self.parts.items()}
        return cache[unit]

    def _bounds(self, cell: str, unit: str | None) -> tuple[float | None, float | None]:
        """What ``unit`` knows of a masked cell beforehand: its own part, and — when the number of companies
        is published — that the others have at least one person each (none at all when it is alone)."""
        if cell in self.free:
            return None, None
        own = self.own(unit).get(cell, 0)
        n = self.counts.get(cell)
        if n is None:
            return own, None
        mine = sum(1 for c, v in self.parts.get(cell, {}).items() if v and unit is not None
                   and self.groups.get(c, c) == unit)
        return own + max(n - mine, 0), (own if n == mine else None)

    def interval(self, cell: str, unit: str | None) -> tuple[float, float]:
        bounds = [self._bounds(c, unit) for c in self.hidden]
        objective = np.zeros(len(self.hidden))
        objective[self.pos[cell]] = 1
        lo = linprog(objective, A_eq=self.a, b_eq=self.b, bounds=bounds, method="highs")
        hi = linprog(-objective, A_eq=self.a, b_eq=self.b, bounds=bounds, method="highs")
        assert lo.status == 0 and hi.status in (0, 3), (lo.message, hi.message)
        return math.ceil(lo.fun - 1e-6), (math.inf if hi.status == 3 else math.floor(-hi.fun + 1e-6))

    def failures(self, primaries: set[str], p: float = 0.10) -> list[str]:
        """Every way a primary cell is pinned closer than ± p %."""
        return [f"{cell}: {who or 'the outsider'} bounds {target or 'the cell'}'s {x} within [{lo}, {hi}]"
                for cell, who, target, x, lo, hi in self.findings(primaries, p)]

    def findings(self, primaries: set[str], p: float = 0.10) -> list[tuple]:
        """(cell, attacker or None, target unit or None, its figure, lower bound, upper bound) for every
        figure a reader or a unit bounds within ± p %; lower bound = upper bound is an exact disclosure."""
        out = []
        all_units = sorted({self.groups.get(c, c) for parts in self.parts.values() for c in parts})
        for cell in primaries:
            value = sum(self.parts[cell].values())
            if self.published.get(cell) is not None:
                out.append((cell, None, None, value, value, value))
                continue
            lo, hi = self.interval(cell, None)
            if hi < value * (1 + p) - 1e-6 or lo > value * (1 - p) + 1e-6:
                out.append((cell, None, None, value, lo, hi))
            by_unit = units(self.parts[cell], self.groups)
            for unit in all_units:
                others = {u: v for u, v in by_unit.items() if u != unit}
                if not others:
                    continue
                lo, hi = self.interval(cell, unit)
                mine = by_unit.get(unit, 0)
                for target, x in others.items():
                    top = hi - mine
                    bottom = lo - mine if len(others) == 1 else 0
                    if top < x * (1 + p) - 1e-6 or bottom > x * (1 - p) + 1e-6:
                        out.append((cell, unit, target, x, bottom, top))
        return out


def count_failures(published: dict[str, float | None], counts: dict[str, int | None],
                   parts: dict[str, dict[str, float]], groups: dict[str, str], p: float = 0.10) -> list[str]:
    """Published numbers of companies that let a unit (or a reader) bound another unit's figure within p %
    (one line per cell)."""
    out = []
    for cell, n in counts.items():
        if n is None or published.get(cell) is None or not n:
            continue
        companies = {c: v for c, v in parts.get(cell, {}).items() if v}
        if n != len(companies):
            out.append(f"{cell}: {n} companies published, {len(companies)} contribute")
        value = sum(companies.values())
        by_unit = units(companies, groups)
        size = {u: sum(1 for c in companies if groups.get(c, c) == u) for u in by_unit}
        for attacker in [None, *by_unit]:
            mine, mine_n = by_unit.get(attacker, 0), size.get(attacker, 0)
            for target, x in by_unit.items():
                if target != attacker:
                    bound = value - mine - (n - mine_n - size[target])
                    if bound < x * (1 + p) - 1e-6 and not (out and out[-1].startswith(f"{cell}:")):
                        out.append(f"{cell}: with {n} companies published, {attacker} bounds {target}'s {x} by {bound}")
    return out
