"""What HR wrote beside their figures — the Commentaire column and cell notes — gathered in one sheet:
per métier and company in consolidation.xlsx (for the observatory), per file in controle.xlsx (for the
secretary)."""

from __future__ import annotations

import pandas as pd

from ..core.campaign import Campaign
from ..core.layout import build_layout
from ..core.texts import fr
from ..core.texts import labels as L
from ..core.vocab import Level
from .xlsx import a4, paragraph, row_height

WIDTHS = [6, 26, 18, 48, 15]            # a landscape page at 100 %
WIDTHS_WITH_FILE = [6, 22, 16, 40, 13, 16]


def _rows_of(campaign: Campaign) -> dict[str, tuple[int, tuple[str, str], str]]:
    """Row key -> (its order in the template, the branch-table cell it counts in, its label)."""
    out = {}
    for i, row in enumerate(build_layout(campaign.nomenclature)):
        if not row.is_input:
            continue
        if row.niveau == Level.EMPLOI:
            cell = (str(Level.METIER), row.code_metier)
        elif row.niveau == Level.DECLARE:
            cell = (str(Level.BRANCHE), "")
        else:
            cell = (str(row.cell[0]), row.cell[1])
        out[row.cle] = (i, cell, row.emploi if row.niveau == Level.EMPLOI else row.intitule)
    return out


def ordered(campaign: Campaign, comments: pd.DataFrame) -> pd.DataFrame:
    """The comments in the template's row order, then by company: cle, libelle, societe (name), texte,
    source (French), cellule — plus fichier when the frame has one."""
    rows = _rows_of(campaign)
    out = comments.assign(
        _order=comments["cle"].map(lambda k: rows.get(k, (10**6,))[0]),
        libelle=comments["cle"].map(lambda k: rows[k][2] if k in rows else ""),
        nom=comments["societe"].map(lambda s: campaign.names.get(s, s)),
        origine=comments["source"].map(L.COMMENT_SOURCES),
    ).sort_values(["_order", "nom"], kind="stable")
    return out.drop(columns="_order").reset_index(drop=True)


def counts_by_cell(campaign: Campaign, comments: pd.DataFrame) -> dict[tuple[str, str], int]:
    """How many comments each row of the branch table has (a comment on an emploi counts for its métier)."""
    rows = _rows_of(campaign)
    out: dict[tuple[str, str], int] = {}
    for key in comments["cle"]:
        if key in rows:
            cell = rows[key][1]
            out[cell] = out.get(cell, 0) + 1
    return out


def write_comments_sheet(wb, fmt, campaign: Campaign, comments: pd.DataFrame, title: str, edited: str = "",
                         with_file: bool = False) -> None:
    """The Commentaires sheet: every comment with its row, its company and where it was written (no sheet when
    there is none)."""
    if comments.empty:
        return
    ws = wb.add_worksheet(L.SHEET_COMMENTS)
    headings = list(L.COMMENTS_HEADINGS) + ([L.COMMENTS_FILE] if with_file else [])
    widths = WIDTHS_WITH_FILE if with_file else WIDTHS
    ws.write_string(0, 0, fr(L.COMMENTS_TITLE, n=len(comments)), fmt["title"])
    paragraph(ws, 1, L.COMMENTS_NOTE, len(widths) - 1, sum(widths), fmt["small_wrap"], 8)
    for c, (h, w) in enumerate(zip(headings, widths)):
        ws.write_string(3, c, h, fmt["header"])
        ws.set_column(c, c, w)
    for r, m in enumerate(ordered(campaign, comments).itertuples(index=False), start=4):
        values = [m.cle, m.libelle, m.nom, m.texte, f"{m.origine} {m.cellule}".strip()]
        if with_file:
            values.append(m.fichier)
        for c, v in enumerate(values):
            ws.write_string(r, c, str(v), fmt["wrap"] if c == 3 else fmt["cell"])
        ws.set_row(r, row_height(list(zip(values, widths))))
    ws.freeze_panes(4, 0)
    a4(ws, title, edited, campaign.libelle, repeat=(3, 3))
