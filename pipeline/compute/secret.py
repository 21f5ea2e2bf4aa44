"""Statistical confidentiality of the published edition ("secret statistique"), to the standard of τ-Argus.

Entry point: :func:`protect`. The published edition must not let anyone — an outside reader, or one of the
branch's companies using its own figures — estimate one company's headcount too closely.

- **Units**: a company, or its holding group (``groupe`` in the campaign file): a group counts as one
  contributor and attacks with all its companies' figures.
- **Primary rules** on every cell with people: fewer than ``frequence_min`` units (frequency); then either
  one unit above ``dominance`` of the cell (dominance, Insee's (1, 85) rule, the default) or the p % rule
  (``regle = "p%"``: the cell less its two largest units is below p % of the largest).
- **Protection intervals** (rtauargus's MAN(p), p = 10 by default): after suppression every primary cell must
  stay feasible, for the outsider, anywhere within ± p % of its value; for each unit c, up to p % of the
  largest other unit's figure beyond what the remaining units already hide — τ-Argus's protection level of
  the p % rule, which is exactly "c cannot bound another company's figure within p %".
- **Secondary cells** are chosen at least cost (people hidden, or cells hidden: ``cout``) by a mixed-integer
  programme (:mod:`~pipeline.compute.secret_cost`), and the pattern is audited by linear programming for the
  outsider and every unit (:mod:`~pipeline.compute.secret_lp`).
- **Counts of companies**: never published for a masked cell; published for a published cell only when no
  unit could use it to bound another's figure within p % (each contributor has at least one person).
- **Linked tables** (:mod:`~pipeline.compute.secret_tables`): every measure and category of the branch
  table, the declared breakdowns and, with a previous campaign, its edition and the evolution columns are one
  system of relations; an evolution is published only when the cell and its N−1 figure both are.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core import models
from ..core.campaign import SECRET_DEFAULTS
from ..core.layout import Cell
from ..core.models import DataFrame
from ..core.nomenclature import Nomenclature
from ..core.texts import fr
from ..core.texts import labels as L
from ..core.vocab import EFFECTIF, TOUT, SecretReason
from .branch import Branch
from .secret_cost import GAP, LOOSE_GAP, choose, without_useless
from .secret_lp import OUTSIDER, TOLERANCE, Auditor, Requirement, build_system
from .secret_report import describe
from .secret_tables import (
    CURRENT,
    EVOLUTION,
    FREE,
    KEY,
    MASKED,
    PREVIOUS,
    PUBLISHED,
    Linked,
    branch_tables,
    own_figures,
    own_units,
    restricted,
    shares,
    steps_of,
    sums_of,
    unit_of,
    with_previous,
)

FREQUENCY, DOMINANCE, SECONDARY = SecretReason.FREQUENCY, SecretReason.DOMINANCE, SecretReason.SECONDARY
P_RULE, UNPUBLISHED = SecretReason.P_RULE, SecretReason.UNPUBLISHED
PRIMARY = (FREQUENCY, DOMINANCE, P_RULE)


@dataclass(frozen=True)
class SecretRules:
    frequence_min: int = SECRET_DEFAULTS["frequence_min"]
    dominance: float = SECRET_DEFAULTS["dominance"]
    p: float = SECRET_DEFAULTS["p"]        # percent: the p % rule and the protection interval ± p %
    regle: str = SECRET_DEFAULTS["regle"]  # the primary rule besides frequency: "dominance" or "p%"
    cout: str = SECRET_DEFAULTS["cout"]    # what secondary suppression minimises: "effectif" (people) or "cellules"
    groupes: tuple[tuple[str, str], ...] = ()  # (company, holding group)

    @property
    def share(self) -> float:
        return self.p / 100.0

    @property
    def holdings(self) -> dict[str, str]:
        return dict(self.groupes)


@dataclass(frozen=True)
class PreviousEdition:
    """The previous campaign's table, the protection its edition was published with, and for each row of
    the current table the previous cells its N−1 figure adds up (None when not comparable)."""

    branch: Branch
    nomenclature: Nomenclature
    protection: "Protection"
    compositions: Mapping[Cell, tuple[Cell, ...] | None]


@dataclass(frozen=True)
class Protection:
    rules: SecretRules
    cells: DataFrame[models.CellulesSecret]  # every cell of the edition; motif "" when published
    evolution: pd.DataFrame | None = None    # niveau, code, mesure, categorie, precedent_publie, evolution_publiee
    coherence: pd.DataFrame | None = None    # with a previous campaign: cells published in one, masked in the other
    previous_masked: frozenset = frozenset()  # with a previous campaign: the headcount cells its edition masked

    def part(self, mesure: str = EFFECTIF, categorie: str = TOUT) -> pd.DataFrame:
        c = self.cells
        return c[(c["mesure"] == mesure) & (c["categorie"] == categorie)]

    @property
    def masked(self) -> set[Cell]:
        return self.masked_of()

    def masked_of(self, mesure: str = EFFECTIF, categorie: str = TOUT) -> set[Cell]:
        m = self.part(mesure, categorie)
        m = m[m["motif"] != ""]
        return set(zip(m["niveau"], m["code"]))

    @property
    def hidden(self) -> pd.DataFrame:
        """Every cell the edition shows masked (« s »), the breakdowns' included: not those it does not show."""
        return self.cells[~self.cells["motif"].isin(["", UNPUBLISHED])]

    def unpublished_of(self, mesure: str = EFFECTIF, categorie: str = TOUT) -> set[Cell]:
        """Cells the edition does not show at all (a crossed pair below the families)."""
        m = self.part(mesure, categorie)
        m = m[m["motif"] == UNPUBLISHED]
        return set(zip(m["niveau"], m["code"]))

    def reason(self, niveau: str, code: str) -> str:
        """Why the headcount's cell is masked ("" when published)."""
        return self._reasons.get((niveau, code), "")

    @functools.cached_property
    def _reasons(self) -> dict[Cell, str]:
        """The headcount's reasons by cell, worked out once: the tables ask for each of their rows (two masks over
        every cell of the edition per row were 2.5 ms a row, 0.13 s of a 100-company consolidation)."""
        m = self.part()
        out: dict[Cell, str] = {}
        for cell, motif in zip(zip(m["niveau"], m["code"]), m["motif"]):
            out.setdefault(cell, str(motif))
        return out

    @property
    def hidden_counts(self) -> set[Cell]:
        return self.hidden_counts_of()

    def hidden_counts_of(self, mesure: str = EFFECTIF, categorie: str = TOUT) -> set[Cell]:
        """Cells whose number of companies the published edition does not show."""
        m = self.part(mesure, categorie)
        m = m[~m["societes_publiees"]]
        return set(zip(m["niveau"], m["code"]))


def published_ranges(protection: Protection) -> dict[Cell, tuple[float, float]]:
    """What an outside reader can infer about each masked cell of the main table: its interval (max ``inf``
    when unbounded)."""
    m = protection.part()
    m = m[m["motif"] != ""]
    return {(n, c): (float(lo), float(hi)) for n, c, lo, hi in zip(m["niveau"], m["code"], m["bas"], m["haut"])}


def rules_of(campaign) -> SecretRules:
    s = campaign.secret
    holdings = tuple((c, g) for c, g in zip(campaign.societes["identifiant"], campaign.societes["groupe"]) if g) \
        if "groupe" in campaign.societes else ()
    kinds = {"frequence_min": int, "dominance": float, "p": float, "regle": str, "cout": str}
    return SecretRules(**{k: kind(s[k]) for k, kind in kinds.items() if k in s}, groupes=holdings)


def primary_reason(value: float, units: Mapping[str, float], rules: SecretRules) -> str:
    """The primary rule a cell breaks ("" when none): value, and each contributing unit's part."""
    if value <= 0:
        return ""  # nobody to protect
    parts = sorted(units.values(), reverse=True)
    if len(parts) < rules.frequence_min:
        return FREQUENCY
    if rules.regle == "p%":
        if value - parts[0] - (parts[1] if len(parts) > 1 else 0) < rules.share * parts[0] - TOLERANCE:
            return P_RULE
    elif parts[0] > rules.dominance * value + TOLERANCE:
        return DOMINANCE
    return ""


def required(value: float, units: Mapping[str, float], attackers: Sequence[str], p: float
             ) -> list[tuple[str, int]]:
    """The deviation each attacker must find feasible around a primary cell, in whole people: the outsider
    ± p % of the value; unit c, p % of the largest other unit less what the remaining units hide."""
    out = [(OUTSIDER, max(1, math.ceil(p * value - TOLERANCE)))]
    for c in attackers:
        others = [v for u, v in units.items() if u != c]
        if not others:
            continue
        largest = max(others)
        need = p * largest - (value - units.get(c, 0.0) - largest)
        if need > TOLERANCE:
            out.append((c, math.ceil(need - TOLERANCE)))
    return out


def count_safe(companies: Mapping[str, float], unit: Mapping[str, str], p: float) -> bool:
    """Whether a published cell's number of companies can be published: knowing it (each contributor has at
    least one person), no unit — nor an outsider — bounds another unit's figure within p % from above.

    Attacker g bounds unit t by value − own_g − (n − companies_g − companies_t), which exceeds t's figure by
    (value − n) − excess_g − excess_t, an excess being a unit's people beyond one per company: the strongest
    attacker of t is the unit of largest excess other than t."""
    value, n = sum(companies.values()), len(companies)
    excess: dict[str, float] = {}
    totals: dict[str, float] = {}
    for company, v in companies.items():
        u = unit.get(company, company)
        totals[u] = totals.get(u, 0.0) + v
        excess[u] = excess.get(u, 0.0) + v - 1
    top = sorted(excess.values(), reverse=True) + [0.0, 0.0]
    for t, x in totals.items():
        strongest = max(top[1] if excess[t] == top[0] else top[0], 0.0)  # 0.0: the outsider
        if (value - n) - excess[t] - strongest < p * x - TOLERANCE:
            return False
    return True


def _requirements(system, reasons: Mapping[tuple, str], units: Mapping[tuple, dict],
                  p: float) -> list[Requirement]:
    out = []
    for key, reason in reasons.items():
        if reason in PRIMARY:
            i = system.index[key]
            for attacker, deviation in required(system.value[i], units.get(key, {}), system.units, p):
                out.append(Requirement(i, attacker, deviation, deviation))
    return out


def protect(branch: Branch, nomenclature: Nomenclature, rules: SecretRules | None = None,
            previous: PreviousEdition | None = None,
            breakdowns: Mapping[str, Sequence[str]] | None = None,
            partitions: Sequence[tuple[str, Sequence[str]]] = (),
            totals_only: frozenset[str] = frozenset()) -> Protection:
    """Which cells the published edition masks, why, and what each attacker can still infer. ``breakdowns``,
    ``partitions`` and ``totals_only``: see :func:`~pipeline.compute.secret_tables.branch_tables`."""
    rules = rules or SecretRules()
    linked = branch_tables(branch, nomenclature, rules.holdings, breakdowns, partitions=partitions,
                           totals_only=totals_only)
    return protect_tables(linked, rules, branch.companies, previous, steps_of(sums_of(breakdowns, partitions)))


def _pattern(linked: Linked, reasons: Mapping[tuple, str], decided: set[tuple], masked: set[tuple],
             rules: SecretRules, gap: float = GAP) -> tuple[set[tuple], list[tuple]]:
    """The masked cells of linked tables at least cost, cells in ``decided`` kept as they are (masked when in
    ``masked``) unless no pattern could then meet every requirement, every primary cell's requirements met; and
    the keys it covered."""
    keys = linked.keys()
    system = build_system(keys, linked.cells["valeur"], linked.cells["signe"], linked.relations, own_figures(linked))
    statut = dict(zip(keys, linked.cells["statut"]))
    requirements = _requirements(system, {k: r for k, r in reasons.items() if k in system.index}, shares(linked),
                                 rules.share)
    must = np.array([k in reasons or k in masked or statut[k] == MASKED for k in keys])
    maskable = np.array([statut[k] == FREE and k not in reasons and v > 0 for k, v in zip(keys, system.value)])
    try:
        chosen = choose(system, must, maskable & np.array([k not in decided for k in keys]), requirements, rules.cout,
                        gap)
    except RuntimeError:  # what an earlier step published leaves no way: it may mask more of it (never less)
        chosen = choose(system, must, maskable & ~must, requirements, rules.cout, gap)
    return {k for k, m in zip(keys, chosen) if m}, keys


def protect_tables(linked: Linked, rules: SecretRules, companies: Sequence[str],
                   previous: PreviousEdition | None = None, steps: list[set[str]] | None = None) -> Protection:
    """:func:`protect` on linked tables given as cells, relations and contributions.

    ``steps`` (:func:`~pipeline.compute.secret_tables.steps_of`): protect the tables a few categories at a time,
    each step keeping what the earlier ones decided — smaller programmes, much faster than all at once. The
    whole pattern is then audited for every attacker over every table together; should a requirement fail (two
    breakdowns narrowing the same masked cell between them), the pattern is completed over all the tables at
    once."""
    keys = linked.keys()
    by_unit = shares(linked)
    system = build_system(keys, linked.cells["valeur"], linked.cells["signe"], linked.relations,
                          own_figures(linked, by_unit))
    statut = dict(zip(keys, linked.cells["statut"]))
    reasons = {k: r for k in keys if statut[k] == FREE and (r := primary_reason(system.value[system.index[k]],
                                                                                by_unit.get(k, {}), rules))}
    requirements = _requirements(system, reasons, by_unit, rules.share)
    must = np.array([k in reasons or statut[k] == MASKED for k in keys])
    free = np.array([statut[k] == FREE and k not in reasons and v > 0 for k, v in zip(keys, system.value)])
    if steps:
        decided: set[tuple] = set()
        hidden: set[tuple] = set()
        for i, categories in enumerate(steps):  # the main table at least cost, a breakdown within 5 % of it
            found, covered = _pattern(restricted(linked, categories), reasons, decided, hidden, rules,
                                      GAP if i == 0 else LOOSE_GAP)
            hidden |= found
            decided |= set(covered)
        masked = np.array([k in hidden for k in keys]) | must
        if Auditor(system, masked).violations(requirements):
            masked = choose(system, masked, free & ~masked, requirements, rules.cout)
    else:
        masked = choose(system, must, free, requirements, rules.cout)
    masked = without_useless(system, masked, np.array([k in reasons or statut[k] != FREE for k in keys]))
    auditor = Auditor(system, masked)
    for k, m in zip(keys, masked):
        if m and k not in reasons and statut[k] == FREE:
            reasons[k] = SECONDARY
    report = describe(system, auditor, keys, reasons, requirements, PRIMARY)
    units = unit_of(companies, rules.holdings)
    by_company = by_unit if own_units(linked) else shares(linked, "societe")
    cells = linked.cells[linked.cells["tableau"] == CURRENT].copy()
    current = list(cells[KEY].itertuples(index=False, name=None))
    cells["effectif"] = cells["valeur"].round().astype(int)
    cells["nb_societes"] = [len(by_company.get(k, {})) for k in current]
    cells["nb_unites"] = [len(by_unit.get(k, {})) for k in current]
    cells["part_max"] = [min(max(by_unit.get(k, {0: 0}).values()) / v, 1.0) if v > 0 else 0.0
                         for k, v in zip(current, cells["valeur"])]
    cells["motif"] = [str(reasons.get(k) or (UNPUBLISHED if statut[k] == MASKED else "")) for k in current]
    cells["societes_publiees"] = [not reasons.get(k) and count_safe(by_company.get(k, {}), units, rules.share)
                                  for k in current]
    cells = cells.merge(report, on=KEY, how="left").drop(columns=["tableau", "valeur", "signe", "statut"])
    cells = models.validate(models.CellulesSecret, cells.fillna({"protege": "", "initie": ""}).reset_index(drop=True))
    protection = Protection(rules, cells)
    return protection if previous is None else _linked_to(protection, linked, previous)


def _keys(protection: Protection, tableau: str, primary_only: bool = False) -> dict[tuple, str]:
    """The masked cells of a protection (or its primary cells only) as keys of ``tableau``, with their reason."""
    c = protection.cells
    return {(tableau, n, code, m, cat): str(r)
            for n, code, m, cat, r in c[["niveau", "code", "mesure", "categorie", "motif"]].itertuples(index=False,
                                                                                                       name=None)
            if r and (r in PRIMARY or not primary_only)}


def _linked_to(protection: Protection, linked: Linked, previous: PreviousEdition) -> Protection:
    """The protection audited together with the previous edition and the evolution columns, and which N−1
    figures and evolutions the published edition shows.

    Only the headcount has an evolution, and it is published only beside both its figures, so it tells nothing
    new by construction: the audit below, which checks that, looks at the headcount's tables (the breakdowns
    were audited with them already)."""
    rules = protection.rules
    linked = restricted(linked, {TOUT})
    before = branch_tables(previous.branch, previous.nomenclature, rules.holdings, tableau=PREVIOUS)
    now = linked.cells.copy()
    masked_now = _keys(protection, CURRENT)
    now["statut"] = [MASKED if k in masked_now else PUBLISHED for k in now[KEY].itertuples(index=False, name=None)]
    joint = with_previous(Linked(now, linked.contributions, linked.relations), before,
                          set(_keys(previous.protection, PREVIOUS)), previous.compositions)
    keys = joint.keys()
    statut = dict(zip(keys, joint.cells["statut"]))
    shown = []
    for cell, children in joint.relations:
        if cell[0] == CURRENT and children and children[-1][0] == EVOLUTION:
            n1 = all(statut[c] != MASKED for c in children[:-1])
            statut[children[-1]] = PUBLISHED if n1 and statut[cell] != MASKED else MASKED
            shown.append((*cell[1:], n1, statut[children[-1]] == PUBLISHED))
    system = build_system(keys, joint.cells["valeur"], joint.cells["signe"], joint.relations, own_figures(joint))
    primaries = {k: r for k, r in {**_keys(protection, CURRENT, True),
                                   **_keys(previous.protection, PREVIOUS, True)}.items() if k in system.index}
    masked = np.array([statut[k] == MASKED for k in keys])
    failed = Auditor(system, masked).violations(_requirements(system, primaries, shares(joint), rules.share))
    if failed:  # pragma: no cover — an evolution is published only beside both its figures
        raise RuntimeError(f"linked tables: {len(failed)} protection requirements fail with the previous edition")
    evolution = pd.DataFrame(shown, columns=["niveau", "code", "mesure", "categorie", "precedent_publie",
                                             "evolution_publiee"])
    return Protection(rules, protection.cells, evolution, protection.coherence)


def consistency(current: Protection, previous: Protection, evolution_rows: pd.DataFrame, table: pd.DataFrame,
                groups, previous_id: str) -> pd.DataFrame:
    """Comparable cells published in one campaign and masked in the other.

    The published edition shows no evolution for them (it would reveal the masked value); this list says which
    cells must not be compared in any other publication either.
    """
    prev_masked, cur_masked = previous.masked, current.masked
    pairs: list[tuple[Cell, Cell]] = []
    for g in groups:
        if g.one_to_one:
            pairs.append((("metier", g.previous[0]), ("metier", g.current[0])))
    for (niveau, code), n1 in zip(table[["niveau", "code"]].itertuples(index=False, name=None),
                                  evolution_rows["effectif_n1"]):
        if niveau != "metier" and not pd.isna(n1):
            pairs.append(((niveau, code), (niveau, code)))
    labels = dict(zip(zip(table["niveau"], table["code"]), table["libelle"]))
    rows = []
    for before, now in pairs:
        was, is_ = before in prev_masked, now in cur_masked
        if was != is_:
            rows.append(dict(niveau=now[0], code=now[1], libelle=labels.get(now, ""),
                             avant=L.MASKED_WORD if was else L.PUBLISHED_WORD,
                             maintenant=L.MASKED_WORD if is_ else L.PUBLISHED_WORD,
                             note=fr(L.SECRET_COHERENCE_NOTE, campagne=previous_id)))
    return pd.DataFrame(rows, columns=["niveau", "code", "libelle", "avant", "maintenant", "note"])
