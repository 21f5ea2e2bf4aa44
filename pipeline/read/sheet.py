"""One sheet of a workbook, parsed: every cell that holds something, with its type, formula and style;
the merged areas; the notes. Also the workbook-wide parts a sheet's cells refer to (shared strings,
number formats)."""

from __future__ import annotations

import functools
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from .xml import (
    XmlRefused,
    area,
    column_number,
    local,
    natural,
    ref,
    refuse_dtd,
    root,
    syntax_error,
)

MAX_ROW, MAX_COL = 1_048_576, 16_384
STREAM_FROM = 2 * 1024 * 1024       # sheet parts larger than this are streamed
MAX_DIGITS = 15                     # Excel's significant digits: a longer integer is read as a float
_DIGITS = "0123456789"
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _V, _F, _T = (_MAIN + tag for tag in ("row", "v", "f", "t"))


@dataclass(slots=True)
class CellFact:
    """One cell as stored. ``kind``: the cell's type attribute ("n" by default, "s" shared string,
    "str" a formula's text result, "inlineStr", "b", "e", "d"); ``value``: the typed value (float or
    int for numbers, str, bool; an error's text such as "#REF!"); ``formula``: the formula's text when
    the cell has one ("" for a shared formula's follower); ``style``: index into the cell formats;
    ``bad_number``: a numeric cell whose stored text is not a number."""

    row: int
    col: int
    value: object
    kind: str = "n"
    formula: str | None = None
    style: int = 0
    bad_number: bool = False

    @property
    def ref(self) -> str:
        return ref(self.row, self.col)


@dataclass
class SheetFacts:
    name: str
    cells: list[CellFact] = field(default_factory=list)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)   # min_row, min_col, max_row, max_col
    notes: dict[tuple[int, int], str] = field(default_factory=dict)        # (row, col) -> text of a note
    out_of_range: int = 0  # cells claiming an address beyond Excel's grid


def parse_sheet(name: str, data: bytes, strings: Callable[[], list[str]]) -> SheetFacts:
    """The cells of a sheet part. ``strings``: the workbook's shared strings, asked for when needed."""
    facts = SheetFacts(name)
    row_no = 0
    shared = None  # the shared strings, once a cell asks for them
    try:
        for el in _rows_and_merges(data):
            if el.tag != _ROW and el.tag.endswith("mergeCell"):
                found = area(el.get("ref", ""))
                if found:
                    facts.merged.append(found)
                continue
            r = el.get("r")
            row_no = natural(r, row_no + 1)
            shared = _row(el, row_no, facts, strings, shared)
    except etree.XMLSyntaxError as err:
        raise syntax_error(err) from None
    return facts


@functools.lru_cache(maxsize=20_000)  # the returns of a campaign share their addresses; a few MB at most
def _address(r: str) -> tuple[int, int]:
    """(row, column) of a cell reference; (-1, column) when the row is not a number, column 0 when the
    letters are not a column."""
    letters = r.rstrip(_DIGITS)
    col = column_number(letters)
    digits = r[len(letters):]
    return natural(digits, -1) if col else -1, col


@functools.lru_cache(maxsize=2_000)
def _style(s: str | None) -> int:
    return natural(s, 0)


def _row(row_el, row_no: int, facts: SheetFacts, strings: Callable[[], list[str]],
         shared: list[str] | None) -> list[str] | None:
    """The non-empty cells of one row (a cell without ``r`` follows the previous one); returns the shared strings
    when asked for. A value's tag is compared whole when of the main namespace; any other namespace or prefix takes
    the general path, to the same result."""
    col_no = 0
    append = facts.cells.append
    skipped = []  # the empty cells since the last one placed: placed only should a cell without ``r`` follow
    for c in row_el.iterchildren("{*}c"):
        if not len(c):
            skipped.append(c)
            continue
        r = c.get("r")
        if r:
            row, col = _address(r)
        else:
            for empty in skipped:
                at = empty.get("r")
                col_no = _address(at)[1] if at else col_no + 1
            col, row = col_no + 1, row_no
        col_no = col
        if skipped:
            skipped.clear()
        if row < 1 or row > MAX_ROW or col > MAX_COL:
            facts.out_of_range += 1
            continue
        kind = c.get("t") or "n"
        text = formula = value = None
        for child in c:
            tag = child.tag
            if tag == _V:
                text = child.text or ""
            elif tag == _F:
                formula = child.text or ""
            elif tag.endswith("v"):
                text = child.text or ""
            elif tag.endswith("f"):
                formula = child.text or ""
            elif tag.endswith("is"):
                value = "".join(x.text or "" for x in child.iter("{*}t"))
        bad = False
        if text is None or kind == "inlineStr":
            pass
        elif kind == "s":
            if shared is None:
                shared = strings()
            i = natural(text, -1)
            value = shared[i] if 0 <= i < len(shared) else ""
        elif kind == "n":
            value = _number(text)
            bad = value.__class__ is str
        elif kind == "b":
            value = text.strip() in ("1", "true")
        else:
            value = text
        if value is not None or formula is not None:
            append(CellFact(row, col, value, kind, formula, _style(c.get("s")), bad))
    return shared


def parse_notes(data: bytes) -> dict[tuple[int, int], str]:
    """(row, col) -> text of every note of a comments part."""
    notes = {}
    for comment in root(data).iter("{*}comment"):
        found = area(comment.get("ref", "").split(":")[0])
        if found:
            text = "".join(t.text or "" for t in comment.iter("{*}t"))
            notes[(found[0], found[1])] = text.strip()
    return notes


def _rows_and_merges(data: bytes):
    """The row and mergeCell elements of a sheet part, in order. Small parts (every real return) are
    parsed whole; larger ones are streamed, each row dropped once read, so memory stays flat."""
    refuse_dtd(data)
    if len(data) <= STREAM_FROM:
        yield from root(data).iter("{*}row", "{*}mergeCell")
        return
    context = etree.iterparse(io.BytesIO(data), events=("end",), tag=("{*}row", "{*}mergeCell"),
                              resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                              remove_comments=True)
    checked = False
    for _event, el in context:
        if not checked:
            if el.getroottree().docinfo.doctype:
                raise XmlRefused()
            checked = True
        yield el
        el.clear()
        parent = el.getparent()
        if parent is not None:
            while el.getprevious() is not None:
                del parent[0]


def _number(text: str) -> int | float | str:
    """A numeric cell's stored text: an int when written without a decimal part, else a float (NaN and
    infinities included: the checks report them); the text itself when not a number. An integer longer than
    Excel's 15 significant digits is read as a float, as Excel reads it (beyond 309 digits, an infinite one):
    never an integer no float can hold."""
    t = text.strip()
    if not t.isascii():  # « ² », « ١٢ »: digits to Python, never a number a spreadsheet stores
        return text
    digits = t[1:] if t[:1] in ("+", "-") else t
    try:
        return int(t) if len(digits) <= MAX_DIGITS and digits.isdigit() else float(t)
    except ValueError:
        return text


def shared_strings(data: bytes) -> list[str]:
    """The text of every item (``si``) of the shared strings part, in order: its ``t``, or its rich text runs'
    ``t`` joined; phonetic guides (``rPh``) are not the text."""
    out = []
    for si in root(data).iterchildren("{*}si"):
        if len(si) == 1:  # plain text: nearly every item
            first = si[0]
            tag = first.tag
            if tag == _T or tag.__class__ is str and (tag == "t" or tag.endswith("}t")):
                out.append(first.text or "")
                continue
        parts = []
        for child in si:
            t = local(child.tag)
            if t == "t":
                parts.append(child.text or "")
            elif t == "r":
                parts += [x.text or "" for x in child if local(x.tag) == "t"]
        out.append("".join(parts))
    return out


BUILTIN_FORMATS = {0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
                   11: "0.00E+00", 12: "# ?/?", 13: "# ??/??", 14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm",
                   17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss",
                   22: "m/d/yy h:mm", 45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 49: "@"}
_FORMATS_SEEN: dict[bytes, list[str]] = {}  # the returns of a campaign share one styles part


def number_formats(data: bytes | None) -> list[str]:
    """Number format code of every cell style (index = the cell's ``s``)."""
    if not data:
        return []
    key = hashlib.sha256(data).digest()
    if key not in _FORMATS_SEEN:
        if len(_FORMATS_SEEN) > 64:
            _FORMATS_SEEN.clear()
        custom, xfs = {}, []
        for el in root(data):
            if local(el.tag) == "numFmts":
                custom = {natural(f.get("numFmtId"), -1): f.get("formatCode", "") for f in el}
            elif local(el.tag) == "cellXfs":
                for xf in el:
                    n = natural(xf.get("numFmtId"), 0)
                    xfs.append(custom.get(n, BUILTIN_FORMATS.get(n, "General")))
        _FORMATS_SEEN[key] = xfs
    return _FORMATS_SEEN[key]
