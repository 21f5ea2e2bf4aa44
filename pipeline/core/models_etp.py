"""The contract of the ETP cells of a batch (the campaigns asking full-time equivalents)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from .models import EFFECTIF_MAX_PAR_LIGNE, _Model
from .numeric import numbers_in


class SaisiesEtp(_Model):
    """The ETP cells of a batch: as :class:`Saisies`, but a tenth of a person is allowed (a model of its own:
    pandera renames the checks a subclass inherits)."""

    fichier: Series[str]
    societe: Series[str]
    feuille: Series[str]
    cellule: Series[str]
    cle: Series[str]
    mesure: Series[str]
    categorie: Series[str]
    brut: Series[object] = pa.Field(nullable=True)
    nombre: Series[object] = pa.Field(nullable=True)

    @pa.check("nombre", name="valeur.texte", ignore_na=False)
    def _is_number(cls, s: Series[object]) -> Series[bool]:
        numeric, _, nothing = numbers_in(s)
        return pd.Series(numeric | nothing, index=s.index)

    @pa.check("nombre", name="valeur.decimale_etp", ignore_na=False)
    def _tenths(cls, s: Series[object]) -> Series[bool]:
        """A tenth at most: as ``math.isclose(round(v, 1), v, abs_tol=1e-9)`` on each value."""
        numeric, figures, _ = numbers_in(s)
        tenths = np.round(figures, 1)
        near = np.abs(tenths - figures) <= np.maximum(1e-9 * np.maximum(np.abs(tenths), np.abs(figures)), 1e-9)
        return pd.Series(~numeric | near, index=s.index)

    @pa.check("nombre", name="valeur.negative", ignore_na=False)
    def _positive(cls, s: Series[object]) -> Series[bool]:
        numeric, figures, _ = numbers_in(s)
        return pd.Series(~numeric | (figures >= 0), index=s.index)

    @pa.check("nombre", name="valeur.invraisemblable", ignore_na=False)
    def _plausible(cls, s: Series[object]) -> Series[bool]:
        numeric, figures, _ = numbers_in(s)
        return pd.Series(~numeric | (figures <= EFFECTIF_MAX_PAR_LIGNE), index=s.index)
