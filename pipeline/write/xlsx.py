"""What every workbook we write shares: atomic saving, safe options, the house formats, A4 printing."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import functools
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import xlsxwriter
from xlsxwriter.format import Format

from ..core.texts import fr
from ..core.texts import labels as L

# Text from users or data files is never turned into a formula or a link.
SAFE_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
                "in_memory": True}  # parts assembled in memory: no temporary file per part

BLUE = "#1F4E79"
LIGHT_BLUE = "#DDEBF7"
MID_BLUE = "#BDD7EE"
INPUT_YELLOW = "#FFF2CC"
GREY = "#F2F2F2"
RED_FILL = "#F8CBAD"
ORANGE_FILL = "#FFD966"

HEADCOUNT_FORMAT = "#,##0"


def percent_format(decimals: int) -> str:
    """A percentage as French typography writes it, « 50,94 % »: a no-break space before « % » (the locale of the
    reader's spreadsheet gives the decimal separator)."""
    return ("0." + "0" * decimals if decimals else "0") + '"\u00a0"%'


PERCENT_FORMAT = percent_format(2)
# A change, signed both ways with the minus sign « − » (not the hyphen): « +121 », « −3,70 % ». The sections of a
# format are positive;negative;zero, and a negative shown by its own section loses its sign.
CHANGE_FORMAT = '"+"#,##0;"\u2212"#,##0;0'
CHANGE_PERCENT_FORMAT = f'"+"{PERCENT_FORMAT};"\u2212"{PERCENT_FORMAT};{PERCENT_FORMAT}'
DATE_FORMAT = "dd/mm/yyyy"


class OutputBusy(Exception):
    """Outputs that could not replace the previous ones (open in Excel on Windows): everything else was
    written, these files are left as they were."""

    def __init__(self, paths: list[Path]):
        super().__init__(", ".join(str(p) for p in paths))
        self.paths = list(paths)


@contextlib.contextmanager
def atomic_workbook(path: str | Path, large: bool = False, **properties: str) -> Iterator[xlsxwriter.Workbook]:
    """A workbook written to a temporary file in the target folder, renamed into place on success.

    A run interrupted while writing leaves the previous complete file (or none), never a
    truncated one. ``large``: a workbook with a row per company or per file (the consolidation, the control
    report), whose parts xlsxwriter then assembles in temporary files rather than in memory — at 10,000
    companies, « Par société » alone is some 20 MB of XML, held several times over in memory.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp.xlsx", dir=path.parent)
    os.close(fd)
    workbook = xlsxwriter.Workbook(tmp, {**SAFE_OPTIONS, "in_memory": not large})
    if properties:
        workbook.set_properties(properties)
    try:
        yield workbook
        workbook.close()
        os.chmod(tmp, 0o666 & ~_umask())
        try:
            os.replace(tmp, path)
        except PermissionError:  # Windows: the previous file is open in Excel
            os.unlink(tmp)
            raise OutputBusy([path]) from None
    except OutputBusy:
        raise
    except BaseException:
        with contextlib.suppress(Exception):
            workbook.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def streamed_worksheet(workbook: xlsxwriter.Workbook, name: str):
    """A worksheet written to disk row by row: xlsxwriter's constant-memory mode, for this sheet alone (the
    workbook's other sheets keep their cells until the end, and their strings shared). For a sheet of a row per
    company: at 10,000 companies, « Par société » would otherwise hold some 450,000 cells in memory until the
    workbook is closed. Its rows must be written top to bottom, each row's cells and height before the next row
    is started (a cell of an earlier row is lost), and a merged area must stay within one row; its strings are
    stored in their cells (inline), which every spreadsheet reads alike. xlsxwriter reads the workbook's
    ``constant_memory`` option when it adds a sheet (tests/test_outputs.py fails should that change)."""
    shared = workbook.constant_memory
    workbook.constant_memory = True
    try:
        return workbook.add_worksheet(name)
    finally:
        workbook.constant_memory = shared


def atomic_text(path: str | Path, text: str) -> Path:
    """A text file (UTF-8, \n line ends) written to a temporary file in the target folder, then renamed."""
    return atomic_bytes(path, text.encode("utf-8"))


def atomic_bytes(path: str | Path, data: bytes, suffix: str = ".tmp") -> Path:
    """A file written to a temporary file in the target folder, then renamed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        try:
            os.replace(tmp, path)
        except PermissionError:  # Windows: the previous file is open in another program
            raise OutputBusy([path]) from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_PROTOTYPES: dict[tuple, Format] = {}


def add_format(workbook: xlsxwriter.Workbook, properties: dict) -> Format:
    """``workbook.add_format(properties)``, its properties parsed once per process: a copy of a format made once and
    never used, given to the workbook (xlsxwriter numbers a format's parts only when the workbook is saved, so a
    fresh copy is the same as a new format; the same formats in every template cost 1–2 ms a workbook)."""
    key = (tuple(workbook.default_format_properties.items()), tuple(properties.items()))
    prototype = _PROTOTYPES.get(key)
    if prototype is None:
        prototype = _PROTOTYPES[key] = Format({**workbook.default_format_properties, **properties})
        prototype._get_format_key()  # computed once, kept by the copies
    fmt = copy.copy(prototype)
    fmt.xf_format_indices, fmt.dxf_format_indices = workbook.xf_format_indices, workbook.dxf_format_indices
    workbook.formats.append(fmt)
    return fmt


def formats(workbook: xlsxwriter.Workbook) -> dict[str, Format]:
    """The house formats, created once per workbook."""
    base = {"font_name": "Calibri", "font_size": 10, "valign": "vcenter"}
    border = {"border": 1, "border_color": "#A6A6A6"}

    def f(**kw):
        return add_format(workbook, {**base, **kw})

    plain = {
        "title": dict(bold=True, font_size=14, font_color=BLUE),
        "subtitle": dict(italic=True, font_color="#595959"),
        "label": dict(bold=True),
        "small": dict(font_size=8, font_color="#7F7F7F"),
        "alert": dict(bold=True, bg_color=RED_FILL, font_color="#9C0006"),
        "ok": dict(bold=True, font_color="#006100"),
    }
    numbers = {"number": dict(align="right", valign="top", **border),
               "total": dict(bold=True, bg_color=GREY, align="right", **border),
               "big_total": dict(bold=True, bg_color=LIGHT_BLUE, align="right", **border)}
    percents = {"percent": numbers["number"], "total_percent": numbers["total"],
                "big_total_percent": numbers["big_total"]}
    # The same, wrapped at the top of their cell: for paragraphs (see :func:`paragraph`).
    wrapped = {f"{k}_wrap": f(**v, text_wrap=True, valign="top") for k, v in plain.items()}
    return {
        **{k: f(**v) for k, v in plain.items()},
        **wrapped,
        "text": f(),
        "wrap": f(text_wrap=True, valign="top"),
        "note": f(font_size=8, font_color="#595959", text_wrap=True, valign="top"),
        "date": f(num_format=DATE_FORMAT, align="left"),
        "header": f(bold=True, font_color="white", bg_color=BLUE, text_wrap=True, align="center", **border),
        "group": f(bold=True, font_size=11, font_color="white", bg_color=BLUE, **border),
        "family": f(bold=True, bg_color=MID_BLUE, **border),
        "cell": f(text_wrap=True, valign="top", **border),
        "code": f(valign="top", align="center", **border),
        "input": f(num_format=HEADCOUNT_FORMAT, bg_color=INPUT_YELLOW, locked=False, text_wrap=True, **border),
        "input_error": f(num_format=HEADCOUNT_FORMAT, bg_color=RED_FILL, bold=True, locked=False, text_wrap=True,
                         **border),
        "input_warning": f(num_format=HEADCOUNT_FORMAT, bg_color=ORANGE_FILL, bold=True, locked=False,
                           text_wrap=True, **border),
        # The same for a value sent back as typed that is not a whole number: shown as it is (0,05 and not 0)
        "input_error_any": f(bg_color=RED_FILL, bold=True, locked=False, text_wrap=True, **border),
        "input_warning_any": f(bg_color=ORANGE_FILL, bold=True, locked=False, text_wrap=True, **border),
        "previous": f(num_format=HEADCOUNT_FORMAT, bg_color=GREY, font_color="#595959", italic=True, **border),
        "previous_total": f(num_format=HEADCOUNT_FORMAT, bg_color=GREY, font_color="#595959", italic=True,
                            bold=True, **border),
        "input_text": f(bg_color=INPUT_YELLOW, locked=False, text_wrap=True, valign="top", **border),
        "number": f(**numbers["number"], num_format=HEADCOUNT_FORMAT),
        "total": f(**numbers["total"], num_format=HEADCOUNT_FORMAT),
        "total_label": f(bold=True, bg_color=GREY, text_wrap=True, **border),
        "big_total": f(**numbers["big_total"], num_format=HEADCOUNT_FORMAT),
        "big_total_label": f(bold=True, bg_color=LIGHT_BLUE, text_wrap=True, **border),
        **{k: f(**v, num_format=PERCENT_FORMAT) for k, v in percents.items()},
        "warning_cell": f(bg_color="#FFEB9C", text_wrap=True, valign="top", **border),
        "error_cell": f(bg_color=RED_FILL, text_wrap=True, valign="top", **border),
        # Changes (N − N−1, and in %): the number and percent styles above, signed (see CHANGE_FORMAT).
        **{f"{k}_change": f(**v, num_format=CHANGE_FORMAT) for k, v in numbers.items()},
        **{f"{k}_change": f(**v, num_format=CHANGE_PERCENT_FORMAT) for k, v in percents.items()},
    }


# --- printing on A4 ---------------------------------------------------------------------------------
# Column widths are in character units. Excel with Calibri prints a column of w units in about 5.3 w + 4
# points; LibreOffice without Calibri (DejaVu Sans in its place, the widest case) in 7 w + 5. Layouts are
# sized for the widest case, so that they print at least at MIN_SCALE everywhere.
A4_POINTS = (595.3, 841.9)
SIDE_MARGIN, TOP_MARGIN = 0.4, 0.6  # inches; the header and footer sit in the top and bottom margins
POINTS_PER_UNIT = 7.0
MIN_SCALE = 0.8  # 10-point text prints at 8 points at least
ROW_HEIGHT = 15.0  # a row written without a height (Excel's default)


def printable(landscape: bool) -> tuple[float, float]:
    """Width and height, in points, inside the margins of an A4 page."""
    short, long = A4_POINTS
    width, height = (long, short) if landscape else (short, long)
    return width - 2 * 72 * SIDE_MARGIN, height - 2 * 72 * TOP_MARGIN


def print_scale(widths: list[float], landscape: bool) -> float:
    """The scale at which columns of these widths fill an A4 page's width (1 when they fit whole)."""
    return min(1.0, printable(landscape)[0] / sum(w * POINTS_PER_UNIT + 5 for w in widths))


def wrapped_lines(text: str, width: float, size: float = 10) -> int:
    """How many lines ``text`` takes in a wrapped cell ``width`` units wide, words kept whole (a capital
    letter counts for more than one: headings in capitals take more room)."""
    return _wrapped_lines(str(text), float(width), float(size))


# The same labels in every company's template, worked out once; a few hundred of them. The texts met once (the
# control report's messages, companies' names) pass through: 65,536 of them held some 5 MB after 10,000 returns.
@functools.lru_cache(maxsize=1 << 12)
def _wrapped_lines(text: str, width: float, size: float) -> int:
    capacity = max(1.0, width * 1.15 * 10 / size)
    lines = 0
    for part in text.split("\n"):
        used = 0.0
        lines += 1
        for word in part.split():
            length = len(word) + 0.35 * sum(ch.isupper() for ch in word)
            if used and used + 1 + length > capacity:
                lines += 1
                used = 0.0
            if length > capacity:  # a word wider than the cell is cut over several lines
                lines += int(length // capacity)
                used = length % capacity
            else:
                used += (1 if used else 0) + length
    return max(lines, 1)


def row_height(cells: list[tuple[str, float]], size: float = 10) -> float:
    """A row height showing wrapped text whole: (text, column width) pairs, ``size``-point font (neither Excel
    nor LibreOffice sizes rows on load, so wrapped cells need an explicit height)."""
    return _row_height(tuple((str(text), float(width)) for text, width in cells), float(size))


# The same rows in every company's template, a few hundred; the rows met once (a company's name, a message of
# the control report) pass through: 16,384 of them held some 12 MB after a check of 10,000 returns.
@functools.lru_cache(maxsize=1 << 12)
def _row_height(cells: tuple[tuple[str, float], ...], size: float) -> float:
    return 1.3 * size * max(_wrapped_lines(text, width, size) for text, width in cells) + 2


def header_footer_text(text: str) -> str:
    """Escape text for an Excel page header/footer ('&' starts a control code there)."""
    return text.replace("&", "&&")


def edited_on(moment: dt.datetime | None) -> str:
    """« Édité le 12/09/2007 10:30 » for a page header; empty without a moment."""
    return fr(L.PRINT_EDITED, moment=moment) if moment is not None else ""


def a4(ws, title: str, right: str = "", footer: str = "", landscape: bool = True,
       repeat: tuple[int, int] | None = None, scale: float | None = None) -> None:
    """Print on A4: ``title`` at the left of every page's header, ``right`` at its right (say, when the
    workbook was written), ``footer`` at the left of the footer and « Page 2 sur 5 » at its right;
    ``repeat``: heading rows printed on every page. As wide as one page, as many pages down as needed;
    or, with ``scale``, at that fixed scale (Excel ignores manual page breaks when it fits to a page)."""
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_paper(9)
    if scale is None:
        ws.fit_to_pages(1, 0)
    else:
        ws.set_print_scale(max(10, int(scale * 100)))
    ws.set_margins(left=SIDE_MARGIN, right=SIDE_MARGIN, top=TOP_MARGIN, bottom=TOP_MARGIN)
    if repeat is not None:
        ws.repeat_rows(*repeat)
    header, footer = a4_texts(title, right, footer)
    ws.set_header(header)
    ws.set_footer(footer)


def a4_texts(title: str, right: str = "", footer: str = "") -> tuple[str, str]:
    """The page header and footer :func:`a4` sets."""
    page = fr(L.PRINT_PAGE, page="&P", pages="&N")
    return (f"&L&8{header_footer_text(title)}&R&8{header_footer_text(right)}",
            f"&L&8{header_footer_text(footer)}&R&8{page}")


def page_breaks(heights: list[float], keep: list[tuple[int, int]], landscape: bool, scale: float = 1.0,
                repeated: float = 0.0) -> list[int]:
    """The rows to start a page with so that each range of rows in ``keep`` (first, last: a heading and
    the first rows under it) prints on one page; rows flow freely otherwise.

    ``heights``: every row's height in points, from the first; ``repeated``: the height of the heading
    rows printed again at the top of every page after the first. A full page gets its break too: the pages are
    as counted here, not the application's, which drift from them (a row more now and then) to orphan a heading.
    """
    capacity = printable(landscape)[1] / scale * 0.97  # a little room for rounding
    together = dict(keep)
    breaks, used = [], 0.0
    for row, h in enumerate(heights):
        if row in together and used > repeated:
            if used + sum(heights[row:together[row] + 1]) > capacity:
                breaks.append(row)
                used = repeated
        if used + h > capacity and used > repeated:  # where the page ends
            breaks.append(row)
            used = repeated
        used += h
    return breaks


class Rows:
    """The height of every row written on a sheet, to place page breaks."""

    def __init__(self, ws):
        self.ws, self.heights = ws, {}

    def set(self, row: int, height: float, *args) -> None:
        self.ws.set_row(row, height, *args)
        self.heights[row] = height

    def all(self, last: int) -> list[float]:
        return [self.heights.get(r, ROW_HEIGHT) for r in range(last + 1)]


def paragraph(ws, row: int, text: str, last_col: int, width: float, style, size: float = 10,
              rows: Rows | None = None) -> None:
    """A text over columns 0..``last_col`` (``width`` units in all), wrapped, its row as tall as it needs."""
    if last_col > 0:
        ws.merge_range(row, 0, row, last_col, text, style)
    else:
        ws.write_string(row, 0, text, style)
    (rows.set if rows is not None else ws.set_row)(row, row_height([(text, width)], size))


def write_text(ws, r: int, c: int, text: str, style) -> None:
    """A text as it is (never a formula), or a blank cell with the style when there is none: an empty string is
    a cell every reader reads, one by one (Excel, LibreOffice, ours: two of five cells of a template's input sheet
    were empty strings), for nothing."""
    if text:
        ws.write_string(r, c, text, style)
    else:
        ws.write_blank(r, c, None, style)


def repeated_validation(ws, r: int, c: int, key, options, prepared: dict) -> None:
    """``ws.data_validation(r, c, r, c, options())`` for one of many cells of a sheet sharing a validation: xlsxwriter
    checks and converts the options of the first only, the others are added to its cells — one validation over
    many ranges (``sqref="E14 E15 …"``), rather than its options written again for each cell: a return's sheet
    was half validations, parsed again by the reader in every file. ``prepared``: one dict per sheet, ``key`` ->
    the options as xlsxwriter converted them."""
    done = prepared.get(key)
    if done is not None:
        done["cells"].append([r, c, r, c])
    elif ws.data_validation(r, c, r, c, options()) == 0:
        prepared[key] = ws.validations[-1]


def remove_stale_temporaries(folder: Path) -> None:
    """Temporary workbooks and text files left by a run that was killed while writing (only one run writes at a
    time)."""
    if folder.is_dir():
        for path in folder.glob(".*.tmp.*"):  # workbooks (.tmp.xlsx) and e-mails (.tmp.eml)
            with contextlib.suppress(OSError):
                path.unlink()
