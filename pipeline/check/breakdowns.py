"""The checks of breakdowns per métier and of ETP, over a batch's cells (long form).

Each breakdown must add up to its row's headcount; a breakdown left empty on a non-empty row is an error,
unless the campaign allows « non renseigné » (the row's headcount then counts as not given, see
:func:`not_given`); a crossed pair must agree with the breakdowns it crosses; ETP never above the headcount.
Cells that are no number were reported already and are skipped here.
"""

from __future__ import annotations

import pandas as pd

from ..core import form
from ..core.breakdowns import ETP, NON_RENSEIGNE, PAIR
from ..core.campaign import Campaign
from ..core.layout import input_rows
from ..core.numeric import is_number
from ..core.vocab import EFFECTIF, TOUT, Severity
from .workbook import FileCheck

ERROR, WARNING = Severity.ERROR, Severity.WARNING


def _rows(cells: pd.DataFrame):
    """(fichier, cle) -> {(mesure, categorie): (cellule, nombre)} for every row of every file."""
    out: dict[tuple[str, str], dict] = {}
    for f, cle, m, cat, cell, n in cells[["fichier", "cle", "mesure", "categorie", "cellule", "nombre"]] \
            .itertuples(index=False, name=None):
        if cle != form.KEY_TOTAL:
            out.setdefault((f, cle), {})[(m, cat)] = (cell, n)
    return out


def _number(entry) -> float | None | bool:
    """The number of a cell, None when empty, False when it is no number (reported already)."""
    if entry is None or entry[1] is None:
        return None
    return float(entry[1]) if is_number(entry[1]) else False


def breakdown_messages(campaign: Campaign, cells: pd.DataFrame, reports: dict[str, FileCheck]) -> None:
    saisie = campaign.saisie
    rows = input_rows(campaign.nomenclature)
    breakdowns = saisie.with_categories()
    for (f, cle), got in _rows(cells).items():
        report = reports[f]
        head_entry = got.get((EFFECTIF, TOUT))
        head = _number(head_entry)
        if head is False:
            continue
        head = head or 0.0
        where = dict(feuille=report.feuille, cle=cle, intitule=rows[cle].intitule or rows[cle].emploi
                     if cle in rows else cle)
        given: dict[str, dict[str, float]] = {}
        cells_of: dict[str, dict[str, str]] = {}  # breakdown -> category -> its cell
        for b in breakdowns:
            entries = [got.get((EFFECTIF, c)) for c in b.long_categories]
            if any(e is None for e in entries):
                continue
            numbers = [_number(e) for e in entries]
            if any(n is False for n in numbers):
                continue
            area = f"{entries[0][0]}:{entries[-1][0]}"
            if all(n is None for n in numbers):
                if head > 0 and not b.non_renseigne:
                    report.add(ERROR, "ventilation.vide", cellule=entries[0][0], ventilation=b.label, cellules=area,
                               personnes=int(head), **where)
                continue
            total = sum(n or 0.0 for n in numbers)
            if total != head:
                report.add(ERROR, "ventilation.somme", cellule=area, ventilation=b.label, cellules=area,
                           somme=int(total), personnes=int(head), ecart=int(total - head), **where)
                continue
            given[b.key] = {code: n or 0.0 for (code, _), n in zip(b.categories, numbers)}
            cells_of[b.key] = {code: e[0] for (code, _), e in zip(b.categories, entries)}
        for b in breakdowns:
            if not b.crosses or b.key not in given:
                continue
            for margin_key in b.crosses:
                margin = saisie.of(margin_key)
                if margin_key not in given or given[margin_key].get(NON_RENSEIGNE, 0):
                    continue
                for code, label in margin.categories:
                    crossed = [c for c in given[b.key] if f"{margin_key}={code}" in c.split(PAIR)]
                    part = sum(given[b.key][c] for c in crossed)
                    if part != given[margin_key][code]:
                        cells = " ".join([cells_of[margin_key][code]] + [cells_of[b.key][c] for c in crossed])
                        report.add(ERROR, "ventilation.croisement", cellule=cells_of[margin_key][code], cellules=cells,
                                   ventilation=b.label, categorie=label, marge=margin.label, somme=int(part),
                                   attendu=int(given[margin_key][code]), **where)
                        break
        if saisie.etp:
            etp_entry = got.get((ETP, TOUT))
            etp = _number(etp_entry)
            # A warning, not an error: ETP is information asked besides the headcount, and the declaration
            # (``etp = true``) has no way to make it required; the issue makes only an empty breakdown an error.
            # Refusing the return would hold back its headcounts, the campaign's main figure, for a missing ETP.
            if etp is None and head > 0 and etp_entry is not None:
                report.add(WARNING, "etp.vide", cellule=etp_entry[0], personnes=int(head), **where)
            elif etp is not None and etp is not False and etp > head:
                report.add(ERROR, "etp.superieur", cellule=etp_entry[0], etp=etp, personnes=int(head), **where)


def not_given(campaign: Campaign, valid: pd.DataFrame) -> pd.DataFrame:
    """The figures with, for a breakdown allowing « non renseigné » and left empty on a non-empty row, the row's
    headcount counted as not given."""
    allowed = [b for b in campaign.saisie.with_categories() if b.non_renseigne]
    if not allowed:
        return valid
    valid = valid.copy()
    head = valid[(valid["mesure"] == EFFECTIF) & (valid["categorie"] == TOUT)] \
        .set_index(["fichier", "cle"])["valeur"]
    for b in allowed:
        part = valid[(valid["mesure"] == EFFECTIF) & valid["categorie"].isin(b.long_categories)]
        filled = part.assign(_n=part["nombre"].notna()).groupby(["fichier", "cle"])["_n"].any()
        nr = b.category(NON_RENSEIGNE)
        target = (valid["mesure"] == EFFECTIF) & (valid["categorie"] == nr)
        for i in valid.index[target]:
            key = (valid.at[i, "fichier"], valid.at[i, "cle"])
            if not filled.get(key, True):
                valid.at[i, "valeur"] = float(head.get(key, 0.0))
    return valid
