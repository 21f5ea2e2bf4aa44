"""The one reader of a returned workbook: bytes in, facts out. It decides nothing.

:func:`read_workbook` reads a file's bytes once (the hash recorded is the hash of these very bytes),
checks the zip directory before anything is decompressed, then parses each XML part it needs with a
real XML parser (lxml, hardened: no DTD, no entity expansion, no network; a part with a DOCTYPE is
not parsed at all). Values, formulas, types and styles of a sheet come from one streaming parse of
its part; nothing is allocated per cell address, so a cell at XFD1048576 costs what any other cell
costs, and time and memory are bounded by the size limits below.

Whatever the file is, the result is a :class:`WorkbookFacts`; ``problem`` names what stopped the
reading (a code the checks turn into a French message).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lxml import etree

# Limits, checked on the file and its zip directory before anything is decompressed.
MAX_FILE = 20 * 1024 * 1024          # the file itself (a template is about 25 KB)
MAX_MEMBERS = 2_000
MAX_UNCOMPRESSED = 50 * 1024 * 1024  # the whole content (pasted images included)
MAX_XML_PART = 10 * 1024 * 1024      # one XML part: ~100,000 rows; a template's sheet is 35 KB
MAX_RATIO = 200                      # compression ratio of the whole, above 10 MB
RATIO_FROM = 10 * 1024 * 1024
STREAM_FROM = 2 * 1024 * 1024       # sheet parts larger than this are streamed
MAX_ROW, MAX_COL = 1_048_576, 16_384

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
NUMBER_TYPES = {"r4", "r8", "i1", "i2", "i4", "i8", "int", "ui1", "ui2", "ui4", "ui8", "uint", "decimal"}
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           remove_comments=True, remove_pis=True)


class XmlRefused(Exception):
    """A part holds a DOCTYPE (entity bombs, external entities): it is not parsed."""


class XmlBroken(Exception):
    """A part is not well-formed XML."""


def _refuse_dtd(data: bytes) -> None:
    """No spreadsheet part has a DTD; one that declares any is a trap (entity bombs, external entities).
    A DOCTYPE can only be markup here: in text, "<" is always escaped."""
    if b"<!DOCTYPE" in data or b"<\x00!\x00D\x00O\x00C\x00T\x00Y\x00P\x00E" in data:
        raise XmlRefused()


def _syntax_error(err: etree.XMLSyntaxError) -> Exception:
    text = str(err).lower()
    return XmlRefused() if "entity" in text or "amplification" in text else XmlBroken(str(err))


def _root(data: bytes) -> etree._Element:
    _refuse_dtd(data)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as err:
        raise _syntax_error(err) from None
    if root.getroottree().docinfo.doctype:
        raise XmlRefused()
    return root


_LOCAL: dict[str, str] = {}


def _local(tag: object) -> str:
    """An element's name without its namespace (any namespace, any prefix)."""
    if not isinstance(tag, str):
        return ""
    name = _LOCAL.get(tag)
    if name is None:
        name = _LOCAL[tag] = tag.rsplit("}", 1)[-1]
    return name


_DIGITS = "0123456789"
_COLUMNS: dict[str, int] = {}


def column_number(letters: str) -> int:
    """"E" -> 5, "XFD" -> 16384; 0 for anything that is not 1 to 3 letters."""
    n = _COLUMNS.get(letters)
    if n is None:
        n = 0
        if 1 <= len(letters) <= 3 and letters.isalpha() and letters.isascii():
            for ch in letters.upper():
                n = n * 26 + ord(ch) - 64
        if len(_COLUMNS) < 20_000:
            _COLUMNS[letters] = n
    return n


def column_letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def ref(row: int, col: int) -> str:
    return f"{column_letters(col)}{row}"


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


@dataclass
class SheetRef:
    name: str
    state: str  # visible, hidden, veryHidden
    part: str   # its part in the zip ("" when the workbook points nowhere)


@dataclass
class WorkbookFacts:
    """What a returned file is made of."""

    name: str
    size: int
    sha256: str
    head: bytes = b""
    problem: str = ""          # why reading stopped: see the module docstring of pipeline.check.files
    members: frozenset[str] = frozenset()
    properties: dict[str, object] = field(default_factory=dict)
    sheets: list[SheetRef] = field(default_factory=list)
    external_links: bool = False
    _zip: zipfile.ZipFile | None = field(default=None, repr=False)
    _strings: list[str] | None = field(default=None, repr=False)
    _formats: list[str] | None = field(default=None, repr=False)
    _parsed: dict[str, SheetFacts] = field(default_factory=dict, repr=False)

    def sheet(self, name: str) -> SheetFacts:
        """The sheet's cells, parsed once on first use. Raises XmlRefused / XmlBroken / KeyError."""
        if name not in self._parsed:
            found = [s for s in self.sheets if s.name == name]
            self._parsed[name] = self._parse_sheet(found[0])
        return self._parsed[name]

    def number_format(self, style: int) -> str:
        """The number format code of a cell style ("General", "0%", "dd/mm/yyyy"…)."""
        if self._formats is None:
            self._formats = _number_formats(self._read_optional("xl/styles.xml"))
        return self._formats[style] if 0 <= style < len(self._formats) else "General"

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None

    # -- parts ---------------------------------------------------------------------------------

    def _read_optional(self, part: str) -> bytes | None:
        return self._zip.read(part) if part in self.members else None

    def _shared_strings(self) -> list[str]:
        if self._strings is None:
            data = self._read_optional("xl/sharedStrings.xml")
            self._strings = _shared_strings(data) if data else []
        return self._strings

    def _parse_sheet(self, sheet: SheetRef) -> SheetFacts:
        facts = SheetFacts(sheet.name)
        data = self._zip.read(sheet.part)
        row_no = 0
        try:
            for el in _rows_and_merges(data):
                if el.tag.endswith("mergeCell"):
                    area = _area(el.get("ref", ""))
                    if area:
                        facts.merged.append(area)
                    continue
                r = el.get("r")
                row_no = int(r) if r and r.isdigit() else row_no + 1
                self._row(el, row_no, facts)
        except etree.XMLSyntaxError as err:
            raise _syntax_error(err) from None
        facts.notes = self._notes(sheet.part)
        return facts

    def _row(self, row_el, row_no: int, facts: SheetFacts) -> None:
        """The non-empty cells of one row (a cell without ``r`` follows the previous one)."""
        col_no = 0
        append = facts.cells.append
        for c in row_el.iterchildren("{*}c"):
            r = c.get("r")
            if r:
                letters = r.rstrip(_DIGITS)
                col = column_number(letters)
                digits = r[len(letters):]
                row = int(digits) if col and digits.isdigit() else -1
            else:
                col, row = col_no + 1, row_no
            col_no = col
            if not len(c):
                continue
            if row < 1 or row > MAX_ROW or col > MAX_COL:
                facts.out_of_range += 1
                continue
            kind = c.get("t") or "n"
            s = c.get("s")
            text = formula = value = None
            for child in c:
                tag = child.tag
                if tag.endswith("v"):
                    text = child.text or ""
                elif tag.endswith("f"):
                    formula = child.text or ""
                elif tag.endswith("is"):
                    value = "".join(x.text or "" for x in child.iter("{*}t"))
            bad = False
            if kind == "inlineStr" or text is None:
                pass
            elif kind == "s":
                strings = self._strings if self._strings is not None else self._shared_strings()
                i = int(text) if text.isdigit() else -1
                value = strings[i] if 0 <= i < len(strings) else ""
            elif kind == "n":
                value = _number(text)
                bad = value.__class__ is str
            elif kind == "b":
                value = text.strip() in ("1", "true")
            else:
                value = text
            if value is not None or formula is not None:
                append(CellFact(row, col, value, kind, formula, int(s) if s and s.isdigit() else 0, bad))

    def _notes(self, part: str) -> dict[tuple[int, int], str]:
        """Notes (comments) attached to the sheet's cells."""
        p = PurePosixPath(part)
        rels = self._read_optional(str(p.parent / "_rels" / (p.name + ".rels")))
        if not rels:
            return {}
        notes = {}
        for rel in _root(rels):
            if not str(rel.get("Type", "")).endswith("/comments"):
                continue
            target = _resolve(str(p.parent), rel.get("Target", ""))
            data = self._read_optional(target)
            if not data:
                continue
            for comment in _root(data).iter():
                if _local(comment.tag) == "comment":
                    m = _REF.match(comment.get("ref", "").split(":")[0])
                    if m:
                        text = "".join(t.text or "" for t in comment.iter() if _local(t.tag) == "t")
                        notes[(int(m.group(2)), column_number(m.group(1)))] = text.strip()
        return notes


def _rows_and_merges(data: bytes):
    """The row and mergeCell elements of a sheet part, in order. Small parts (every real return) are
    parsed whole; larger ones are streamed, each row dropped once read, so memory stays flat."""
    _refuse_dtd(data)
    if len(data) <= STREAM_FROM:
        root = _root(data)
        yield from root.iter("{*}row", "{*}mergeCell")
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
    """A numeric cell's stored text: an int when written without a decimal part, else a float
    (NaN and infinities included: the checks report them); the text itself when not a number."""
    if text.isdigit():
        return int(text)
    try:
        t = text.strip()
        return int(t) if t.lstrip("-+").isdigit() else float(t)
    except ValueError:
        return text


def _area(text: str) -> tuple[int, int, int, int] | None:
    parts = text.split(":")
    found = [_REF.match(p) for p in parts]
    if not all(found) or not found:
        return None
    rows = [int(m.group(2)) for m in found]
    cols = [column_number(m.group(1)) for m in found]
    return min(rows), min(cols), max(rows), max(cols)


def _shared_strings(data: bytes) -> list[str]:
    root = _root(data)
    out = []
    for si in root:
        if _local(si.tag) != "si":
            continue
        parts = []
        for child in si:
            t = _local(child.tag)
            if t == "t":
                parts.append(child.text or "")
            elif t == "r":
                parts += [x.text or "" for x in child if _local(x.tag) == "t"]
        out.append("".join(parts))
    return out


BUILTIN_FORMATS = {0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
                   11: "0.00E+00", 12: "# ?/?", 13: "# ??/??", 14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm",
                   17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss",
                   22: "m/d/yy h:mm", 45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 49: "@"}
_FORMATS_SEEN: dict[bytes, list[str]] = {}  # the returns of a campaign share one styles part


def _number_formats(data: bytes | None) -> list[str]:
    """Number format code of every cell style (index = the cell's ``s``)."""
    if not data:
        return []
    key = hashlib.sha256(data).digest()
    if key not in _FORMATS_SEEN:
        if len(_FORMATS_SEEN) > 64:
            _FORMATS_SEEN.clear()
        root = _root(data)
        custom, xfs = {}, []
        for el in root:
            if _local(el.tag) == "numFmts":
                custom = {int(f.get("numFmtId", "-1")): f.get("formatCode", "") for f in el
                          if str(f.get("numFmtId", "")).isdigit()}
            elif _local(el.tag) == "cellXfs":
                for xf in el:
                    n = xf.get("numFmtId", "0")
                    n = int(n) if n.isdigit() else 0
                    xfs.append(custom.get(n, BUILTIN_FORMATS.get(n, "General")))
        _FORMATS_SEEN[key] = xfs
    return _FORMATS_SEEN[key]


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = []
    for piece in f"{base}/{target}".split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


def _container_problem(infos: list[zipfile.ZipInfo]) -> str:
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    largest_xml = max((i.file_size for i in infos if i.filename.endswith((".xml", ".rels"))), default=0)
    if len(infos) > MAX_MEMBERS or total > MAX_UNCOMPRESSED or largest_xml > MAX_XML_PART \
            or (total > RATIO_FROM and total / packed > MAX_RATIO):
        return "volumineux"
    return ""


def read_bytes(name: str, data: bytes) -> WorkbookFacts:
    """The facts of a file's content (``name`` is only carried along)."""
    facts = WorkbookFacts(name, len(data), hashlib.sha256(data).hexdigest(), data[:8])
    if not data:
        facts.problem = "vide"
        return facts
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        facts.problem = "ole"
        return facts
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        facts.problem = "zip_illisible" if data.startswith(b"PK") else "pas_zip"
        return facts
    facts.problem = _container_problem(infos)
    if facts.problem:
        zf.close()
        return facts
    facts._zip = zf
    facts.members = frozenset(i.filename for i in infos)
    try:
        _read_structure(facts)
    except XmlRefused:
        facts.problem = "xml_dangereux"
    except (XmlBroken, KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        facts.problem = facts.problem or "zip_illisible"
    return facts


def _read_structure(facts: WorkbookFacts) -> None:
    members = facts.members
    if "xl/vbaProject.bin" in members:
        facts.problem = "macros"
        return
    if "xl/workbook.xml" not in members:
        facts.problem = "pas_classeur"
        return
    book = _root(facts._zip.read("xl/workbook.xml"))
    ns = book.tag[1:].split("}")[0] if str(book.tag).startswith("{") else ""
    if ns == STRICT_MAIN:
        facts.problem = "strict"
        return
    facts.external_links = any(m.startswith("xl/externalLinks/") for m in members)
    targets = {}
    rels_part = "xl/_rels/workbook.xml.rels"
    if rels_part in members:
        targets = {r.get("Id"): r.get("Target", "") for r in _root(facts._zip.read(rels_part))}
    for el in book.iter():
        if _local(el.tag) != "sheet":
            continue
        rid = el.get(f"{{{REL}}}id") or el.get(f"{{{STRICT_REL}}}id") or ""
        target = targets.get(rid, "")
        part = _resolve("xl", target) if target else ""
        facts.sheets.append(SheetRef(el.get("name", ""), el.get("state", "visible"),
                                     part if part in members else ""))
    if "docProps/custom.xml" in members:
        facts.properties = _custom_properties(_root(facts._zip.read("docProps/custom.xml")))


def _custom_properties(root) -> dict[str, object]:
    props: dict[str, object] = {}
    for prop in root:
        if _local(prop.tag) != "property":
            continue
        child = next(iter(prop), None)
        if child is None or prop.get("name") is None:
            continue
        kind, text = _local(child.tag), child.text or ""
        if kind in NUMBER_TYPES:
            try:
                props[prop.get("name")] = float(text)
                continue
            except ValueError:
                pass
        props[prop.get("name")] = text.strip() == "true" if kind == "bool" else text
    return props


def read_workbook(path: Path, name: str | None = None) -> WorkbookFacts:
    """Read a file once and return its facts. Never raises for a file's content."""
    name = name or path.name
    try:
        size = path.stat().st_size
    except OSError:
        return WorkbookFacts(name, 0, "", problem="illisible")
    if size > MAX_FILE:
        return WorkbookFacts(name, size, "", problem="trop_gros")
    try:
        data = path.read_bytes()
    except OSError:
        return WorkbookFacts(name, size, "", problem="illisible")
    return read_bytes(name, data)
