"""Hypothesis strategies that reach the edge cases on purpose.

Random headcounts drawn from a wide range almost never produce the cases where things break: a cell
with exactly as many people as companies (each company's figure is then derivable from the published
number of companies), a cell with a single contributor, a declared total off by one, files arriving
in another order than their dates. These strategies draw those cases deliberately.

``EFFECTIFS_MUTATION=1`` (set by ``tools/mutation-test.sh``) makes every property test of the suite
that uses :data:`PROPERTY` deterministic and smaller, so that a mutant is killed or not, every time.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

MUTATION_RUN = os.environ.get("EFFECTIFS_MUTATION") == "1"


def property_settings(examples: int) -> settings:
    """``examples`` examples; under a mutation run at most 8, always the same ones."""
    fixed = dict(max_examples=min(examples, 8), derandomize=True, database=None) if MUTATION_RUN else {}
    return settings(**{"max_examples": examples, **fixed}, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


# How the people of one cell are spread over the companies.
CELL_KINDS = ("one_each", "single", "dominant", "spread", "zero")


@st.composite
def edge_cell(draw, companies: list[str]) -> dict[str, int]:
    """One cell's headcount per company, of a drawn kind:

    - ``one_each``: 1 to 4 companies with exactly one person each (headcount = number of companies);
    - ``single``: one company only (1 to 40 people);
    - ``dominant``: one company with most of the cell, the others with one person each;
    - ``spread``: 3 or more companies with 1 to 60 people each;
    - ``zero``: nobody.
    """
    kind = draw(st.sampled_from(CELL_KINDS))
    if kind == "zero":
        return {}
    if kind == "single":
        return {draw(st.sampled_from(companies)): draw(st.integers(1, 40))}
    who = draw(st.lists(st.sampled_from(companies), min_size=1, max_size=len(companies), unique=True))
    if kind == "one_each":
        return {c: 1 for c in who[:4]}
    if kind == "dominant":
        return {c: (draw(st.integers(20, 200)) if i == 0 else 1) for i, c in enumerate(who)}
    return {c: draw(st.integers(1, 60)) for c in who}


@st.composite
def edge_fills(draw, keys: list[str], max_companies: int = 5, max_cells: int = 10) -> dict[str, dict[str, int]]:
    """``{company: {row key: headcount}}`` for 1 to ``max_companies`` companies, every non-empty cell
    drawn by :func:`edge_cell`; never all zero (one person non-ventilated at least)."""
    companies = [f"s{i}" for i in range(draw(st.integers(1, max_companies)))]
    cells = draw(st.lists(st.sampled_from(keys), min_size=1, max_size=max_cells, unique=True))
    fills: dict[str, dict[str, int]] = {c: {} for c in companies}
    for key in cells:
        for company, n in draw(edge_cell(companies)).items():
            fills[company][key] = n
    if not any(n for values in fills.values() for n in values.values()):
        fills[companies[0]]["NV"] = 1
    return fills


# A declared total that does not match the sum of the lines: off by one most of the time.
total_offsets = st.one_of(st.sampled_from([-1, 1]), st.integers(-40, 40).filter(lambda d: d != 0))


@st.composite
def arrivals(draw, versions: int = 3) -> tuple[list[int], list[int]]:
    """Versions 0..n-1 of one company's return, version i dated i hours after version 0, checked in a
    drawn order (one run per version): (order of the runs, hours after version 0 of each version)."""
    order = draw(st.permutations(range(versions)))
    return list(order), list(range(versions))
