"""A campaign's templates, most of them made from another company's rather than written anew.

Entry point: :class:`Stamper` (used by :mod:`.refresh`). Two companies' templates differ only in what names the
company — its name and identity in some cells (shared strings), the pages' header and footer, the document and
custom properties, its N−1 reminder cells — and in the heights of the rows holding those texts, which decide the
page breaks. Two companies whose texts take the same heights (the *shape*) have templates that differ only in those
texts: the first company of a shape is written by xlsxwriter (:func:`.template.write_template`) and becomes the
shape's skeleton; the others are its parts with the company's own texts put in their places, each rendered by
xlsxwriter's own XML writers (escaping, whitespace, control characters: the same bytes), zipped as xlsxwriter zips.

A company is written by xlsxwriter instead when one of its texts is also another cell's text (the shared strings
would be shared differently) or too long or empty. The second company of each shape is written both ways and
compared byte for byte: a difference (a company text this module does not know) stops the stamping for the run,
every template then written by xlsxwriter.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from xlsxwriter.core import Core
from xlsxwriter.custom import Custom
from xlsxwriter.sharedstrings import SharedStrings
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet
from xlsxwriter.xmlwriter import XMLwriter

from ..core import form
from ..core.campaign import Campaign
from ..core.layout import build_layout
from ..core.vocab import Role
from .guide import GUIDE_WIDTHS, guide_items, printed
from .template import (
    _InputSheet,
    custom_properties,
    document_properties,
    reminder,
    write_template,
)
from .xlsx import a4_texts, atomic_bytes, row_height

SENTINEL = "\ue000"  # a private-use character: the name of a company no text of a template holds
STRINGS, GUIDE, INPUT = "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"
APP, CORE, CUSTOM = "docProps/app.xml", "docProps/core.xml", "docProps/custom.xml"
ENTRY = re.compile(r"<si>.*?</si>", re.S)
MAX_TEXT = 16_000  # longer texts are cut by xlsxwriter (32,767 UTF-16 units): written by it


def _render(writer: XMLwriter, method: str, *args) -> str:
    writer.fh = io.StringIO()
    getattr(writer, method)(*args)
    return writer.fh.getvalue()


def _entry(text: str) -> str:
    """A shared string's ``<si>`` element, as xlsxwriter writes it."""
    return _render(SharedStrings(), "_write_si", text)


def _header_footer(title: str, right: str, footer: str) -> str:
    """A sheet's ``<headerFooter>`` element for :func:`.xlsx.a4`'s texts, as xlsxwriter writes it (it leaves out a
    header longer than Excel allows)."""
    sheet = Worksheet()
    header, footer = a4_texts(title, right, footer)
    sheet.set_header(header)
    sheet.set_footer(footer)
    return _render(sheet, "_write_header_footer")


def _cell(ref: str, style: str, value: float | None) -> str:
    writer, attributes = XMLwriter(), [("r", ref), ("s", style)]
    if value is None:
        return _render(writer, "_xml_empty_tag", "c", attributes)
    return _render(writer, "_xml_number_element", value, attributes)


@dataclass(frozen=True)
class _Variant:
    """What every template of a campaign with (or without) the reminder column shares."""

    positions: tuple[int, ...]  # the guide's items that name the company
    fixed: frozenset[str]  # the ``<si>`` elements of every other cell text
    measures: tuple[tuple[float, float], ...]  # (width, font size) the template measures a company's texts with
    reminders: tuple[tuple[int, str], ...]  # (layout row, cell) of the N−1 reminder cells


@dataclass
class _Skeleton:
    """A template's parts, cut where its company's texts are: text and slot keys alternating."""

    parts: list[tuple[str, bytes | list]]
    styles: dict[str, str]  # reminder cell -> its style index
    verified: bool = False


@dataclass
class Stamper:
    """Writes a campaign's templates, stamping those it can (see the module's docstring)."""

    campaign: Campaign
    variants: dict[bool, _Variant] = field(default_factory=dict)
    skeletons: dict[tuple, _Skeleton] = field(default_factory=dict)
    stamped: int = 0  # templates made from a skeleton, for the tests
    broken: bool = False

    def prepare(self, folder: Path, with_previous: bool) -> None:
        """Learn a variant from the template of a company named :data:`SENTINEL` (before forking workers)."""
        if with_previous in self.variants:
            return
        path = folder / f".{SENTINEL.encode().hex()}.modele.tmp.xlsx"
        previous = {} if with_previous else None
        try:
            write_template(self.campaign, SENTINEL, path, previous=previous)
            with zipfile.ZipFile(path) as zf:
                entries = ENTRY.findall(zf.read(STRINGS).decode("utf-8"))
        finally:
            path.unlink(missing_ok=True)
        items = guide_items(self.campaign, SENTINEL, previous)
        positions = tuple(i for i, (_kind, text) in enumerate(items) if SENTINEL in text)
        own = {_entry(s) for s in self._strings(SENTINEL, items, positions)}
        if not own <= set(entries) or len(set(entries)) != len(entries):
            self.broken = True
            return
        sheet = _InputSheet(None, None, self.campaign, "", "", previous)
        _last, value_width, width = sheet.head_widths()
        measures = ((GUIDE_WIDTHS[1], 10.0), (GUIDE_WIDTHS[1], 8.0), (value_width, 10.0), (width, 8.0))
        reminders: tuple = ()
        if with_previous:
            col = sheet.col[form.PREVIOUS]
            reminders = tuple((i, xl_rowcol_to_cell(form.BODY_START + i, col))
                              for i, row in enumerate(build_layout(self.campaign.nomenclature)) if row.role != Role.TITRE)
        self.variants[with_previous] = _Variant(positions, frozenset(set(entries) - own), measures, reminders)

    def _strings(self, company_id: str, items: list[tuple[str, str]], positions: tuple[int, ...]) -> tuple[str, ...]:
        """The cell texts naming a company: its name, its identity, the guide's items about it."""
        return (self.campaign.raison_sociale(company_id), form.identity_text(self.campaign, company_id),
                *(items[i][1] for i in positions))

    def write(self, company_id: str, path: Path, previous: dict[int, float] | None) -> None:
        """Write one company's template at ``path``, as :func:`.template.write_template` writes it."""
        variant = None if self.broken else self.variants.get(previous is not None)
        if variant is None:
            write_template(self.campaign, company_id, path, previous=previous)
            return
        company = self.campaign.raison_sociale(company_id)
        strings = self._strings(company_id, guide_items(self.campaign, company, previous), variant.positions)
        entries = [_entry(s) for s in strings]
        if (not all(0 < len(s) <= MAX_TEXT for s in strings) or len(set(entries)) != len(entries)
                or variant.fixed.intersection(entries)):
            write_template(self.campaign, company_id, path, previous=previous)
            return
        shape = (previous is not None, tuple(row_height([(s, w)], size) for s in strings for w, size in variant.measures))
        slots = self._slots(strings, entries, previous, variant)
        skeleton = self.skeletons.get(shape)
        if skeleton is None:
            write_template(self.campaign, company_id, path, previous=previous)
            skeleton = _cut(path.read_bytes(), slots)
            if skeleton is not None:
                self.skeletons[shape] = skeleton
            return
        data = _stamp(skeleton, slots, self._documents(company_id, previous))
        if not skeleton.verified:  # the shape's second company: written both ways, compared
            write_template(self.campaign, company_id, path, previous=previous)
            skeleton.verified = True
            self.broken = path.read_bytes() != data
            return
        atomic_bytes(path, data, ".tmp.xlsx")
        self.stamped += 1

    def _slots(self, strings: tuple[str, ...], entries: list[str], previous: dict[int, float] | None,
               variant: _Variant) -> dict:
        """Each place of a template holding the company's own texts -> what it holds, as xlsxwriter writes it."""
        identity = strings[1]
        slots: dict = {("si", k): entry for k, entry in enumerate(entries)}
        for k, texts in enumerate(printed(self.campaign, strings[0], identity)):
            slots[("hf", k)] = _header_footer(*texts)
        slots[("company",)] = _render(XMLwriter(), "_xml_data_element", "Company", strings[0])
        for i, ref in variant.reminders:
            slots[("cell", ref)] = reminder(previous or {}, i)  # rendered with the skeleton's style
        return slots

    def _documents(self, company_id: str, previous: dict[int, float] | None) -> dict[str, str]:
        """The document and custom properties' parts, rendered whole by xlsxwriter."""
        core, custom = Core(), Custom()
        core._set_properties(document_properties(self.campaign, company_id))
        custom._set_properties([(n, v, "text") for n, v in custom_properties(self.campaign, company_id, previous)])
        return {CORE: _render(core, "_assemble_xml_file"), CUSTOM: _render(custom, "_assemble_xml_file")}


_IN_PART = {STRINGS: "si", GUIDE: "hf0", INPUT: "hf1", APP: "company"}


def _cut(data: bytes, slots: dict) -> _Skeleton | None:
    """The skeleton of a template written by xlsxwriter, given what its slots hold; None when one is not found
    exactly once where it belongs."""
    parts, styles = [], {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            raw = zf.read(info)
            if info.filename in (CORE, CUSTOM):
                parts.append((info.filename, []))
                continue
            if info.filename not in _IN_PART:
                parts.append((info.filename, raw))
                continue
            text = raw.decode("utf-8")
            found = []
            for key, held in slots.items():
                kind = key[0] + (str(key[1]) if key[0] == "hf" else "")
                if key[0] == "cell" and info.filename == INPUT:
                    match = re.search(f'<c r="{key[1]}" s="(\\d+)"(?:/>|>.*?</c>)', text)
                    if match is None:
                        return None
                    styles[key[1]] = match.group(1)
                    found.append((match.start(), match.end(), key))
                elif kind == _IN_PART[info.filename]:
                    if text.count(held) != 1:
                        return None
                    start = text.index(held)
                    found.append((start, start + len(held), key))
            chunks, at = [], 0
            for start, end, key in sorted(found):
                chunks += [text[at:start], key]
                at = end
            parts.append((info.filename, [*chunks, text[at:]]))
    return _Skeleton(parts, styles)


def _stamp(skeleton: _Skeleton, slots: dict, documents: dict[str, str]) -> bytes:
    """A company's workbook: the skeleton's parts with its slots filled, zipped as xlsxwriter zips (in memory)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=False) as zf:
        for name, part in skeleton.parts:
            if isinstance(part, list):
                if name in documents:
                    text = documents[name]
                else:
                    text = "".join(c if isinstance(c, str) else _fill(c, slots, skeleton) for c in part)
                part = text.encode("utf-8")
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, part)
    return out.getvalue()


def _fill(key: tuple, slots: dict, skeleton: _Skeleton) -> str:
    if key[0] == "cell":
        return _cell(key[1], skeleton.styles[key[1]], slots[key])
    return slots[key]
