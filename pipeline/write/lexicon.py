"""The lexicon workbook: every title of the job-title lexicon with its code and where it comes from, for the
observatory to review — correct a code, withdraw a line, add a title — and load back
(:mod:`pipeline.check.lexicon`)."""

from __future__ import annotations

from pathlib import Path

from ..core import form
from ..core.campaign import Campaign
from ..core.models import DataFrame
from ..core.models_titles import EntreesLexique
from ..core.texts import fr
from ..core.texts import matching as M
from ..core.vocab import LexiconSource
from .review import cell_format, code_rows, write_codes_sheet
from .xlsx import HEADCOUNT_FORMAT, a4, atomic_workbook, formats, row_height

WIDTHS = [42, 10, 40, 30, 9, 14, 10, 12]
ROOM = 300  # empty rows below the last one, ready for titles the observatory adds


def source_text(entry) -> str:
    parts = []
    if entry.depart:
        parts.append(M.LEXICON_SOURCES[LexiconSource.STARTER])
    if entry.societes:
        parts.append(M.LEXICON_SOURCES[LexiconSource.REVIEW])
    if entry.observatoire:
        parts.append(M.LEXICON_SOURCES[LexiconSource.OBSERVATORY])
    return " ; ".join(parts)


def write_lexicon(campaign: Campaign, lexicon: DataFrame[EntreesLexique], path: str | Path) -> Path:
    rows = code_rows(campaign)
    shown = {code: f"{metier} — {emploi}" if emploi and emploi != metier else metier for code, metier, emploi in rows}
    with atomic_workbook(path, title=M.LEXICON_WORKBOOK_TITLE) as wb:
        wb.set_custom_property(form.PROP_LEXICON, "1", "text")
        wb.set_custom_property(form.PROP_CAMPAIGN, campaign.identifiant, "text")
        fmt = formats(wb)
        ws = wb.add_worksheet(form.SHEET_LEXICON)
        page = (M.LEXICON_WORKBOOK_TITLE, "", campaign.libelle)
        codes = write_codes_sheet(wb, fmt, rows, page)
        for c, w in enumerate(WIDTHS):
            ws.set_column(c, c, w)
        ws.write_string(0, 0, M.LEXICON_HEADING, fmt["title"])
        ws.merge_range(1, 0, 1, len(WIDTHS) - 1, fr(M.LEXICON_HELP, fichier=Path(path).name), fmt["wrap"])
        ws.set_row(1, 30)
        header = form.LEXICON_HEADER_ROW
        for c, h in enumerate(form.LEXICON_HEADINGS):
            ws.write_string(header, c, h, fmt["header"])
        ws.set_row(header, 30)
        decisions = {"validate": "list", "source": [M.DECISION_KEEP, M.DECISION_DELETE],
                     "error_title": form.LEXICON_DECISION, "error_message": M.LEXICON_VALIDATION}
        first = header + 1
        number = cell_format(wb, num_format=HEADCOUNT_FORMAT, align="right")
        lexicon = lexicon.sort_values(["cle", "intitule"])       # by métier: a title misplaced stands out
        for i, e in enumerate(lexicon.itertuples(index=False), start=first):
            values = [e.intitule, e.cle, shown.get(e.cle, ""), source_text(e), e.societes, e.campagnes, e.cle,
                      M.DECISION_KEEP]
            for c, v in enumerate(values):
                if c == 4:
                    ws.write_number(i, c, int(v), number)
                elif c in (1, 7):
                    ws.write_string(i, c, str(v), fmt["input_text"])
                else:
                    ws.write_string(i, c, str(v), fmt["cell"])
            ws.set_row(i, row_height([(str(v), w) for v, w in zip(values, WIDTHS) if isinstance(v, str)]))
        last = first + len(lexicon) + ROOM
        ws.data_validation(first, 1, last, 1, codes)
        ws.data_validation(first, 7, last, 7, decisions)
        ws.freeze_panes(first, 1)
        ws.autofilter(header, 0, header + max(len(lexicon), 1), len(WIDTHS) - 1)
        a4(ws, *page, repeat=(header, header))
        ws.activate()
    return Path(path)
