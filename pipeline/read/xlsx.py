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
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .sheet import (
    CellFact,
    SheetFacts,
    number_formats,
    parse_notes,
    parse_sheet,
    shared_strings,
)
from .xml import XmlBroken, XmlRefused, local, ref, resolve, root

__all__ = ["CellFact", "SheetFacts", "WorkbookFacts", "XmlBroken", "XmlRefused", "read_bytes", "read_workbook", "ref"]

# Limits, checked on the file and its zip directory before anything is decompressed.
MAX_FILE = 50 * 1024 * 1024          # the file itself (a template is about 25 KB)
MAX_MEMBERS = 2_000
MAX_UNCOMPRESSED = 50 * 1024 * 1024  # the whole content (pasted images included)
MAX_XML_PART = 10 * 1024 * 1024      # one XML part: ~100,000 rows; a template's sheet is 35 KB
MAX_RATIO = 200                      # compression ratio of the whole, above 10 MB
RATIO_FROM = 10 * 1024 * 1024

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
NUMBER_TYPES = {"r4", "r8", "i1", "i2", "i4", "i8", "int", "ui1", "ui2", "ui4", "ui8", "uint", "decimal"}
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
    format: str = "xlsx"       # what the file was read as: "xlsx", "ods" or "xls"
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
            self._formats = number_formats(self._read_optional("xl/styles.xml"))
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
            self._strings = shared_strings(data) if data else []
        return self._strings

    def _parse_sheet(self, sheet: SheetRef) -> SheetFacts:
        facts = parse_sheet(sheet.name, self._zip.read(sheet.part), self._shared_strings)
        facts.notes = self._notes(sheet.part)
        return facts

    def _notes(self, part: str) -> dict[tuple[int, int], str]:
        """Notes (comments) attached to the sheet's cells."""
        p = PurePosixPath(part)
        rels = self._read_optional(str(p.parent / "_rels" / (p.name + ".rels")))
        notes: dict[tuple[int, int], str] = {}
        for rel in (root(rels) if rels else []):
            if str(rel.get("Type", "")).endswith("/comments"):
                data = self._read_optional(resolve(str(p.parent), rel.get("Target", "")))
                if data:
                    notes.update(parse_notes(data))
        return notes


def container_problem(infos: list[zipfile.ZipInfo]) -> str:
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
    facts.problem = container_problem(infos)
    if facts.problem:
        zf.close()
        return facts
    facts._zip = zf
    facts.members = frozenset(i.filename for i in infos)
    if "mimetype" in facts.members and "xl/workbook.xml" not in facts.members:
        facts.problem = "opendocument"  # pipeline.read.returns reads it (zip left open)
        return facts
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
    book = root(facts._zip.read("xl/workbook.xml"))
    ns = book.tag[1:].split("}")[0] if str(book.tag).startswith("{") else ""
    if ns == STRICT_MAIN:
        facts.problem = "strict"
        return
    facts.external_links = any(m.startswith("xl/externalLinks/") for m in members)
    targets = {}
    rels_part = "xl/_rels/workbook.xml.rels"
    if rels_part in members:
        targets = {r.get("Id"): r.get("Target", "") for r in root(facts._zip.read(rels_part))}
    for el in book.iter():
        if local(el.tag) != "sheet":
            continue
        rid = el.get(f"{{{REL}}}id") or el.get(f"{{{STRICT_REL}}}id") or ""
        target = targets.get(rid, "")
        part = resolve("xl", target) if target else ""
        facts.sheets.append(SheetRef(el.get("name", ""), el.get("state", "visible"),
                                     part if part in members else ""))
    if "docProps/custom.xml" in members:
        facts.properties = _custom_properties(root(facts._zip.read("docProps/custom.xml")))


def _custom_properties(element) -> dict[str, object]:
    props: dict[str, object] = {}
    for prop in element:
        if local(prop.tag) != "property":
            continue
        child = next(iter(prop), None)
        if child is None or prop.get("name") is None:
            continue
        kind, text = local(child.tag), child.text or ""
        if kind in NUMBER_TYPES:
            try:
                props[prop.get("name")] = float(text)
                continue
            except ValueError:
                pass
        props[prop.get("name")] = text.strip() == "true" if kind == "bool" else text
    return props


def load(path: Path, name: str) -> bytes | WorkbookFacts:
    """A file's bytes, or the facts saying why they were not read (too large, unreadable)."""
    try:
        size = path.stat().st_size
    except OSError:
        return WorkbookFacts(name, 0, "", problem="illisible")
    if size > MAX_FILE:
        return WorkbookFacts(name, size, "", problem="trop_gros")
    try:
        return path.read_bytes()
    except OSError:
        return WorkbookFacts(name, size, "", problem="illisible")


def read_workbook(path: Path, name: str | None = None) -> WorkbookFacts:
    """Read an .xlsx once and return its facts. Never raises for a file's content."""
    name = name or path.name
    data = load(path, name)
    return data if isinstance(data, WorkbookFacts) else read_bytes(name, data)
