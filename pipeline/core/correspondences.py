"""The correspondence table between two campaigns' nomenclatures, checked against both.

Entry points: :func:`previous_campaign` (a campaign's previous one, its table checked) and
:func:`correspondences_between` (the table that links two nomenclatures, as the evolution reads it).

A nomenclature's ``correspondances.csv`` describes what changed since the previous campaign's nomenclature;
a code found in both nomenclatures and not listed there is the same métier. The evolution and the
year-over-year checks read it that way (:func:`pipeline.compute.evolution.comparable_groups`), so a table
that leaves a métier out gives wrong figures without a word: :func:`check_correspondences` refuses it. Every
previous code the table does not link to itself (gone from the new nomenclature, or listed in the table) must
be a ``code_precedent``; every current code likewise a ``code``; every ``code_precedent`` a code of the
previous nomenclature (the ``code`` column is checked against its own nomenclature when it is loaded).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from .campaign import Campaign, load_campaign
from .errors import UserError
from .nomenclature import CORRESPONDENCES_FILE, Nomenclature, default_nomenclature_dir
from .texts import config as T
from .texts import fr


def same_nomenclature(previous: Nomenclature, current: Nomenclature) -> bool:
    """Both loaded from one folder: nothing changed between them, whatever its table says (it describes the
    change from an earlier nomenclature, when a campaign keeps its previous one's folder)."""
    return Path(previous.source).resolve() == Path(current.source).resolve()


def correspondences_between(previous: Nomenclature, current: Nomenclature) -> pd.DataFrame:
    """The links from ``previous`` to ``current``: ``current``'s table, or none when they are the same."""
    return current.correspondances.iloc[0:0] if same_nomenclature(previous, current) else current.correspondances


def _folder(nomenclature: Nomenclature) -> str:
    default = Path(nomenclature.source).resolve() == default_nomenclature_dir().resolve()
    return T.CORRESPONDENCE_SHIPPED if default else nomenclature.source


def check_correspondences(previous: Nomenclature, current: Nomenclature, previous_id: str, current_id: str) -> None:
    """Refuse (:class:`UserError`, every problem listed) a table of ``current`` that does not describe the
    change from ``previous``; the campaigns' identifiers name them in the message."""
    if same_nomenclature(previous, current):
        return
    table = current.correspondances
    path = Path(current.source) / CORRESPONDENCES_FILE
    before = dict(zip(previous.metiers["code_metier"], previous.metiers["intitule_metier"]))
    now = dict(zip(current.metiers["code_metier"], current.metiers["intitule_metier"]))
    as_previous, as_current = set(table["code_precedent"]) - {""}, set(table["code"]) - {""}
    problems = [fr(T.CORRESPONDENCE_UNKNOWN_PREVIOUS, fichier=path.name, ligne=line, code=code, precedente=previous_id)
                for line, code in table["code_precedent"].items() if code and code not in before]
    for code in sorted(set(before) - as_previous):
        if code not in now:
            problems.append(fr(T.CORRESPONDENCE_GONE, code=code, intitule=before[code], precedente=previous_id))
        elif code in as_current:
            problems.append(fr(T.CORRESPONDENCE_ONLY_AS_CODE, code=code, intitule=before[code]))
    for code in sorted(set(now) - as_current):
        if code not in before:
            problems.append(fr(T.CORRESPONDENCE_NEW, code=code, intitule=now[code], campagne=current_id))
        elif code in as_previous:
            problems.append(fr(T.CORRESPONDENCE_ONLY_AS_PREVIOUS, code=code, intitule=now[code]))
    if problems:
        raise UserError(fr(T.CORRESPONDENCE_MISMATCH, chemin=path, precedente=previous_id, campagne=current_id,
                           dossier_precedent=_folder(previous), dossier=_folder(current)),
                        [*problems, fr(T.CORRESPONDENCE_MISMATCH_HELP, fichier=path.name, campagne=current_id)])


def previous_campaign(campaign: Campaign, root: str | Path) -> Campaign | None:
    """The campaign ``campaign`` follows (None when it follows none), once its nomenclature's correspondence
    table is found to describe the change between them (:func:`check_correspondences`)."""
    if not campaign.precedente:
        return None
    before = load_campaign(campaign.precedente, root)
    check_correspondences(before.nomenclature, campaign.nomenclature, before.identifiant, campaign.identifiant)
    return before


def following(campaign: Campaign, root: str | Path) -> Campaign:
    """``campaign`` knowing the nomenclature it changed from (``nomenclature_precedente``: the templates' guide says
    what changed), its correspondence table checked (:func:`previous_campaign`); itself when it follows no campaign
    or keeps its previous one's nomenclature."""
    before = previous_campaign(campaign, root)
    if before is None or same_nomenclature(before.nomenclature, campaign.nomenclature):
        return campaign
    return replace(campaign, nomenclature_precedente=before.nomenclature)
