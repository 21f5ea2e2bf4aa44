"""The confidentiality rules one function at a time, on figures small enough to check by hand: which cell
breaks a primary rule, how far each attacker must find a primary cell feasible, and when a published cell's
number of companies can be shown. Fast (no linear programme): mutation runs use these first
(docs/mutation-testing.md, the 2026-11-27 run of the issue-15 modules).
"""

from __future__ import annotations

import itertools
import math
import random

import numpy as np
import pytest

from pipeline.compute.secret import (DOMINANCE, FREQUENCY, P_RULE, SecretRules, count_safe, primary_reason,
                                     required)
from pipeline.compute.secret_lp import OUTSIDER

DOM = SecretRules()                       # 3 units, 85 %, p = 10
PCT = SecretRules(regle="p%")


# --- primary rules -----------------------------------------------------------------------------------------


def test_an_empty_cell_breaks_no_rule():
    assert primary_reason(0, {}, DOM) == "" and primary_reason(0.0, {"a": 0.0}, PCT) == ""


def test_exactly_the_minimum_number_of_units_is_enough():
    assert primary_reason(30, {"a": 10, "b": 10, "c": 10}, DOM) == ""
    assert primary_reason(20, {"a": 10, "b": 10}, DOM) == FREQUENCY
    assert primary_reason(20, {"a": 10, "b": 10}, PCT) == FREQUENCY
    assert primary_reason(5, {"a": 5}, DOM) == FREQUENCY
    assert primary_reason(40, {"a": 10, "b": 10, "c": 10, "d": 10}, SecretRules(frequence_min=4)) == ""
    assert primary_reason(30, {"a": 10, "b": 10, "c": 10}, SecretRules(frequence_min=4)) == FREQUENCY


def test_dominance_at_and_above_the_threshold():
    assert primary_reason(100, {"a": 85, "b": 10, "c": 5}, DOM) == ""           # 85 % exactly: allowed
    assert primary_reason(100, {"a": 86, "b": 10, "c": 4}, DOM) == DOMINANCE
    assert primary_reason(100, {"b": 10, "a": 86, "c": 4}, DOM) == DOMINANCE    # the largest, wherever it is
    assert primary_reason(100, {"a": 60, "b": 30, "c": 10}, SecretRules(dominance=0.5)) == DOMINANCE
    assert primary_reason(100, {"a": 50, "b": 30, "c": 20}, SecretRules(dominance=0.5)) == ""


def test_the_p_rule_at_and_below_its_threshold():
    assert primary_reason(100, {"a": 80, "b": 15, "c": 5}, PCT) == P_RULE       # 5 left < 8
    assert primary_reason(100, {"a": 80, "b": 12, "c": 8}, PCT) == ""           # 8 left = 8: allowed
    assert primary_reason(100, {"a": 80, "b": 13, "c": 7}, PCT) == P_RULE       # 7 left < 8
    assert primary_reason(100, {"c": 7, "b": 13, "a": 80}, PCT) == P_RULE
    assert primary_reason(100, {"a": 80, "b": 12, "c": 8}, SecretRules(regle="p%", p=20.0)) == P_RULE


def test_the_p_rule_replaces_dominance():
    """86 % for one company but 13 people in 13 others: dominated, yet the p % rule is met (and the other way
    round, 80 + 15 + 5 is not dominated but breaks the p % rule)."""
    units = {"a": 86, "b": 1} | {f"c{i}": 1 for i in range(13)}
    assert primary_reason(100, units, DOM) == DOMINANCE
    assert primary_reason(100, units, PCT) == ""
    assert primary_reason(100, {"a": 80, "b": 15, "c": 5}, DOM) == ""


def test_the_p_rule_with_one_unit():
    assert primary_reason(10, {"a": 10}, SecretRules(frequence_min=1, regle="p%")) == P_RULE
    assert primary_reason(10, {"a": 10}, SecretRules(frequence_min=1)) == DOMINANCE


# --- protection intervals ----------------------------------------------------------------------------------


def test_the_outsider_must_find_p_percent_either_way_at_least_one_person():
    assert required(100, {}, [], 0.1) == [(OUTSIDER, 10)]
    assert required(20, {}, [], 0.1) == [(OUTSIDER, 2)]      # 2.0 exactly: 2, not 3
    assert required(15, {}, [], 0.1) == [(OUTSIDER, 2)]      # 1.5: 2
    assert required(5, {}, [], 0.1) == [(OUTSIDER, 1)]
    assert required(1, {}, [], 0.1) == [(OUTSIDER, 1)]
    assert required(30, {}, [], 0.2) == [(OUTSIDER, 6)]


def test_each_insider_must_find_p_percent_of_the_largest_other_unit_beyond_what_the_rest_hide():
    units = {"a": 80, "b": 15, "c": 5}
    # b: 8 of a's 80, less the 5 of c = 3; a: 1.5 of b's less 5, nothing; c: 8 less 15, nothing
    assert required(100, units, ["a", "b", "c"], 0.1) == [(OUTSIDER, 10), ("b", 3)]
    assert required(100, units, ["c", "b", "a"], 0.1) == [(OUTSIDER, 10), ("b", 3)]
    # b: 5 exactly (no slip to 6); a: 0.3 of b's 3 rounds up to 1
    assert required(53, {"a": 50, "b": 3}, ["b", "a"], 0.1) == [(OUTSIDER, 6), ("b", 5), ("a", 1)]
    assert required(30, {"a": 27, "b": 3}, ["a", "b"], 0.1) == [(OUTSIDER, 3), ("a", 1), ("b", 3)]
    # an attacker with no part in the cell: the largest unit less everything else
    assert required(100, units, ["z"], 0.1) == [(OUTSIDER, 10)]
    assert required(10, {"a": 10}, ["z"], 0.1) == [(OUTSIDER, 1), ("z", 1)]
    # the only unit of a cell has no one to attack
    assert required(10, {"a": 10}, ["a"], 0.1) == [(OUTSIDER, 1)]
    assert required(25, {"a": 12, "b": 12, "c": 1}, ["c", "a"], 0.5) == [(OUTSIDER, 13), ("a", 5)]


# --- numbers of companies ----------------------------------------------------------------------------------


def _count_safe_by_hand(companies: dict[str, float], unit: dict[str, str], p: float) -> bool:
    """Every attacker (outsider, or a unit with its own figures) bounds each other unit from above by the
    cell less its own people less one person per remaining company: safe when no bound is within p %."""
    value, n = sum(companies.values()), len(companies)
    units: dict[str, list[float]] = {}
    for company, v in companies.items():
        units.setdefault(unit.get(company, company), []).append(v)
    for t, mine in units.items():
        for g in [None, *units]:
            if g == t:
                continue
            own = units[g] if g is not None else []
            upper = value - sum(own) - (n - len(own) - len(mine))
            if upper < (1 + p) * sum(mine) - 1e-6:
                return False
    return True


def test_the_number_of_companies_of_small_cells():
    assert not count_safe({"a": 1, "b": 1, "c": 1}, {}, 0.1)     # each knows the others have one
    assert count_safe({"a": 10, "b": 10, "c": 10}, {}, 0.1)
    assert not count_safe({"a": 20, "b": 1, "c": 1, "d": 1}, {}, 0.1)
    assert count_safe({}, {}, 0.1)


@pytest.mark.parametrize("seed", range(6))
def test_the_number_of_companies_matches_the_attack_by_hand(seed):
    rng = random.Random(seed)
    for _ in range(300):
        n = rng.randint(1, 6)
        companies = {f"s{i}": float(rng.choice([1, 1, 2, 3, 5, 10, 11, 20, 40])) for i in range(n)}
        groups = {f"s{i}": "G" for i in range(n) if rng.random() < 0.3 * (seed % 2)}
        p = rng.choice([0.1, 0.2, 0.5])
        assert count_safe(companies, groups, p) == _count_safe_by_hand(companies, groups, p), (companies, groups, p)


def test_the_number_of_companies_at_the_p_percent_boundary():
    # b's 10 people: a bounds them by 21 - 10 - 0 = 11 = 10 + 10 % exactly: safe; one person less: not
    assert count_safe({"a": 10, "b": 10, "c": 1}, {}, 0.1) == _count_safe_by_hand({"a": 10, "b": 10, "c": 1}, {}, 0.1)
    for companies in ({"a": 10, "b": 10, "c": 2}, {"a": 10, "b": 10, "c": 1}, {"a": 9, "b": 10, "c": 2, "d": 1}):
        for p in (0.1, 0.2):
            assert count_safe(companies, {}, p) == _count_safe_by_hand(companies, {}, p), (companies, p)
    exact = [(c, p) for c in itertools.product([1, 2, 3, 10, 11], repeat=3) for p in (0.1, 0.2)
             if any(math.isclose(sum(c) - 3 - (x - 1) - (max([y - 1 for j, y in enumerate(c) if j != i] or [0])),
                                 p * x) for i, x in enumerate(c))]
    assert exact  # cases right at the boundary exist and agree
    for c, p in exact:
        companies = {f"s{i}": float(x) for i, x in enumerate(c)}
        assert count_safe(companies, {}, p) == _count_safe_by_hand(companies, {}, p), (c, p)


def test_a_holding_group_attacks_with_all_its_companies():
    # alone, a bounds d's 2 by 23 - 10 - 2 = 11; a and b together (one group), by 23 - 20 - 1 = 2: pinned
    companies = {"a": 10, "b": 10, "c": 1, "d": 2}
    assert count_safe(companies, {}, 0.1) and _count_safe_by_hand(companies, {}, 0.1)
    assert not count_safe(companies, {"a": "G", "b": "G"}, 0.1)
    assert not _count_safe_by_hand(companies, {"a": "G", "b": "G"}, 0.1)


# --- the audit and the secondary cells, on a table of four cells -----------------------------------------

from pipeline.compute.secret_cost import cell_costs, choose, neighbourhood  # noqa: E402
from pipeline.compute.secret_lp import Auditor, Requirement, build_system  # noqa: E402

# T = A + B + C = 10 with A = 1, B = 4, C = 5; u1 holds A's 1 and 2 of B, u2 the other 2 of B and C's 5
T, A, B, C = ("t",), ("a",), ("b",), ("c",)
KEYS = [T, A, B, C]


def _system(value=(10, 1, 4, 5)):
    own = {"u1": {A: 1.0, B: 2.0}, "u2": {B: value[2] - 2.0, C: float(value[3])}}
    return build_system(KEYS, list(value), [False] * 4, [(T, (A, B, C))], own)


def _masked(*cells):
    return [k in cells for k in KEYS]


def test_what_each_attacker_infers_about_two_masked_cells():
    """T and C published: A + B = 5. The outsider knows A and B are in [0, 5]; u1, which holds A's 1 and 2 of
    B, that A is in [1, 3] and B in [2, 4]; u2, which holds 2 of B, that A is in [0, 3] and B in [2, 5]."""
    s = _system()
    assert s.cap == 10 * 20 + 1000 and s.units == ["u1", "u2"]
    assert list(s.lower("u1")) == [0, 1, 2, 0] and list(s.lower("")) == [0, 0, 0, 0]
    a, b = s.index[A], s.index[B]
    audit = Auditor(s, _masked(A, B))
    assert audit.interval("", a) == (0, 5) and audit.interval("", b) == (0, 5)
    assert audit.interval("u1", a) == (1, 3) and audit.interval("u1", b) == (2, 4)
    assert audit.interval("u2", a) == (0, 3) and audit.interval("u2", b) == (2, 5)
    # asked in the other order (insiders first), the same
    audit = Auditor(s, _masked(A, B))
    assert audit.interval("u2", b) == (2, 5) and audit.interval("u1", a) == (1, 3) and audit.interval("", a) == (0, 5)


def test_a_requirement_is_met_exactly_up_to_the_attackers_bound():
    s = _system()
    a, b = s.index[A], s.index[B]
    audit = Auditor(s, _masked(A, B))
    assert audit.reaches("", a, 1, 4) and not audit.reaches("", a, 1, 5)       # A up to 5 = 1 + 4
    assert audit.reaches("", b, -1, 4) and not audit.reaches("", b, -1, 5)     # B down to 0 = 4 - 4
    assert audit.reaches("u2", a, 1, 2) and not audit.reaches("u2", a, 1, 3)   # A up to 3 for u2
    assert audit.reaches("u1", b, -1, 2) and not audit.reaches("u1", b, -1, 3)  # B down to 2 for u1
    assert audit.reaches("u1", a, -1, 0) and not audit.reaches("u1", a, -1, 1)  # u1 holds all of A
    assert audit.violations([Requirement(a, "", 4, 1)]) == []
    req = Requirement(a, "u2", 3, 1)
    assert audit.violations([req]) == [(req, 1)]
    req = Requirement(b, "u1", 0, 3)
    assert audit.violations([req]) == [(req, -1)]
    req = Requirement(a, "u1", 0, 1)   # violations mutant 7: a requirement of one person is checked too
    assert audit.violations([req]) == [(req, -1)]
    req = Requirement(a, "", 0, 2)   # no deviation asked upwards: only the downward side is checked
    assert audit.violations([req]) == [(req, -1)]
    assert audit.strongest(a, ["u1", "u2"]) == ("u1", 1, 3)
    assert audit.strongest(b, ["u2", "u1"]) == ("u1", 2, 4)


def test_a_mix_of_the_outsiders_solution_and_the_truth_answers_an_insider():
    """The outsider's A = 5 (B = 0) is infeasible for u2 (B ≥ 2); the mix ½ (5, 0) + ½ (1, 4) = (3, 2) is
    feasible and moves A by 2: u2 reaches A + 2 without a solve, and not A + 3."""
    s = _system()
    a = s.index[A]
    audit = Auditor(s, _masked(A, B))
    audit.extreme("", a, 1)
    lower = s.lower("u2")[audit.columns]
    bound, x = audit.solutions[("", a, 1)]
    assert bound == 5 and audit._mix(x, lower, audit.position[a]) == pytest.approx(2.0)
    assert audit.reaches("u2", a, 1, 2) and not audit.reaches("u2", a, 1, 3)
    # _mix mutant 7: u1's own extreme (3, 2) is feasible for u2 as it is; no mix goes beyond it
    audit = Auditor(s, _masked(A, B))
    assert audit.interval("u1", a) == (1, 3)
    assert not audit.reaches("u2", a, 1, 3) and audit.reaches("u2", a, 1, 2)


def test_secondary_cells_at_least_cost():
    """A must move by 2 for the outsider: one more cell of T = A + B + C must go, the cheaper; when neither
    may, no pattern protects A."""
    s = _system()
    a = s.index[A]
    must = np.array(_masked(A))
    need = [Requirement(a, "", 2, 1)]
    assert list(choose(s, must, np.array(_masked(B, C)), need)) == _masked(A, B)          # 4 people < 5
    assert list(choose(s, must, np.array(_masked(B, C)), need, "cellules")) == _masked(A, B)
    assert list(choose(s, must, np.array(_masked(C)), need)) == _masked(A, C)
    assert list(choose(_system((10, 1, 5, 4)), must, np.array(_masked(B, C)), need)) == _masked(A, C)
    assert list(choose(s, must, np.array(_masked(T, B, C)), need)) == _masked(A, B)      # not T (10)
    assert list(choose(s, must, np.array(_masked(B, C)), [])) == _masked(A)               # nothing required
    with pytest.raises(RuntimeError):
        choose(s, must, np.array(_masked(B)), [Requirement(a, "", 5, 1)])                 # A + 5 > A + B
    # insiders: u1 holds 2 of B, so B leaves it A in [1, 3]; C (5 people, none of them u1's) leaves [1, 6]
    need = [Requirement(a, "u1", 3, 0)]
    assert list(choose(s, must, np.array(_masked(B, C)), need)) == _masked(A, C)
    assert list(choose(s, must, np.array(_masked(B, C)), [Requirement(a, "u1", 6, 0)])) == _masked(A, B, C)
    # a requirement added in a second round (u1's, after the outsider's) joins those already active
    need = [Requirement(a, "", 2, 1), Requirement(a, "u1", 3, 0)]
    assert list(choose(s, must, np.array(_masked(B, C)), need)) == _masked(A, C)


def test_what_a_cell_costs():
    s = _system()
    assert list(cell_costs(s, "effectif")) == pytest.approx([10.01, 1.01, 4.01, 5.01])
    assert list(cell_costs(s, "cellules")) == pytest.approx([1 + 10 / 42, 1 + 1 / 42, 1 + 4 / 42, 1 + 5 / 42])
    assert list(neighbourhood(s, s.index[A], 0)) == _masked(A)
    assert list(neighbourhood(s, s.index[A], 1)) == _masked(T, A, B, C)
    assert list(neighbourhood(s, s.index[A], None)) == _masked(T, A, B, C)


# --- mutants of the 2026-11-27 run that the tests above let through ------------------------------------------


def test_one_person_breaks_the_frequency_rule():
    """primary_reason mutant 2 (``value <= 1``): a cell of one person is a cell to protect."""
    assert primary_reason(1, {"a": 1}, DOM) == FREQUENCY
    assert primary_reason(1, {"a": 1}, SecretRules(frequence_min=1)) == DOMINANCE


def test_the_p_rule_with_two_units():
    """primary_reason mutant 21: with a frequency threshold of 2 (campaign file), 10 + 10 breaks the p % rule —
    each company knows the other's figure exactly."""
    assert primary_reason(20, {"a": 10, "b": 10}, SecretRules(frequence_min=2, regle="p%")) == P_RULE
    assert primary_reason(20, {"a": 10, "b": 10}, SecretRules(frequence_min=2)) == ""


def test_the_only_unit_of_a_cell_does_not_stop_the_other_attackers():
    """required mutant 13 (``continue`` → ``break``): b holds all of the cell, z (another company of the
    branch, which knows its own figures elsewhere) must still find it feasible within p %."""
    assert required(10, {"b": 10}, ["b", "z"], 0.1) == [(OUTSIDER, 1), ("z", 1)]
    assert required(10, {"b": 10}, ["a", "b", "z"], 0.1) == [(OUTSIDER, 1), ("a", 1), ("z", 1)]


def test_a_group_of_many_small_companies_is_attacked_by_the_unit_of_largest_excess():
    """count_safe mutants 41, 45 (the strongest attacker of a unit taken as the second-largest excess): A (21
    people, 1 company) knows the group G (200 companies of one person) has at most 241 − 21 − 2 = 218 < 220
    people: G's figure is bounded within 10 %, the number of companies must not be published."""
    companies = {"A": 21.0, "B": 10.0, "C": 10.0} | {f"g{i}": 1.0 for i in range(200)}
    groups = {f"g{i}": "G" for i in range(200)}
    assert not _count_safe_by_hand(companies, groups, 0.1)
    assert not count_safe(companies, groups, 0.1)
    assert count_safe({"A": 21.0, "B": 10.0, "C": 10.0} | {f"g{i}": 1.0 for i in range(150)},
                      {f"g{i}": "G" for i in range(150)}, 0.1)


def test_the_cost_mode_decides_between_people_and_cells():
    """choose mutant 5 (the cost mode ignored): T = A + B + C + D with A = B = C = 1 and D = 10; A must move by
    2 for the outsider. Hiding the fewest people masks B and C (2 people), the fewest cells masks D alone."""
    keys = [("t",), ("a",), ("b",), ("c",), ("d",)]
    s = build_system(keys, [13, 1, 1, 1, 10], [False] * 5, [(keys[0], tuple(keys[1:]))], {})
    must = np.array([False, True, False, False, False])
    free = np.array([False, False, True, True, True])
    need = [Requirement(1, "", 2, 1)]
    assert list(choose(s, must, free, need, "effectif")) == [False, True, True, True, False]
    assert list(choose(s, must, free, need, "cellules")) == [False, True, False, False, True]
