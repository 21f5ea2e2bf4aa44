"""Tests added after reviewing the mutants that survived a mutation run (docs/mutation-testing.md).

Each test names the mutants it kills (mutmut's names). Boundaries are what random data misses: a unit
moving by exactly the materiality threshold, exactly the minimum number of units, a zero either year.
"""

from __future__ import annotations

import importlib
import os
import re
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline.check.yoy import HB_MIN_UNITS, hidiroglou_berthelot
from pipeline.compute.evaluation import EMPTY_HISTORY
from pipeline.compute.lexicon import effective
from pipeline.compute.matching import NOT_VENTILATED, NV, Matcher
from pipeline.core.nomenclature import load_nomenclature
from pipeline.core.titles import load_abbreviations, load_control_set, load_evaluation_set, load_starter_lexicon
from tests.test_yoy import _reference_hb


def _hb(x1, x2) -> set[int]:
    flags = hidiroglou_berthelot(pd.Series(x1, dtype=float), pd.Series(x2, dtype=float))
    return set(np.flatnonzero(flags))


# --- Hidiroglou–Berthelot -------------------------------------------------------------------------

STABLE = [40, 55, 60, 72, 80, 90, 100, 120, 150, 200]  # ten units, unchanged: every unusual move stands out


def test_a_zero_either_year_is_never_tested():
    """x_hidiroglou_berthelot__mutmut_2, 3, 5, 12: units with a zero one year are left to the
    'métier appeared / disappeared' check, however much they move."""
    x1 = STABLE + [0, 500]
    x2 = STABLE + [500, 0]
    assert _hb(x1, x2) == set()


def test_one_person_either_year_is_tested():
    """x_hidiroglou_berthelot__mutmut_4, 6: a unit of one person is a unit like any other."""
    assert _hb(STABLE + [1, 50], STABLE + [50, 1]) == {10, 11}


def test_exactly_the_minimum_number_of_units_is_enough():
    """x_hidiroglou_berthelot__mutmut_13: HB_MIN_UNITS units with both years: the test runs."""
    x1 = STABLE[: HB_MIN_UNITS - 1] + [30]
    x2 = STABLE[: HB_MIN_UNITS - 1] + [60]
    assert len(x1) == HB_MIN_UNITS and _hb(x1, x2) == {HB_MIN_UNITS - 1}
    assert _hb(x1[1:], x2[1:]) == set()  # one fewer: no test


def test_a_move_of_exactly_the_material_thresholds_is_flagged():
    """x_hidiroglou_berthelot__mutmut_71 (3 people), 72 (10 %): the thresholds are inclusive."""
    assert _hb(STABLE + [4], STABLE + [7]) == {10}      # +3 people, +75 %
    assert _hb(STABLE + [50], STABLE + [55]) == {10}    # +5 people, exactly +10 %
    assert _hb(STABLE + [4], STABLE + [6]) == set()     # +2 people: not material
    assert _hb(STABLE + [60], STABLE + [65]) == set()   # +8.3 %: not material


@pytest.mark.parametrize("seed", range(8))
def test_moderate_moves_match_the_independent_computation(seed):
    """x_hidiroglou_berthelot__mutmut_49, 56 (the quartile distances): moderate moves up and down,
    near the fences, against the plain-Python version of tests/test_yoy.py."""
    rng = np.random.default_rng(seed)
    x1 = rng.integers(5, 400, 60)
    x2 = (x1 * rng.normal(1.0, 0.08, 60)).round().astype(int).clip(1)
    x2[:6] = (x1[:6] * rng.uniform(0.45, 0.75, 6)).round()
    x2[6:12] = (x1[6:12] * rng.uniform(1.3, 1.8, 6)).round()
    assert _hb(list(x1), list(x2)) == _reference_hb(list(x1), list(x2))


@pytest.mark.parametrize("seed", [9, 10, 11])
def test_spread_out_moves_match_the_independent_computation(seed):
    """x_hidiroglou_berthelot__mutmut_56 (upper fence distance q3 + median): a spread of ±15 % and
    three big rises; seed 9 has a rise that falls between the true and the mutated fence."""
    rng = np.random.default_rng(seed)
    x1 = rng.integers(5, 400, 30)
    x2 = (x1 * rng.normal(1.0, 0.15, 30)).round().astype(int).clip(1)
    x2[:3] = (x1[:3] * rng.uniform(1.5, 3.0, 3)).round()
    assert _hb(list(x1), list(x2)) == _reference_hb(list(x1), list(x2))


# --- the matcher ------------------------------------------------------------------------------------


@pytest.fixture
def matcher():
    """A fresh matcher for each test (built in the test, so a mutation run maps it to the test): the assistant
    as shipped (nomenclature, table of abbreviations, starter lexicon, empty history)."""
    nomenclature = load_nomenclature()
    return Matcher(nomenclature, load_abbreviations(), effective(load_starter_lexicon(nomenclature), EMPTY_HISTORY))


def test_each_emploi_of_a_split_metier_is_proposed_on_its_own_row(matcher):
    """_labels: the second emploi of 0101 goes on row 0101-2, not 0101-1."""
    assert matcher.propose("Encadrant des chargés d'accueil d'assistance").cle == "0101-2"
    assert matcher.propose("Chargée d'accueil d'assistance").cle == "0101-1"


def test_not_ventilated_titles_and_the_ambiguity_message(matcher):
    """_labels (the NV labels), propose (the message of an ambiguous title): what the review workbook shows."""
    p = matcher.propose("Directeur général")
    assert (p.cle, p.code, p.confident, p.strong) == ("NV", "NV", True, True)
    assert "« Directeur général »" in p.why
    assert {lab.text for lab in matcher.labels if lab.source == NV} == set(NOT_VENTILATED)
    assert matcher.propose("HR Administrator").flag == "hésitation avec NV Non ventilé dans une fiche métier"


def test_an_empty_title_is_no_proposal(matcher):
    """propose: an empty title has no row, no score, no alternative, and is flagged for HR."""
    p = matcher.propose("")
    assert (p.cle, p.code, p.score, p.alternatives, p.strong, p.confident) == ("", "", None, (), False, False)
    assert p.flag


GOLDEN = Path(__file__).parent / "golden" / "suggest_verdicts.txt"


def test_verdicts_on_the_evaluation_titles_are_unchanged(matcher):
    """Every scoring mutant that changes a proposal or a verdict (IDF weights, the fuzzy aliases, the
    Dice formula, the coverage, the authorities of the sources…): the proposal, verdict and score (3 decimals)
    of every title of the evaluation and control sets. After a wanted change of the matcher:
    UPDATE_GOLDEN=1 python -m pytest tests/test_mutation_targets.py, then review the diff (and the
    README's measured accuracy)."""
    nomenclature = load_nomenclature()
    lines = []
    for title in [*load_evaluation_set(nomenclature)["intitule"], *load_control_set(nomenclature)["intitule"]]:
        p = matcher.propose(title)
        verdict = "pré-rempli" if p.strong else "confiant" if p.confident else "signalé"
        score = "-" if p.score is None else f"{p.score:.3f}"
        lines.append(f"{title};{p.cle};{verdict};{score}")
    text = "\n".join(lines) + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_the_emploi_of_a_split_metier_follows_the_exact_label_and_margin_rules(matcher):
    """settle (mutants 11, 15, 17, 20, 22, 24, 28 of the 2026-11-27 run): which row of 0101 a title placed
    under code 0101 goes on — a published emploi figure. Recomputed here from the ranked evidence for every
    evaluation and control title: the row of the one label it is the same as; none under MIN_PROPOSAL;
    the best row when it leads the other by MIN_MARGIN / 2 (or has no rival); none otherwise."""
    from pipeline.compute.matching import MIN_MARGIN, MIN_PROPOSAL

    nomenclature = load_nomenclature()
    titles = [*load_evaluation_set(nomenclature)["intitule"], *load_control_set(nomenclature)["intitule"],
              "Chargé(e) d'accueil d'assistance", "Encadrant(e) des chargé(e)s d'accueil d'assistance",
              "Chargée d'accueil", "Encadrant plateau", "Jardinier paysagiste", ""]
    seen = {"exact": 0, "none": 0, "clear": 0, "alone": 0, "close": 0}
    for title in titles:
        found, read = matcher.evidence(title)
        ranked = [e for e in found if e.label.code == "0101"]
        exact = {e.label.key for e in ranked if e.label.exact == read.key}
        if len(exact) == 1:
            kind, expected = "exact", next(iter(exact))
        elif not ranked or ranked[0].score < MIN_PROPOSAL:
            kind, expected = "none", None
        else:
            rivals = [e.score for e in ranked if e.label.key != ranked[0].label.key]
            lead = ranked[0].score - (rivals[0] if rivals else 0.0)
            kind = "alone" if not rivals else "clear" if lead >= MIN_MARGIN / 2 else "close"
            expected = ranked[0].label.key if lead >= MIN_MARGIN / 2 else None
        seen[kind] += 1
        assert matcher.settle(title, "0101") == expected, (title, kind)
    assert all(seen.values()), seen
    assert matcher.settle("Chargé(e) d'accueil d'assistance", "0101") == "0101-1"
    assert matcher.settle("Encadrant(e) des chargé(e)s d'accueil d'assistance", "0101") == "0101-2"
    # a lead of 0.063 (between MIN_MARGIN / 3 and MIN_MARGIN / 2) settles nothing
    assert matcher.settle("Conseillère d'assistance habitation", "0101") is None


def test_a_generic_title_says_which_word_is_too_general(matcher):
    """propose mutant 27: the review workbook names the generic word HR must make precise."""
    p = matcher.propose("Assistant")
    assert not p.confident and p.flag.startswith("seul un mot trop général rapproche cet intitulé (« ")
    assert "None" not in p.flag and p.flag.endswith(") : précisez le métier")


def test_the_alternatives_shown_to_hr(matcher):
    """propose mutants 63, 64 (and the Proposal it builds): the « autres » column of the review, recomputed
    from the ranked evidence for every evaluation title — other métiers only, each once, scoring at least
    MIN_ALTERNATIVE, a title validated elsewhere first, at most two."""
    from pipeline.compute.matching import MIN_ALTERNATIVE, MIN_PROPOSAL

    nomenclature = load_nomenclature()
    titles = [*load_evaluation_set(nomenclature)["intitule"], *load_control_set(nomenclature)["intitule"]]
    shown = 0
    for title in titles:
        ranked, _read = matcher.evidence(title)
        p = matcher.propose(title)
        if not ranked or ranked[0].score < MIN_PROPOSAL:
            assert p.alternatives == () and p.score is None, title
            continue
        top = ranked[0]
        assert (p.cle, p.code, p.score) == (top.label.key, top.label.code, min(top.score, 1.0)), title
        expected = []
        for e in [e for e in ranked if e.same is not None] + [e for e in ranked if e.same is None]:
            if e.label.code != top.label.code and e.score >= MIN_ALTERNATIVE and e.label.code not in {
                    a[1] for a in expected}:
                expected.append((e.label.key, e.label.code, e.score))
        assert p.alternatives == tuple(expected[:2]), title
        shown += bool(p.alternatives)
    assert shown > 20


# --- the checks of raw cells ------------------------------------------------------------------------

import pandera.pandas as pa  # noqa: E402

from pipeline.core import models  # noqa: E402

# value: (est_nombre, entiere, positive, plausible) — what each check of models.Saisies says
RAW_VALUES = {
    None: (True, True, True, True),
    0: (True, True, True, True),
    7: (True, True, True, True),
    8.0: (True, True, True, True),
    3.5: (True, False, True, True),
    -2: (True, True, False, True),
    -2.5: (True, False, False, True),
    100_000: (True, True, True, True),
    100_001: (True, True, True, False),
    True: (False, True, True, True),
    "douze": (False, True, True, True),
    float("nan"): (False, True, True, True),
    float("inf"): (False, True, True, True),
}


@pytest.mark.parametrize("value", list(RAW_VALUES), ids=repr)
def test_each_raw_cell_check(value):
    """x_is_number__mutmut_*, xǁSaisiesǁ*: each value fails exactly the checks it should."""
    frame = pd.DataFrame({c: ["x"] for c in ("fichier", "societe", "feuille", "cellule", "cle", "mesure", "categorie")})
    frame["brut"] = pd.Series([value], dtype=object)
    frame["nombre"] = pd.Series([value], dtype=object)
    failed = set()
    try:
        models.Saisies.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        failed = set(err.failure_cases.dropna(subset=["index"])["check"])
    names = ("valeur.texte", "valeur.decimale", "valeur.negative", "valeur.invraisemblable")
    assert tuple(name not in failed for name in names) == RAW_VALUES[value]


@pytest.mark.parametrize("title", ["", "   ", "\t"])
def test_a_blank_family_title_is_refused(title):
    """x__not_blank__mutmut_1, 3: the nomenclature's text columns must not be blank."""
    frame = pd.DataFrame({"code_famille": ["01"], "groupe": ["Métiers supports"], "intitule_famille": [title]})
    with pytest.raises(pa.errors.SchemaError, match="texte_requis"):
        models.FamillesCsv.validate(frame)
    frame["intitule_famille"] = ["Opérations"]
    models.FamillesCsv.validate(frame)


# --- the history's rules ----------------------------------------------------------------------------


def test_a_newer_rejected_file_does_not_replace_the_accepted_one(put, campaign, tmp_path, figures):
    """x_latest_accepted__mutmut_7: only accepted submissions compete for 'latest'."""
    from pipeline.core.form import KEY_TOTAL
    from pipeline.store import history
    from tests.conftest import cell_of
    from tests.helpers import run_campaign

    good = put("acta")
    os.utime(good, (1_700_000_000, 1_700_000_000))
    run_campaign(campaign, tmp_path)
    good.unlink()
    put("acta", lambda wb, ws: ws.__setitem__(cell_of(ws, "0102"), "beaucoup"), name="acta_v2.xlsx")
    run = run_campaign(campaign, tmp_path, consolidate_it=True)
    assert run.checked.fichiers["statut"].tolist() == ["rejeté"]
    assert run.accepted.retenues["fichier"].tolist() == [good.name]
    assert run.consolidation.table.set_index("niveau").loc["branche", "effectif"] == figures["acta"][KEY_TOTAL]
    conn = history.connect(history.default_path(tmp_path))
    latest = history.latest_accepted(conn, "2007")
    # x_latest_accepted__mutmut_13, 27: the same columns as the submissions, one row per company
    assert list(latest.columns) == list(history.submissions(conn, "2007").columns)
    assert list(latest.index) == [0]


# --- confidentiality ----------------------------------------------------------------------------------


def test_an_emploi_of_one_company_masks_its_sibling_emploi():
    """x_relations_of__mutmut_5, 7: 0101 = 0101-1 + 0101-2 is one of the published sums. 0101-2 has
    one company: masked; 0101-1 must go with it, or 0101 − 0101-1 gives it away."""
    from pipeline.compute.secret import FREQUENCY, SECONDARY
    from pipeline.core.campaign import embedded_campaign_path, load_campaign
    from tests.auditor import assert_resists, published_from
    from tests.tables import protect_figures

    campaign = load_campaign(embedded_campaign_path("2007"))
    fills = {f"s{i}": {"0101-1": 10 + i, "0102": 20 + i, "NV": 5} for i in range(5)}
    fills["s0"]["0101-2"] = 2
    p = protect_figures(campaign, fills)
    assert p.reason("emploi", "0101-2") == FREQUENCY and p.reason("emploi", "0101-1") == SECONDARY
    assert ("metier", "0101") not in p.masked  # 5 companies, none dominant: published
    assert_resists(*published_from(p), fills, campaign.nomenclature)
    assert p.reason("metier", "9999") == ""  # xǁProtectionǁreason__mutmut_10, 15: unknown cell, no reason


# --- the mutation run's targets ---------------------------------------------------------------------


def test_every_target_of_the_mutation_run_names_code_that_exists():
    """tools/mutation-test.sh names mutants by function (``x_name__*``) or class (``xǁClassǁ…``): a function renamed
    or moved leaves a pattern that matches no mutant, and the run silently tests less. Each module is mutated."""
    root = Path(__file__).resolve().parent.parent
    script = (root / "tools" / "mutation-test.sh").read_text(encoding="utf-8")
    mutated = set(tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]["only_mutate"])
    patterns = re.findall(r"'(pipeline\.[^']+)'", script)
    assert len(patterns) > 30
    for pattern in patterns:
        module_name, _, name = pattern.rpartition(".")
        module = importlib.import_module(module_name)
        assert module_name.replace(".", "/") + ".py" in mutated, pattern
        if name.startswith("xǁ"):
            cls, _, rest = name[2:].partition("ǁ")
            assert hasattr(module, cls), pattern
            assert rest == "*" or hasattr(getattr(module, cls), rest.removesuffix("__*")), pattern
        else:
            assert name.startswith("x_") and name.endswith("__*"), pattern
            assert hasattr(module, name[2:].removesuffix("__*")), pattern
