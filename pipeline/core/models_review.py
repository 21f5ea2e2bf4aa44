"""The contract of the review states a consolidation reads (the web front's, from the history)."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from .models import _Model
from .vocab import ReviewState


class Revues(_Model):
    """Each company's current review state: the api reads it from the history, the consolidation says from it
    which figures are validated and which are provisional (see :func:`pipeline.compute.consolidation.consolidate`)."""

    identifiant: Series[str] = pa.Field(unique=True)
    etat: Series[str] = pa.Field(isin=[str(s) for s in ReviewState])
    soumission: Series[float] = pa.Field(nullable=True)  # the submission the state was given to (NaN: none)
    par: Series[str]
    le: Series[str]                                      # ISO date and time of the change
