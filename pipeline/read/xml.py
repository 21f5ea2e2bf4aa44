"""Hardened XML parsing for the reader: lxml with no DTD, no entity expansion and no network, and the
cell-address arithmetic of spreadsheets."""

from __future__ import annotations

import functools
import re

from lxml import etree

_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


def parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           remove_comments=True, remove_pis=True)


class XmlRefused(Exception):
    """A part holds a DOCTYPE (entity bombs, external entities): it is not parsed."""


class XmlBroken(Exception):
    """A part is not well-formed XML."""


def refuse_dtd(data: bytes) -> None:
    """No spreadsheet part has a DTD; one that declares any is a trap (entity bombs, external entities).
    A DOCTYPE can only be markup here: in text, "<" is always escaped."""
    if b"<!DOCTYPE" in data or b"<\x00!\x00D\x00O\x00C\x00T\x00Y\x00P\x00E" in data:
        raise XmlRefused()


def syntax_error(err: etree.XMLSyntaxError) -> Exception:
    text = str(err).lower()
    return XmlRefused() if "entity" in text or "amplification" in text else XmlBroken(str(err))


def root(data: bytes) -> etree._Element:
    """The root element of a part, parsed whole. Raises XmlRefused / XmlBroken."""
    refuse_dtd(data)
    try:
        element = etree.fromstring(data, parser())
    except etree.XMLSyntaxError as err:
        raise syntax_error(err) from None
    if element.getroottree().docinfo.doctype:
        raise XmlRefused()
    return element


def natural(text: str | None, default: int) -> int:
    """A count or index written in ASCII digits, 12 at most (beyond any spreadsheet's grid); ``default`` for
    anything else — digits of another script (« ² »), a sign, a number no sheet holds."""
    return int(text) if text and len(text) <= 12 and text.isascii() and text.isdigit() else default


def local(tag: object) -> str:
    """An element's name without its namespace (any namespace, any prefix)."""
    return _local(tag) if isinstance(tag, str) else ""


@functools.lru_cache(maxsize=2_000)  # bounded: a hostile file may hold any number of distinct names
def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


@functools.lru_cache(maxsize=20_000)  # the columns of a campaign's returns are a few dozen: parsed once
def column_number(letters: str) -> int:
    """"E" -> 5, "XFD" -> 16384; 0 for anything that is not 1 to 3 letters."""
    n = 0
    if 1 <= len(letters) <= 3 and letters.isalpha() and letters.isascii():
        for ch in letters.upper():
            n = n * 26 + ord(ch) - 64
    return n


@functools.lru_cache(maxsize=20_000)
def column_letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def ref(row: int, col: int) -> str:
    return f"{column_letters(col)}{row}"


def area(text: str) -> tuple[int, int, int, int] | None:
    """(min row, min col, max row, max col) of a range such as "B2:D4"; None when it is not one."""
    return _short_area(text) if len(text) <= 32 else _area(text)  # "$XFD$1048576:$XFD$1048576" is 25 long


@functools.lru_cache(maxsize=20_000)  # the merged areas of a campaign's returns are the template's
def _short_area(text: str) -> tuple[int, int, int, int] | None:
    return _area(text)


def _area(text: str) -> tuple[int, int, int, int] | None:
    parts = text.split(":")
    found = [_REF.match(p) for p in parts]
    if not all(found) or not found:
        return None
    rows = [int(m.group(2)) for m in found]
    cols = [column_number(m.group(1)) for m in found]
    return min(rows), min(cols), max(rows), max(cols)


def resolve(base: str, target: str) -> str:
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
