"""A company's HR export, checked: its distinct job titles with their headcount."""

from __future__ import annotations

import unicodedata

import pandas as pd

from ..core.errors import UserError
from ..core.models import DataFrame, validate
from ..core.models_titles import IntitulesExport
from ..core.texts import console as C
from ..core.texts import fr

TITLE_COLUMNS = ["intitulé de poste", "intitule de poste", "intitulé du poste", "intitulé", "intitule", "poste",
                 "emploi", "libellé emploi", "libelle emploi", "libellé du poste", "fonction", "job title"]
COUNT_COLUMNS = ["effectif", "effectifs", "nombre", "nb", "nombre de salariés", "headcount"]


def _norm_header(text: object) -> str:
    return unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode("ascii").strip().lower()


def export_titles(rows: list[list[object]], name: str, title_column: str | None = None,
                  count_column: str | None = None) -> DataFrame[IntitulesExport]:
    """Distinct titles (``intitule``) with their headcount (``effectif``). Columns are found by name
    (French defaults, or the names given); without a headcount column every row is one employee."""
    if not rows:
        raise UserError(fr(C.EXPORT_EMPTY, nom=name))
    header = [_norm_header(h) for h in rows[0]]
    present = fr(C.EXPORT_COLUMNS, colonnes=", ".join(str(h) for h in rows[0]))

    def find(wanted: list[str], given: str | None) -> int | None:
        for candidate in ([_norm_header(given)] if given else [_norm_header(w) for w in wanted]):
            if candidate in header:
                return header.index(candidate)
        if given:
            raise UserError(fr(C.EXPORT_NO_COLUMN, nom=name, colonne=given), [present])
        return None

    t = find(TITLE_COLUMNS, title_column)
    if t is None:
        raise UserError(fr(C.EXPORT_NO_TITLES, nom=name), [present, C.EXPORT_NAME_IT])
    c = find(COUNT_COLUMNS, count_column)
    records, problems = [], []
    for line, r in enumerate(rows[1:], start=2):
        title = str(r[t]).strip() if t < len(r) and r[t] is not None else ""
        if not title:
            continue
        count = 1.0
        if c is not None:
            raw = r[c] if c < len(r) else None
            try:
                count = float(str(raw).replace(",", ".").replace("\u00a0", "").replace(" ", ""))
            except ValueError:
                problems.append(fr(C.EXPORT_COUNT_UNREADABLE, ligne=line, valeur=raw, intitule=title))
                continue
            if not count.is_integer() or count < 0:
                problems.append(fr(C.EXPORT_COUNT_INVALID, ligne=line, valeur=raw, intitule=title))
                continue
        records.append((title, int(count)))
    if problems:
        raise UserError(fr(C.EXPORT_BAD_COUNTS, nom=name), problems)
    df = pd.DataFrame(records, columns=["intitule", "effectif"]).astype({"intitule": str, "effectif": int})
    return validate(IntitulesExport, df.groupby("intitule", sort=True, as_index=False)["effectif"].sum())
