"""The reader of a return saved in OpenDocument (.ods, LibreOffice's own format): the same facts as
:mod:`pipeline.read.xlsx` gives for an .xlsx, so that the same checks apply and name the same cells.

An .ods is a zip like an .xlsx: its directory is checked against the same limits before anything is
decompressed (:func:`pipeline.read.xlsx.container_problem`). ``meta.xml`` holds the identity
(``meta:user-defined`` properties, which LibreOffice keeps when it saves our template as .ods);
``content.xml`` holds every sheet, streamed once with the same hardened parser (no DTD, no entity,
no network). ODS compresses runs of identical cells and rows with repeat counts
(``table:number-columns-repeated``, ``table:number-rows-repeated``, up to the whole grid): an empty
run only moves the position, and a run with content is expanded only within :data:`MAX_CELLS`, so time
and memory stay bounded whatever the counts claim.

Values map to the xlsx reader's kinds: numbers ("n"; a percentage keeps a percent format, a date or a
time becomes Excel's serial number with a date format, as in an .xlsx), text ("s", or "str" for a
formula's text result), booleans ("b"), errors ("e"). Formulas are turned into Excel's notation
(``of:=[.E12]-[.E13]`` is shown ``E12-E13``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from lxml import etree

from ..core.form import MAX_CELL_TEXT
from .sheet import MAX_COL, MAX_ROW, CellFact, SheetFacts, _number
from .xlsx import SheetRef, WorkbookFacts
from .xml import XmlBroken, XmlRefused, local, natural, refuse_dtd, root, syntax_error

MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
MAX_CELLS = 250_000  # cells with content, repeats expanded; a filled template has about 600
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
_T, _O, _X = f"{{{TABLE}}}", f"{{{OFFICE}}}", f"{{{TEXT}}}"
ROW, TABLE_EL, CELL, COVERED = _T + "table-row", _T + "table", _T + "table-cell", _T + "covered-table-cell"
P, ANNOTATION = _X + "p", _O + "annotation"
# Number formats of the cells read here, by style index (what the value type of an ODS cell says).
GENERAL, PERCENT, DATE, TIME = 0, 1, 2, 3
FORMATS = ["General", "0%", "dd/mm/yyyy", "hh:mm:ss"]
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
MACRO_FOLDERS = ("Basic/", "Scripts/")


class TooManyCells(Exception):
    """The repeat counts of a sheet claim more cells with content than any return holds."""


def is_ods(zf: zipfile.ZipFile, members: set[str]) -> bool:
    """Whether a zip is an OpenDocument spreadsheet (its ``mimetype`` member says so)."""
    if "mimetype" not in members or zf.getinfo("mimetype").file_size > 200:
        return False
    return zf.read("mimetype").strip() == MIMETYPE


class OdsFacts(WorkbookFacts):
    """The facts of an .ods: every sheet is parsed when the file is read (one part holds them all)."""

    def sheet(self, name: str) -> SheetFacts:
        return self._parsed[name]

    def number_format(self, style: int) -> str:
        return FORMATS[style] if 0 <= style < len(FORMATS) else "General"


def read_ods(facts: WorkbookFacts, zf: zipfile.ZipFile, members: frozenset[str]) -> OdsFacts:
    """Fill the facts of an .ods whose container was checked already; ``problem`` says what stopped it."""
    ods = OdsFacts(facts.name, facts.size, facts.sha256, facts.head, members=members, format="ods")
    try:
        if not is_ods(zf, members) or "content.xml" not in members:
            ods.problem = "pas_classeur"
        elif any(m.startswith(MACRO_FOLDERS) for m in members):
            ods.problem = "macros"
        elif _encrypted(zf, members):
            ods.problem = "chiffre"
        else:
            if "meta.xml" in members:
                ods.properties = user_defined(root(zf.read("meta.xml")))
            _read_content(ods, zf.read("content.xml"))
    except XmlRefused:
        ods.problem = "xml_dangereux"
    except TooManyCells:
        ods.problem = "volumineux"
    except (XmlBroken, etree.XMLSyntaxError, KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        ods.problem = "zip_illisible"
    finally:
        zf.close()
    return ods


def _encrypted(zf: zipfile.ZipFile, members: frozenset[str]) -> bool:
    """A password-protected .ods keeps its parts encrypted (the manifest says how)."""
    part = "META-INF/manifest.xml"
    return part in members and any(local(el.tag) == "encryption-data" for el in root(zf.read(part)).iter())


def user_defined(meta: etree._Element) -> dict[str, object]:
    """The ``meta:user-defined`` properties: text, or a float / boolean when typed so."""
    props: dict[str, object] = {}
    for el in meta.iter(f"{{{META}}}user-defined"):
        name, kind, text = el.get(f"{{{META}}}name"), el.get(f"{{{META}}}value-type", "string"), el.text or ""
        if name is None:
            continue
        if kind == "float":
            try:
                props[name] = float(text)
                continue
            except ValueError:
                pass
        props[name] = text.strip() == "true" if kind == "boolean" else text
    return props


def _read_content(facts: OdsFacts, data: bytes) -> None:
    """Every sheet of ``content.xml``, streamed: each row is dropped once read."""
    refuse_dtd(data)
    context = etree.iterparse(io.BytesIO(data), events=("start", "end"), tag=(TABLE_EL, ROW),
                              resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                              remove_comments=True)
    sheet, row_no, budget, checked = None, 0, [MAX_CELLS], False
    try:
        for event, el in context:
            if not checked:
                if el.getroottree().docinfo.doctype:
                    raise XmlRefused()
                checked = True
            if el.tag == TABLE_EL:
                if event == "start":
                    sheet, row_no = SheetFacts(el.get(_T + "name", "")), 0
                    facts.sheets.append(SheetRef(sheet.name, "visible", "content.xml"))
                    facts._parsed[sheet.name] = sheet
                    if el.find(_T + "table-source") is not None:
                        facts.external_links = True
                continue
            if event == "end" and sheet is not None:
                row_no = _row(el, row_no, sheet, facts, budget)
                el.clear()
                parent = el.getparent()
                if parent is not None:
                    while el.getprevious() is not None:
                        del parent[0]
    except etree.XMLSyntaxError as err:
        raise syntax_error(err) from None


MAX_REPEAT = 1_000_000_000  # any count beyond the grid is as good as this one


def _count(el, attr: str) -> int:
    """A repeat or span count: 1 when absent or not a number, at most :data:`MAX_REPEAT`."""
    text = el.get(attr)
    return max(1, min(natural((text or "")[:12], 1), MAX_REPEAT))  # 12 digits already beyond the bound


def _row(row_el, row_no: int, sheet: SheetFacts, facts: OdsFacts, budget: list[int]) -> int:
    """The cells of one ``table:table-row`` (repeated as it says); returns the last row number used."""
    repeat = _count(row_el, _T + "number-rows-repeated")
    first = row_no + 1
    found, col = [], 1  # (col, repeat, cell, spans) of the cells with content
    for c in row_el:
        if c.tag != CELL and c.tag != COVERED:
            continue
        n = _count(c, _T + "number-columns-repeated")
        cell = _cell(c, facts) if len(c) or c.get(_O + "value-type") or c.get(_T + "formula") else None
        spans = (_count(c, _T + "number-rows-spanned"), _count(c, _T + "number-columns-spanned"))
        if cell is not None or spans != (1, 1):
            found.append((col, n, cell, spans))
        col += n
    if not found:
        return row_no + repeat
    total = sum(n for _, n, cell, _ in found if cell is not None) * repeat
    budget[0] -= total + sum(n for _, n, _, spans in found if spans != (1, 1)) * repeat
    if budget[0] < 0:
        raise TooManyCells()
    for r in range(first, first + repeat):
        for col, n, cell, spans in found:
            for k in range(col, col + n):
                if r > MAX_ROW or k > MAX_COL:
                    sheet.out_of_range += cell is not None
                    continue
                if spans != (1, 1):
                    sheet.merged.append((r, k, min(r + spans[0] - 1, MAX_ROW), min(k + spans[1] - 1, MAX_COL)))
                if cell is None:
                    continue
                value, kind, formula, style, note = cell
                if value is not None or formula is not None:
                    sheet.cells.append(CellFact(r, k, value, kind, formula, style,
                                                kind == "n" and value.__class__ is str))
                if note:
                    sheet.notes[(r, k)] = note
    return row_no + repeat


def _cell(c, facts: OdsFacts) -> tuple | None:
    """(value, kind, formula, style, note) of a cell with content; None for an empty one."""
    paragraphs = [_text(p) for p in c.iterchildren(P)]
    note_el = c.find(ANNOTATION)
    note = "\n".join(_text(p) for p in note_el.iter(P)).strip()[:MAX_CELL_TEXT] if note_el is not None else ""
    formula = c.get(_T + "formula")
    if formula is not None:
        formula, external = excel_formula(formula)
        facts.external_links |= external
    kind_attr = c.get(_O + "value-type")
    style = GENERAL
    if c.get(f"{{{CALCEXT}}}value-type") == "error":
        value, kind = "\n".join(paragraphs), "e"
    elif kind_attr in ("float", "currency", "percentage"):
        value, kind = _number(c.get(_O + "value", "")), "n"
        style = PERCENT if kind_attr == "percentage" else GENERAL
    elif kind_attr == "date":
        value, kind, style = _serial_date(c.get(_O + "date-value", "")), "n", DATE
    elif kind_attr == "time":
        value, kind, style = _serial_time(c.get(_O + "time-value", "")), "n", TIME
    elif kind_attr == "boolean":
        value, kind = c.get(_O + "boolean-value", "").strip() == "true", "b"
    elif kind_attr == "string" or paragraphs:
        value = c.get(_O + "string-value")
        value = ("\n".join(paragraphs) if value is None else value)[:MAX_CELL_TEXT]
        kind = "str" if formula is not None else "s"
    else:
        value, kind = None, "n"
    if value is None and formula is None and not note:
        return None
    return value, kind, formula, style, note


def _text(p) -> str:
    """The text of a paragraph: spans and links read through, ``text:s`` spaces, tabs and line breaks."""
    out = [p.text or ""]
    for child in p:
        name = local(child.tag)
        if name == "s":
            out.append(" " * min(_count(child, _X + "c"), MAX_CELL_TEXT))
        elif name == "tab":
            out.append("\t")
        elif name == "line-break":
            out.append("\n")
        elif name != "annotation":
            out.append(_text(child))
        out.append(child.tail or "")
        if sum(map(len, out)) > MAX_CELL_TEXT:
            break
    return "".join(out)[:MAX_CELL_TEXT]


def _serial_date(text: str) -> float | str:
    """An ODS date ("2007-07-12", "2007-07-12T10:30:00") as Excel's serial number."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return text
    return (moment.replace(tzinfo=None) - EXCEL_EPOCH).total_seconds() / 86_400


_DURATION = re.compile(r"^-?PT?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$")


def _serial_time(text: str) -> float | str:
    """An ODS time ("PT12H30M00S") as a fraction of a day, as Excel stores it."""
    match = _DURATION.match(text.strip())
    if not match:
        return text
    h, m, s = (float(g) if g else 0.0 for g in match.groups())
    return (h * 3600 + m * 60 + s) / 86_400


_REFERENCE = re.compile(r"\[([^\]]*)\]")
_NAMESPACE = re.compile(r"^[a-z]+:(?==)")


def excel_formula(text: str) -> tuple[str, bool]:
    """An ODF formula in Excel's notation, without its "=" (as an .xlsx stores it), and whether it
    refers to another file: ``of:=SUM([.E14:.E20];[$Feuil1.A1])`` -> ``SUM(E14:E20,Feuil1!A1)``."""
    external = False

    def reference(match: re.Match) -> str:
        nonlocal external
        inner = match.group(1)
        if "#" in inner:  # 'file:///…/budget.ods'#$Feuil1.A3
            external = True
            source, _, rest = inner.partition("#")
            return f"[{source.strip(chr(39)).rsplit('/', 1)[-1]}]{_reference(rest)}"
        return _reference(inner)

    body = _NAMESPACE.sub("", text.strip()).removeprefix("=")
    return _outside_quotes(body, lambda part: _REFERENCE.sub(reference, part).replace(";", ",")), external


def _reference(inner: str) -> str:
    parts = []
    for piece in inner.split(":"):
        sheet, _, cell = piece.rpartition(".")
        sheet = sheet.lstrip("$").replace("''", "'")
        parts.append(f"{sheet}!{cell}" if sheet and not parts else cell)
    return ":".join(parts)


def _outside_quotes(text: str, fn) -> str:
    """``fn`` applied to the parts of a formula outside its string literals."""
    pieces = text.split('"')
    return '"'.join(fn(p) if i % 2 == 0 else p for i, p in enumerate(pieces))
