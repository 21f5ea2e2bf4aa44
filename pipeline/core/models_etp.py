"""The contract of the ETP cells of a batch (the campaigns asking full-time equivalents)."""

from __future__ import annotations

import math

import pandera.pandas as pa
from pandera.typing import Series

from .models import EFFECTIF_MAX_PAR_LIGNE, _Model
from .numeric import is_number


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

    @pa.check("nombre", element_wise=True, name="valeur.texte", ignore_na=False)
    def _is_number(cls, v) -> bool:
        return v is None or is_number(v)

    @pa.check("nombre", element_wise=True, name="valeur.decimale_etp", ignore_na=False)
    def _tenths(cls, v) -> bool:
        return not is_number(v) or math.isclose(round(float(v), 1), float(v), abs_tol=1e-9)

    @pa.check("nombre", element_wise=True, name="valeur.negative", ignore_na=False)
    def _positive(cls, v) -> bool:
        return not is_number(v) or v >= 0

    @pa.check("nombre", element_wise=True, name="valeur.invraisemblable", ignore_na=False)
    def _plausible(cls, v) -> bool:
        return not is_number(v) or v <= EFFECTIF_MAX_PAR_LIGNE
