"""Breakdowns per métier (sexe, âge, contrat, statut, temps…) and the ETP measure, as a campaign declares them.

A breakdown is a set of categories that partition a row's headcount. In the long-form data a breakdown's
figure is the measure ``effectif`` with the category ``<breakdown>=<category>`` (``sexe=femmes``); a crossed
pair (sexe × âge, for the age pyramid) is one more breakdown whose categories are the pairs
(``sexe=femmes&age=moins-de-26-ans``). Full-time equivalents are the measure ``etp``, category ``tout``
(only where given); the consolidation adds the measure ``effectif_etp``, the headcount of the rows whose ETP
are given.

Entry point: :func:`parse_breakdowns` (the ``[[ventilations]]`` and ``[saisie]`` sections of a campaign file).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

from .texts import config as T
from .texts import fr
from .texts import labels as L
from .vocab import TOUT

ETP = "etp"
ETP_COVERED = "effectif_etp"  # the headcount of the rows whose ETP are given: what the ETP are a share of
NON_RENSEIGNE = "non-renseigne"
CROSS = "*"          # in a crossed breakdown's key: "sexe*age"
PAIR = "&"           # in a crossed category: "sexe=femmes&age=26-35"
DEFAULT_SHARE_GAP = 10.0  # points: a category's share of a row moving more than this from N−1 is a warning
PYRAMID = ("sexe", "age")  # the one crossed pair: the age pyramid, the two categories of « sexe » either side
# Every fixed sheet name of the workbooks (labels.SHEET_*, read from the catalogue so that a new sheet is never left
# out): a breakdown's own sheet is named apart from them all.
FIXED_SHEETS = tuple(v for k, v in vars(L).items() if k.startswith("SHEET_") and isinstance(v, str) and "{" not in v)


def _code(text: str) -> str:
    s = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-") or "x"


@dataclass(frozen=True)
class Breakdown:
    """One breakdown: its key (``sexe``), French label, categories (code, label) in order — the
    « non renseigné » one last when allowed — and the breakdowns it crosses (a crossed pair)."""

    key: str
    label: str
    categories: tuple[tuple[str, str], ...]
    non_renseigne: bool = False
    crosses: tuple[str, ...] = ()

    def category(self, code: str) -> str:
        """The long-form category of one of its categories."""
        return f"{self.key}={code}" if not self.crosses else code

    @property
    def long_categories(self) -> list[str]:
        return [self.category(code) for code, _ in self.categories]

    def heading(self, code: str, label: str) -> str:
        """The column heading of a category: unique across the template's columns."""
        if code == NON_RENSEIGNE and not self.crosses:
            return fr(T.BREAKDOWN_NR_HEADING, ventilation=self.label)
        return label


def sheet_name(b: Breakdown) -> str:
    """Its sheet's name, as Excel accepts one: 31 characters, none of []:*?/\\, no apostrophe at either end."""
    name = fr(L.SHEET_BREAKDOWN, ventilation=b.label)
    for ch in "[]:*?/\\":
        name = name.replace(ch, " ")
    return name[:31].rstrip("' ")


def _non_renseigne(b: Breakdown) -> tuple[tuple[str, str], ...]:
    return b.categories + ((NON_RENSEIGNE, T.BREAKDOWN_NR_LABEL),) if b.non_renseigne else b.categories


def crossed(first: Breakdown, second: Breakdown) -> Breakdown:
    """The crossed breakdown of two (without their « non renseigné » categories)."""
    cats = tuple((f"{first.key}={a}{PAIR}{second.key}={b}", fr(T.BREAKDOWN_CROSS_CATEGORY, a=la, b=lb))
                 for (a, la), (b, lb) in itertools.product(first.categories, second.categories))
    return Breakdown(f"{first.key}{CROSS}{second.key}", fr(T.BREAKDOWN_CROSS_LABEL, a=first.label, b=second.label),
                     cats, False, (first.key, second.key))


@dataclass(frozen=True)
class Inputs:
    """What a campaign asks besides the headcount: breakdowns (declared ones, then crossed pairs), ETP, and the
    largest move of a category's share from N−1 (in points) before a warning."""

    breakdowns: tuple[Breakdown, ...] = ()
    etp: bool = False
    share_gap: float = DEFAULT_SHARE_GAP

    @property
    def any(self) -> bool:
        return bool(self.breakdowns) or self.etp

    def of(self, key: str) -> Breakdown | None:
        return next((b for b in self.breakdowns if b.key == key), None)

    def with_categories(self) -> list[Breakdown]:
        """The breakdowns as the template asks them: « non renseigné » included where allowed."""
        return [Breakdown(b.key, b.label, _non_renseigne(b), b.non_renseigne, b.crosses) for b in self.breakdowns]

    @property
    def totals_only(self) -> frozenset[str]:
        """Categories the published edition shows for families, groups and the branch only: those of the crossed
        pairs (the age pyramids); by métier they would be mostly masked, and protecting them all is costly."""
        return frozenset(c for b in self.breakdowns if b.crosses for c in b.long_categories)

    def partitions(self) -> list[tuple[str, tuple[str, ...]]]:
        """How the categories of every cell add up, as (whole, parts) in long-form categories: a breakdown's
        categories make up ``tout``; a crossed pair's make up each category of a breakdown it crosses when that
        breakdown has no « non renseigné » (the checks then make them agree, company by company)."""
        out = [(TOUT, tuple(b.long_categories)) for b in self.with_categories()]
        for b in self.breakdowns:
            for key in b.crosses:
                margin = self.of(key)
                if margin is None or margin.non_renseigne:
                    continue
                for code, _ in margin.categories:
                    whole = margin.category(code)
                    out.append((whole, tuple(c for c in b.long_categories if whole in c.split(PAIR))))
        return out

    def labels(self) -> dict[str, tuple[str, str]]:
        """Each long-form category, as its breakdown and its category are named for readers (« Sexe »,
        « Femmes »; a crossed pair's « Sexe × Âge », « Femmes, moins de 26 ans »)."""
        return {b.category(code): (b.label, label) for b in self.with_categories() for code, label in b.categories}

    @property
    def pyramid(self) -> Breakdown | None:
        """A crossed sexe × âge pair, when declared: the age pyramid is drawn from it."""
        return next((b for b in self.breakdowns if b.crosses), None)


def parse_breakdowns(data: dict, problems: list[str]) -> Inputs:
    """The ``[[ventilations]]`` and ``[saisie]`` sections, checked (problems in French)."""
    declared = data.get("ventilations") or []
    saisie = data.get("saisie") or {}
    if not isinstance(declared, list) or not isinstance(saisie, dict):
        problems.append(T.BREAKDOWN_FORMAT)
        return Inputs()
    out: list[Breakdown] = []
    seen_labels: set[str] = set()
    for i, v in enumerate(declared, start=1):
        where = fr(T.BREAKDOWN_WHERE, n=i)
        if not isinstance(v, dict):
            problems.append(fr(T.BREAKDOWN_ENTRY, ou=where))
            continue
        key, label, cats = v.get("identifiant"), v.get("libelle"), v.get("categories")
        nr = v.get("non_renseigne", False)
        if not isinstance(key, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", key.strip()):
            problems.append(fr(T.BREAKDOWN_KEY, ou=where, valeur=key))
            continue
        if not isinstance(label, str) or not label.strip():
            problems.append(fr(T.BREAKDOWN_LABEL, ou=where))
            continue
        if not isinstance(cats, list) or len(cats) < 2 or not all(isinstance(c, str) and c.strip() for c in cats):
            problems.append(fr(T.BREAKDOWN_CATEGORIES, ou=where))
            continue
        if not isinstance(nr, bool):
            problems.append(fr(T.BREAKDOWN_NR, ou=where, valeur=nr))
            continue
        codes = [_code(c) for c in cats]
        labels = [" ".join(c.split()) for c in cats]
        clash = [c for c in labels if _code(c) in seen_labels] + \
            [c for c, n in zip(labels, codes) if codes.count(n) > 1 or n == NON_RENSEIGNE]
        if clash or any(b.key == key.strip() for b in out):
            problems.append(fr(T.BREAKDOWN_DUPLICATE, ou=where, valeur=", ".join(clash) or key))
            continue
        seen_labels.update(codes)
        out.append(Breakdown(key.strip(), " ".join(label.split()), tuple(zip(codes, labels)), nr))
    etp = saisie.get("etp", False)
    if not isinstance(etp, bool):
        problems.append(fr(T.BREAKDOWN_ETP, valeur=etp))
        etp = False
    gap = saisie.get("ecart_part_max", DEFAULT_SHARE_GAP)
    if not isinstance(gap, (int, float)) or isinstance(gap, bool) or not 0 < gap <= 100:
        problems.append(fr(T.BREAKDOWN_GAP, valeur=gap))
        gap = DEFAULT_SHARE_GAP
    crosses = saisie.get("croisements", [])
    if not isinstance(crosses, list):
        problems.append(fr(T.BREAKDOWN_CROSS, valeur=crosses))
        crosses = []
    pairs: list[Breakdown] = []
    known = {b.key: b for b in out}
    for pair in crosses:
        if not (isinstance(pair, list) and len(pair) == 2 and all(p in known for p in pair) and pair[0] != pair[1]):
            problems.append(fr(T.BREAKDOWN_CROSS, valeur=pair))
        elif tuple(pair) != PYRAMID or len(known[PYRAMID[0]].categories) != 2 or pairs:
            # The pyramid's chart puts the two sexes either side of the axis, by age band: no other crossing is drawn
            # nor published.
            problems.append(fr(T.BREAKDOWN_PYRAMID, valeur=pair))
        else:
            pairs.append(crossed(known[pair[0]], known[pair[1]]))
    _distinct_sheets(out + pairs, problems)
    return Inputs(tuple(out + pairs), etp, float(gap))


def _distinct_sheets(breakdowns: list[Breakdown], problems: list[str]) -> None:
    """Each breakdown's sheet named apart from the others and from the fixed sheets (as Excel compares names)."""
    taken = {name.casefold() for name in FIXED_SHEETS}
    declared = 0
    for b in breakdowns:
        declared += not b.crosses
        name = sheet_name(b)
        if name.casefold() in taken:
            where = T.BREAKDOWN_CROSS_WHERE if b.crosses else fr(T.BREAKDOWN_WHERE, n=declared)
            problems.append(fr(T.BREAKDOWN_SHEET, ou=where, libelle=b.label, feuille=name))
        taken.add(name.casefold())


def breakdowns_toml(inputs: Inputs) -> str:
    """The ``[saisie]`` and ``[[ventilations]]`` sections of a campaign file (``nouvelle-campagne`` starts from
    the previous campaign's declarations); "" when the campaign asks for none."""
    if not inputs.any:
        return ""

    def s(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    crosses = [b.crosses for b in inputs.breakdowns if b.crosses]
    lines = ["", T.BREAKDOWN_TOML_HELP.rstrip("\n"), "[saisie]", f"etp = {'true' if inputs.etp else 'false'}",
             f"ecart_part_max = {inputs.share_gap:g}",
             "croisements = [" + ", ".join(f"[{s(a)}, {s(b)}]" for a, b in crosses) + "]"]
    for b in inputs.breakdowns:
        if b.crosses:
            continue
        lines += ["", "[[ventilations]]", f"identifiant = {s(b.key)}", f"libelle = {s(b.label)}",
                  "categories = [" + ", ".join(s(label) for _, label in b.categories) + "]",
                  f"non_renseigne = {'true' if b.non_renseigne else 'false'}"]
    return "\n".join(lines) + "\n"
