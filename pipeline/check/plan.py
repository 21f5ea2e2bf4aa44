"""What the checks of a returned workbook need of its campaign's columns and rows, worked out once per campaign
rather than once per file; and how headings and labels are compared (:func:`norm`)."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from ..core import form
from ..core.campaign import Campaign
from ..core.layout import LayoutRow, build_layout

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")


@functools.lru_cache(maxsize=4096)
def norm(text: str) -> str:
    """Compare headings and labels loosely: case, accents, spaces."""
    s = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _SPACES.sub(" ", s).strip().lower()


@dataclass(frozen=True)
class Plan:
    """What the checks need of a campaign's columns and rows, worked out once per campaign: ``fixed``, (key,
    normalised heading) of each column that is not an input; ``inputs``, (column, normalised heading, normalised
    first word) of each input column; ``headings``, every column's normalised heading; ``rows``, (key, row) of each
    input row of the layout, and ``input_keys`` their keys; ``structure_keys`` and ``structure_labels``, the
    template's other rows (headings, totals) by key, or by normalised label for those without one."""

    fixed: tuple[tuple[str, str], ...]
    inputs: tuple[tuple[form.Column, str, str], ...]
    headings: frozenset[str]
    rows: tuple[tuple[str, LayoutRow], ...]
    input_keys: frozenset[str]
    structure_keys: dict[str, LayoutRow]
    structure_labels: dict[str, LayoutRow]


_PLANS: dict[int, tuple[Campaign, Plan]] = {}  # by id of the campaign, kept alive here so that its id is its own


def plan_of(campaign: Campaign) -> Plan:
    known = _PLANS.get(id(campaign))
    if known is not None and known[0] is campaign:
        return known[1]
    columns = [c for c in form.columns(campaign) if c.key != form.PREVIOUS]
    layout = build_layout(campaign.nomenclature)
    plan = Plan(tuple((c.key, norm(c.heading)) for c in columns if not c.is_input),
                tuple((c, norm(c.heading), norm(c.heading.split(" ")[0])) for c in columns if c.is_input),
                frozenset(norm(c.heading) for c in columns),
                tuple((r.cle, r) for r in layout if r.is_input),
                frozenset(r.cle for r in layout if r.is_input),
                {r.cle: r for r in layout if r.cle and not r.is_input},
                {norm(r.intitule): r for r in layout if not r.cle})
    if len(_PLANS) >= 8:
        _PLANS.clear()
    _PLANS[id(campaign)] = (campaign, plan)
    return plan
