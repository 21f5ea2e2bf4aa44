"""The contracts of the job-title assistant's frames: its proposals for an HR export, the lexicon recorded in
the history and the lexicon in effect. The same kind of contracts as :mod:`pipeline.core.models`, kept apart
so that each file stays small.
"""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from .models import _Model
from .vocab import LexiconSource, LexiconStatus


class IntitulesExport(_Model):
    """A company's HR export, read: each distinct job title and how many people hold it."""

    intitule: Series[str] = pa.Field(unique=True)
    effectif: Series[int] = pa.Field(ge=0)


class IntitulesCodes(_Model):
    """Titles with the template row they go on: the starter lexicon, or the titles HR confirmed in a review."""

    intitule: Series[str]
    cle: Series[str]


class DecisionsLexique(_Model):
    """The observatory's decisions read from the lexicon workbook: a title kept, corrected, added or withdrawn."""

    intitule: Series[str]
    cle: Series[str]
    statut: Series[str] = pa.Field(isin=[s.value for s in LexiconStatus])


class Propositions(_Model):
    """The job-title assistant's proposal for each distinct title of a company's export. ``cle`` is empty
    (and ``confiance`` missing) when nothing in the title points to a métier; ``prerempli`` when the
    evidence is strong enough to pre-fill « Code retenu »."""

    intitule: Series[str]
    effectif: Series[int] = pa.Field(ge=0)
    cle: Series[str]
    metier: Series[str]
    confiance: Series[float] = pa.Field(ge=0, le=1, nullable=True)
    pourquoi: Series[str]
    a_verifier: Series[str]
    autres: Series[str]
    prerempli: Series[bool]


class Lexique(_Model):
    """The job-title lexicon recorded in the history: a title placed on a template row by a company's
    validated review, or an observatory's decision (a title added, corrected or withdrawn)."""

    intitule: Series[str]
    cle: Series[str]
    societe: Series[str]
    campagne: Series[str]
    source: Series[str] = pa.Field(isin=[LexiconSource.REVIEW.value, LexiconSource.OBSERVATORY.value])
    statut: Series[str] = pa.Field(isin=[s.value for s in LexiconStatus])
    enregistre_le: Series[str]


class EntreesLexique(_Model):
    """The lexicon in effect, one row per (title, row key): the starter lexicon and the history, less what the
    observatory withdrew. ``campagnes``: the campaigns of the companies' validations, comma-separated."""

    intitule: Series[str]
    cle: Series[str]
    depart: Series[bool]
    observatoire: Series[bool]
    societes: Series[int] = pa.Field(ge=0)
    campagnes: Series[str]
