"""What every workbook we write shares: atomic saving, safe options, the house formats, A4 printing."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import xlsxwriter

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
PERCENT_FORMAT = "0.00%"
DATE_FORMAT = "dd/mm/yyyy"


class OutputBusy(Exception):
    """Outputs that could not replace the previous ones (open in Excel on Windows): everything else was
    written, these files are left as they were."""

    def __init__(self, paths: list[Path]):
        super().__init__(", ".join(str(p) for p in paths))
        self.paths = list(paths)


@contextlib.contextmanager
def atomic_workbook(path: str | Path, **properties: str) -> Iterator[xlsxwriter.Workbook]:
    """A workbook written to a temporary file in the target folder, renamed into place on success.

    A run interrupted while writing leaves the previous complete file (or none), never a
    truncated one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp.xlsx", dir=path.parent)
    os.close(fd)
    workbook = xlsxwriter.Workbook(tmp, SAFE_OPTIONS)
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


def atomic_text(path: str | Path, text: str) -> Path:
    """A text file (UTF-8, \n line ends) written to a temporary file in the target folder, then renamed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
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


def formats(workbook: xlsxwriter.Workbook) -> dict[str, xlsxwriter.format.Format]:
    """The house formats, created once per workbook."""
    base = {"font_name": "Calibri", "font_size": 10, "valign": "vcenter"}
    border = {"border": 1, "border_color": "#A6A6A6"}

    def f(**kw):
        return workbook.add_format({**base, **kw})

    return {
        "title": f(bold=True, font_size=14, font_color=BLUE),
        "subtitle": f(italic=True, font_color="#595959"),
        "label": f(bold=True),
        "text": f(),
        "wrap": f(text_wrap=True, valign="top"),
        "small": f(font_size=8, font_color="#7F7F7F"),
        "date": f(num_format=DATE_FORMAT, align="left"),
        "header": f(bold=True, font_color="white", bg_color=BLUE, text_wrap=True, align="center", **border),
        "group": f(bold=True, font_size=11, font_color="white", bg_color=BLUE, **border),
        "family": f(bold=True, bg_color=MID_BLUE, **border),
        "cell": f(text_wrap=True, valign="top", **border),
        "code": f(valign="top", align="center", **border),
        "input": f(num_format=HEADCOUNT_FORMAT, bg_color=INPUT_YELLOW, locked=False, **border),
        "input_error": f(num_format=HEADCOUNT_FORMAT, bg_color=RED_FILL, bold=True, locked=False, **border),
        "input_warning": f(num_format=HEADCOUNT_FORMAT, bg_color=ORANGE_FILL, bold=True, locked=False, **border),
        "previous": f(num_format=HEADCOUNT_FORMAT, bg_color=GREY, font_color="#595959", italic=True, **border),
        "previous_total": f(num_format=HEADCOUNT_FORMAT, bg_color=GREY, font_color="#595959", italic=True,
                            bold=True, **border),
        "input_text": f(bg_color=INPUT_YELLOW, locked=False, text_wrap=True, valign="top", **border),
        "number": f(num_format=HEADCOUNT_FORMAT, align="right", **border),
        "total": f(bold=True, num_format=HEADCOUNT_FORMAT, bg_color=GREY, align="right", **border),
        "total_label": f(bold=True, bg_color=GREY, text_wrap=True, **border),
        "big_total": f(bold=True, num_format=HEADCOUNT_FORMAT, bg_color=LIGHT_BLUE, align="right", **border),
        "big_total_label": f(bold=True, bg_color=LIGHT_BLUE, text_wrap=True, **border),
        "percent": f(num_format=PERCENT_FORMAT, align="right", **border),
        "total_percent": f(bold=True, num_format=PERCENT_FORMAT, bg_color=GREY, align="right", **border),
        "big_total_percent": f(bold=True, num_format=PERCENT_FORMAT, bg_color=LIGHT_BLUE, align="right", **border),
        "alert": f(bold=True, bg_color=RED_FILL, font_color="#9C0006"),
        "ok": f(bold=True, font_color="#006100"),
        "warning_cell": f(bg_color="#FFEB9C", **border),
        "error_cell": f(bg_color=RED_FILL, **border),
    }


def row_height(cells: list[tuple[str, float]], line: float = 13.0) -> float:
    """A row height showing wrapped text whole: (text, column width) pairs, 10-point font.

    LibreOffice does not size rows on load, so wrapped cells need an explicit height.
    """
    lines = 1
    for text, width in cells:
        per_line = max(1, int(width * 1.2))
        lines = max(lines, sum(-(-max(len(part), 1) // per_line) for part in str(text).split("\n")))
    return line * lines + 2


def header_footer_text(text: str) -> str:
    """Escape text for an Excel page header/footer ('&' starts a control code there)."""
    return text.replace("&", "&&")


def a4(ws, landscape: bool = True, repeat: tuple[int, int] | None = None, header: str = "",
       footer: str = "", header_right: str = "") -> None:
    """Print on A4, as wide as one page, as many pages down as needed; ``repeat``: heading rows printed
    on every page; ``header``/``footer``: plain text (left) with the page number (right of the footer)."""
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    if repeat is not None:
        ws.repeat_rows(*repeat)
    if header or header_right:
        ws.set_header(f"&L&8{header_footer_text(header)}&R&8{header_footer_text(header_right)}")
    ws.set_footer(f"&L&8{header_footer_text(footer)}&R&8Page &P / &N" if footer else "&R&8Page &P / &N")


def remove_stale_temporaries(folder: Path) -> None:
    """Temporary workbooks and text files left by a run that was killed while writing (only one run writes at a
    time)."""
    if folder.is_dir():
        for path in [*folder.glob(".*.tmp.xlsx"), *folder.glob(".*.tmp")]:
            with contextlib.suppress(OSError):
                path.unlink()
