"""The template's format: what a returned workbook is recognised by.

Sheet names, the identity stored as custom document properties, the row keys, the columns and their
headings. The template writer lays a workbook out from this; the checks find rows by their key and
columns by their heading, never by position.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from .breakdowns import ETP
from .texts import fr
from .texts import labels as L
from .texts import matching as M
from .vocab import EFFECTIF, TOUT

FORMAT_VERSION = "1"
SHEET_GUIDE = L.SHEET_GUIDE
SHEET_INPUT = L.SHEET_INPUT
SHEET_FEEDBACK = L.SHEET_FEEDBACK
TEMPLATE_SHEETS = (SHEET_GUIDE, SHEET_INPUT, SHEET_FEEDBACK)

# Custom document properties (always strings: LibreOffice turns numbers into floats).
PROP_CAMPAIGN = "effectifs_campagne"
PROP_COMPANY = "effectifs_societe"
PROP_FORMAT = "effectifs_format"
PROP_NOMENCLATURE = "effectifs_nomenclature"
IDENTITY_PROPS = (PROP_CAMPAIGN, PROP_COMPANY, PROP_FORMAT, PROP_NOMENCLATURE)
# What else a template is made from, for ``modeles`` to say why a template changed (not read by the checks).
PROP_NAME = "effectifs_raison_sociale"
PROP_CAMPAIGN_TITLE = "effectifs_libelle"
PROP_REFERENCE_DATE = "effectifs_date_arrete"
PROP_DEADLINE = "effectifs_date_limite"
PROP_CONTACT = "effectifs_contact"
PROP_PREVIOUS = "effectifs_rappel_n1"  # the previous campaign and a digest of the reminder figures
PROP_INPUTS = "effectifs_saisie"  # the breakdowns and ETP asked (only in a template of a campaign asking some)

KEY_NV = "NV"
KEY_TOTAL = "TOTAL"

HEADER_ROW = 9  # 0-based row of the column headings in a generated template
BODY_START = HEADER_ROW + 1
HEADER_SEARCH_ROWS = 40  # a returned sheet's headings are looked for in its first rows
MAX_CELL_TEXT = 32_767   # Excel's limit for the text of one cell


@dataclass(frozen=True)
class Column:
    """A column of the input sheet. Input columns carry the measure and category they hold."""

    key: str
    heading: str
    width: float
    mesure: str = ""
    categorie: str = ""
    ventilation: str = ""  # the key of the breakdown a breakdown column belongs to

    @property
    def is_headcount(self) -> bool:
        return self.mesure == EFFECTIF and self.categorie == TOUT

    @property
    def is_input(self) -> bool:
        return bool(self.mesure)


CODE, TITLE, EMPLOI, AUTRES, PREVIOUS, COMMENT = "code", "intitule", "emploi", "autres", "n1", "commentaire"


def input_key(mesure: str, categorie: str) -> str:
    return f"{mesure}:{categorie}"


def columns(campaign, with_previous: bool = False) -> list[Column]:
    """The columns of a campaign's input sheet, left to right."""
    cols = [
        Column(CODE, L.HEADING_CODE, 7),
        Column(TITLE, L.HEADING_TITLE, 26),
        Column(EMPLOI, L.HEADING_EMPLOI, 22),
        Column(AUTRES, L.HEADING_AUTRES, 36),
        Column(input_key(EFFECTIF, TOUT), fr(L.HEADING_EFFECTIF, date=campaign.date_arrete), 11, EFFECTIF, TOUT),
    ]
    if with_previous:
        cols.append(Column(PREVIOUS, previous_heading(campaign), 11))
    saisie = campaign.saisie
    if saisie.etp:
        cols.append(Column(input_key(ETP, TOUT), fr(L.HEADING_ETP, date=campaign.date_arrete), 10, ETP, TOUT))
    for b in saisie.with_categories():
        for code, label in b.categories:
            cols.append(Column(input_key(EFFECTIF, b.category(code)), b.heading(code, label),
                               BREAKDOWN_WIDTH, EFFECTIF, b.category(code), b.key))
    cols.append(Column(COMMENT, L.HEADING_COMMENT, BREAKDOWN_COMMENT_WIDTH if saisie.breakdowns else 22))
    return cols


# Printed at 80 %, a page holds the code and title repeated plus 12 breakdown columns 8 wide (age, contract,
# status, working time), or the crossed sex × age pair and a comment column 17 wide: every breakdown of the
# demo's 2009 campaign in three pages across instead of five (9 and 22 left a page for working time alone and
# one for the comments).
BREAKDOWN_WIDTH = 8
BREAKDOWN_COMMENT_WIDTH = 17


def breakdown_groups(cols: list[Column]) -> list[tuple[str, int, int]]:
    """(breakdown key, first column, last column) of each breakdown's columns, left to right."""
    groups: list[tuple[str, int, int]] = []
    for i, c in enumerate(cols):
        if not c.ventilation:
            continue
        if groups and groups[-1][0] == c.ventilation and groups[-1][2] == i - 1:
            groups[-1] = (c.ventilation, groups[-1][1], i)
        else:
            groups.append((c.ventilation, i, i))
    return groups


def previous_heading(campaign) -> str:
    return fr(L.HEADING_PREVIOUS, precedente=campaign.precedente)


def identity_text(campaign, company_id: str) -> str:
    """The identity printed on the sheet (the properties say the same, for the checks)."""
    return fr(L.IDENTITY, format=FORMAT_VERSION, campagne=campaign.identifiant, societe=company_id,
              nomenclature=campaign.nomenclature.empreinte)


_PRINTED = {"format": PROP_FORMAT, "campagne": PROP_CAMPAIGN, "societe": PROP_COMPANY,
            "nomenclature": PROP_NOMENCLATURE}


def _identity_pattern() -> re.Pattern:
    pieces = []
    for literal, name, _spec, _conv in string.Formatter().parse(L.IDENTITY):
        pieces.append(re.escape(literal))
        if name:
            pieces.append(f"(?P<{name}>\\S+)")
    return re.compile("^" + "".join(pieces) + "$")


_IDENTITY = _identity_pattern()


def parse_identity(text: object) -> dict[str, str] | None:
    """The identity properties read back from the text :func:`identity_text` printed; None when the
    text is not one (a file format without custom properties keeps only the printed text)."""
    match = _IDENTITY.match(text.strip()) if isinstance(text, str) else None
    return {_PRINTED[k]: v for k, v in match.groupdict().items()} if match else None


# --- the review workbook of the job-title assistant ------------------------------------------------
SHEET_REVIEW = M.SHEET_REVIEW
SHEET_CODES = M.SHEET_CODES
PROP_REVIEW = "effectifs_revue"
REVIEW_HEADINGS = M.REVIEW_HEADINGS
REVIEW_TITLE, REVIEW_COUNT, REVIEW_PROPOSED, REVIEW_KEPT = (REVIEW_HEADINGS[0], REVIEW_HEADINGS[1],
                                                            REVIEW_HEADINGS[2], REVIEW_HEADINGS[8])
COL_KEPT = REVIEW_HEADINGS.index(REVIEW_KEPT)
COL_CONFIDENCE = 4
REVIEW_HEADER_ROW = 5  # 0-based

# The lexicon workbook of the job-title assistant (effectifs lexique --export / --charger).
SHEET_LEXICON = M.SHEET_LEXICON
PROP_LEXICON = "effectifs_lexique"
LEXICON_HEADINGS = M.LEXICON_HEADINGS
LEXICON_TITLE, LEXICON_CODE, LEXICON_ORIGIN, LEXICON_DECISION = (LEXICON_HEADINGS[0], LEXICON_HEADINGS[1],
                                                                 LEXICON_HEADINGS[6], LEXICON_HEADINGS[7])
LEXICON_HEADER_ROW = 3  # 0-based
