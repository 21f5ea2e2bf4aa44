"""The fast path of ingestion: a returned template read with python-calamine instead of openpyxl.

Entry point: :func:`read_fast`, used by ``ingest._read_workbook``. calamine reads cell values about 50
times faster than openpyxl but tells nothing of formulas, styles or merges; so a file takes this path
only when its XML shows nothing the full path would report on those: no formula, error or boolean in
the headcount column, no merge over it, no date or percent style on it, no external link, the sheets
of the template. Anything else returns None and the file goes through openpyxl. Values then go
through the very same row reading as the full path (:class:`GridSheet` gives calamine's values the
shape of an openpyxl sheet), so both paths produce the same messages.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath

from defusedxml import ElementTree as SafeET
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
      "cp": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
      "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"}
DATE_OR_PERCENT_BUILTIN = set(range(9, 11)) | set(range(14, 23)) | set(range(45, 48))
_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"([^>]*?)(/>|>(.*?)</c>)', re.S)


class GridCell:
    """What the row reading needs of an openpyxl cell."""

    __slots__ = ("row", "column", "value", "coordinate", "data_type")
    number_format = "General"

    def __init__(self, row: int, column: int, value: object, formula: bool = False):
        self.row, self.column, self.value = row, column, value
        self.coordinate = f"{get_column_letter(column)}{row}"
        self.data_type = "f" if formula else "n"


class _Merged:
    ranges: tuple = ()


class GridSheet:
    """calamine's values with the interface of an openpyxl worksheet (1-based rows and columns)."""

    merged_cells = _Merged()

    def __init__(self, title: str, rows: list[list[object]], formulas: set[str] = frozenset()):
        self.title = title
        width = max((len(r) for r in rows), default=0)
        self._rows = [[GridCell(i, j, _plain(v), f"{get_column_letter(j)}{i}" in formulas)
                       for j, v in enumerate(r + [""] * (width - len(r)), start=1)]
                      for i, r in enumerate(rows, start=1)]
        self.max_row = len(rows)

    def iter_rows(self, min_row: int = 1, max_row: int | None = None):
        for row in self._rows[min_row - 1: max_row]:
            yield row

    def cell(self, row: int, column: int) -> GridCell:
        if row <= len(self._rows) and column <= len(self._rows[row - 1]):
            return self._rows[row - 1][column - 1]
        return GridCell(row, column, None)


def _plain(value: object) -> object:
    """calamine's value as openpyxl gives it: empty is None, whole numbers stored as such are ints."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


NUMBER_TYPES = {"r4", "r8", "i1", "i2", "i4", "i8", "int", "ui1", "ui2", "ui4", "ui8", "uint", "decimal"}


def _custom_props(zf: zipfile.ZipFile) -> dict[str, object]:
    """Custom properties with their type, as openpyxl reads them (numbers as floats, anything else as text)."""
    try:
        root = SafeET.fromstring(zf.read("docProps/custom.xml"))
    except KeyError:
        return {}
    props: dict[str, object] = {}
    for prop in root.findall("cp:property", NS):
        child = next(iter(prop), None)
        if child is None or child.text is None:
            continue
        kind = child.tag.rsplit("}", 1)[-1]
        try:
            props[prop.get("name")] = float(child.text) if kind in NUMBER_TYPES else child.text
        except ValueError:
            props[prop.get("name")] = child.text
    return props


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part in the zip."""
    book = SafeET.fromstring(zf.read("xl/workbook.xml"))
    rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", NS)}
    parts = {}
    for sheet in book.findall("m:sheets/m:sheet", NS):
        target = targets.get(sheet.get(f"{{{NS['r']}}}id"), "")
        parts[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else \
            str(PurePosixPath("xl") / target)
    return parts


_STYLES_SEEN: dict[bytes, frozenset[int]] = {}  # the templates of a campaign share one styles part


def _suspect_styles(zf: zipfile.ZipFile) -> frozenset[int]:
    """Indexes of the cell styles whose number format shows dates or percentages."""
    try:
        data = zf.read("xl/styles.xml")
    except KeyError:
        return frozenset()
    if data not in _STYLES_SEEN:
        if len(_STYLES_SEEN) > 64:
            _STYLES_SEEN.clear()
        _STYLES_SEEN[data] = frozenset(_parse_suspect_styles(data))
    return _STYLES_SEEN[data]


def _parse_suspect_styles(data: bytes) -> set[int]:
    root = SafeET.fromstring(data)
    custom = {int(f.get("numFmtId")): f.get("formatCode", "") for f in root.findall("m:numFmts/m:numFmt", NS)}

    def suspect(fmt_id: int) -> bool:
        if fmt_id in DATE_OR_PERCENT_BUILTIN:
            return True
        code = re.sub(r'"[^"]*"|\[[^\]]*\]', "", custom.get(fmt_id, "")).lower()
        return "%" in code or bool(re.search(r"[dmy]", code))

    xfs = root.findall("m:cellXfs/m:xf", NS)
    return {i for i, xf in enumerate(xfs) if suspect(int(xf.get("numFmtId", "0")))}


def read_fast(path: Path, campaign, layout):
    """The parsed file, or None when the file needs the full openpyxl path."""
    from .ingest import FileReport, _check_identity, _find_header, _key_of, _Parsed, _prop_text, _read_input_sheet
    from .templates import COL_EFFECTIF, SHEET_FEEDBACK, SHEET_GUIDE, SHEET_INPUT

    sheet_names = (SHEET_GUIDE, SHEET_INPUT, SHEET_FEEDBACK)
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        if any(n.startswith("xl/externalLinks/") for n in names):
            return None
        if "xl/sharedStrings.xml" in names:
            with zf.open("xl/sharedStrings.xml") as fh:
                if b"<!DOCTYPE" in fh.read(4096).upper():  # DTDs are for defusedxml to judge
                    return None
        props = _custom_props(zf)
        parts = _sheet_parts(zf)
        if set(parts) - set(sheet_names) or SHEET_INPUT not in parts or parts[SHEET_INPUT] not in names:
            return None
        xml = zf.read(parts[SHEET_INPUT])
        suspect = _suspect_styles(zf)
    parsed = _Parsed(FileReport(path.name), "", "", [])
    company = _check_identity(parsed.report, {k: _prop_text(v) for k, v in props.items()}, campaign)
    if company is None:
        return None
    cells = _CELL.findall(xml)
    formulas = {(col + row).decode() for col, row, _attrs, _end, inner in cells if inner and b"<f" in inner}
    book = CalamineWorkbook.from_path(str(path))
    sheet = book.get_sheet_by_name(SHEET_INPUT)
    rows = sheet.to_python(skip_empty_area=False)
    grid = GridSheet(SHEET_INPUT, rows, formulas)
    header = _find_header(grid)
    if header is None:
        return None
    value_col = get_column_letter(header[1][COL_EFFECTIF]).encode()
    input_rows = {r.cle for r in layout if r.is_input}
    code_col = header[1][0] - 1
    key_rows = {row[0].row for row in grid.iter_rows(min_row=header[0] + 1)
                if _key_of(row[code_col].value)[0] in input_rows}
    for col, row_number, attrs, _end, inner in cells:
        if col != value_col or int(row_number) not in key_rows:
            continue
        style = re.search(rb'\bs="(\d+)"', attrs)
        if (inner and b"<f" in inner) or re.search(rb'\bt="(e|b|d)"', attrs) or \
                (style and int(style.group(1)) in suspect):
            return None
    for merged in sheet.merged_cell_ranges or []:
        (r0, c0), (r1, c1) = merged
        if c0 <= header[1][COL_EFFECTIF] - 1 <= c1 and r1 + 1 > header[0]:
            return None
    parsed.company = company
    parsed.sheet = SHEET_INPUT
    _read_input_sheet(path, parsed, grid, layout)
    return parsed

