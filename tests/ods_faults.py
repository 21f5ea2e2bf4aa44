"""The fault corpus, continued: returns saved as .ods or .xls. Each starts from a good return written by
the project and converted by LibreOffice itself (``soffice --convert-to``, once per content: the
conversions are cached), then edited as the fault says — a value typed in the .ods, or a hostile
container (entity bomb, DOCTYPE, repeat counts claiming billions of cells, thousands of members, a zip
bomb, macros, encryption)."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from pipeline.core.form import KEY_TOTAL, SHEET_INPUT
from tests.faults import Ctx, Fault
from tests.helpers import ACCEPTED, REJECTED, WARNED

T = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
O = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
X = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_CONVERTED: dict[tuple[str, str], bytes] = {}


def converted(xlsx: Path, fmt: str) -> bytes:
    """The bytes LibreOffice writes when it converts ``xlsx`` to ``fmt`` (cached by content)."""
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice absent (apt-get install libreoffice-calc-nogui)")
    key = (hashlib.sha256(xlsx.read_bytes()).hexdigest(), fmt)
    if key not in _CONVERTED:
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "retour.xlsx"
            shutil.copyfile(xlsx, src)
            proc = subprocess.Popen(["soffice", f"-env:UserInstallation={(Path(tmp) / 'p').as_uri()}", "--headless",
                                     "--convert-to", fmt, "--outdir", tmp, str(src)], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, start_new_session=True)
            try:
                proc.wait(timeout=180)
            finally:
                if proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGKILL)
            _CONVERTED[key] = (Path(tmp) / f"retour.{fmt}").read_bytes()
    return _CONVERTED[key]


def _good(ctx: Ctx, fmt: str, name: str | None = None) -> Path:
    xlsx = ctx.good(name=f"_{ctx.company}.xlsx")
    data = converted(xlsx, fmt)
    xlsx.unlink()
    path = ctx.folder / (name or f"{ctx.company}.{fmt}")
    path.write_bytes(data)
    return path


def rewrite(path: Path, fixes: dict[str, Callable[[bytes], bytes]], add: dict[str, bytes] | None = None) -> None:
    """Rewrite members of a zip (``mimetype`` first and stored, as ODS wants it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            data = fixes[item.filename](data) if item.filename in fixes else data
            dst.writestr(item.filename, data, zipfile.ZIP_STORED if item.filename == "mimetype" else None)
        for name, data in (add or {}).items():
            dst.writestr(name, data)
    path.write_bytes(buffer.getvalue())


def _input_cell(content: etree._Element, key: str, column: int = 5) -> etree._Element:
    """The cell of ``column`` in the row whose code is ``key``, in the input sheet of content.xml."""
    table = next(t for t in content.iter(f"{{{T}}}table") if t.get(f"{{{T}}}name") == SHEET_INPUT)
    for row in table.iter(f"{{{T}}}table-row"):
        cells = [c for c in row if etree.QName(c).localname in ("table-cell", "covered-table-cell")]
        if cells and "".join(cells[0].itertext()) == key:
            col = 1
            for c in cells:
                n = int(c.get(f"{{{T}}}number-columns-repeated", "1"))
                if col <= column < col + n:
                    assert n == 1, "the cell to edit is a repeated one"
                    return c
                col += n
    raise KeyError(key)


def typed(key: str, value: str, value_type: str = "float", formula: str | None = None,
          total_delta: int | None = None) -> Callable[[Ctx], Path]:
    """A good .ods whose headcount cell of ``key`` holds ``value`` (as LibreOffice stores it); the
    declared total follows when ``total_delta`` says by how much."""

    def build(ctx: Ctx) -> Path:
        path = _good(ctx, "ods")

        def fix(data: bytes) -> bytes:
            content = etree.fromstring(data)
            cell = _input_cell(content, key)
            for attr in list(cell.attrib):
                if attr.startswith(f"{{{O}}}") or attr == f"{{{T}}}formula" or "value-type" in attr:
                    del cell.attrib[attr]
            for child in list(cell):
                cell.remove(child)
            cell.set(f"{{{O}}}value-type", value_type)
            if value_type in ("float", "percentage"):
                cell.set(f"{{{O}}}value", value)
            if formula:
                cell.set(f"{{{T}}}formula", formula)
            etree.SubElement(cell, f"{{{X}}}p").text = value
            if total_delta is not None:
                total = _input_cell(content, KEY_TOTAL)
                new = ctx.figures[KEY_TOTAL] - ctx.figures.get(key, 0) + total_delta
                total.set(f"{{{O}}}value", str(new))
                total[0].text = str(new)
            return etree.tostring(content, xml_declaration=True, encoding="UTF-8")

        rewrite(path, {"content.xml": fix})
        return path

    return build


def cell_of_key(key: str) -> Callable[[Path], str]:
    """The headcount cell of ``key`` in the built file, found by python-calamine (not by our reader)."""

    def find(path: Path) -> str:
        from python_calamine import CalamineWorkbook

        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SHEET_INPUT).to_python(skip_empty_area=False)
        return f"E{next(i for i, r in enumerate(rows, start=1) if r and r[0] == key)}"

    return find


def hostile_content(fix: Callable[[bytes], bytes], member: str = "content.xml") -> Callable[[Ctx], Path]:
    def build(ctx: Ctx) -> Path:
        path = _good(ctx, "ods", name=f"{ctx.company}_piege.ods")
        rewrite(path, {member: fix})
        return path

    return build


LOL = (b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
       + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol" + (str(i - 1).encode() if i > 1 else b"") + b";") * 10)
                  for i in range(1, 10)) + b"]>")


def _entity_bomb(data: bytes) -> bytes:
    head, _, rest = data.partition(b"?>")
    return head + b"?>" + LOL + rest.replace(b"<text:p>TOTAL</text:p>", b"<text:p>&lol9;</text:p>", 1)


def _huge_repeats(data: bytes) -> bytes:
    """A row of text cells repeated across the whole grid: 16,384 columns x 1,000,000 rows."""
    row = (b'<table:table-row table:number-rows-repeated="1000000"><table:table-cell '
           b'table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell>'
           b"</table:table-row>")
    return _at_sheet_end(data, row)


def _empty_repeats_then_a_cell(data: bytes) -> bytes:
    """A billion empty rows of a billion empty cells, then a cell: it lies beyond the grid."""
    rows = (b'<table:table-row table:number-rows-repeated="999999999999"><table:table-cell '
            b'table:number-columns-repeated="999999999999"/></table:table-row><table:table-row><table:table-cell '
            b'office:value-type="float" office:value="5"><text:p>5</text:p></table:table-cell></table:table-row>')
    return _at_sheet_end(data, rows)


def _at_sheet_end(data: bytes, rows: bytes) -> bytes:
    """``rows`` appended to the last sheet (the input sheet) of content.xml."""
    at = data.rindex(b"</table:table>")
    return data[:at] + rows + data[at:]


def zipped_ods(name: str, members: dict[str, bytes], mime: bytes = MIME) -> Callable[[Ctx], Path]:
    def build(ctx: Ctx) -> Path:
        path = ctx.folder / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("mimetype", mime, zipfile.ZIP_STORED)
            for member, data in members.items():
                zf.writestr(member, data)
        return path

    return build


def _with_members(add: dict[str, bytes], manifest: Callable[[bytes], bytes] | None = None) -> Callable[[Ctx], Path]:
    def build(ctx: Ctx) -> Path:
        path = _good(ctx, "ods", name=f"{ctx.company}_modifie.ods")
        rewrite(path, {"META-INF/manifest.xml": manifest} if manifest else {}, add)
        return path

    return build


def _encrypted(data: bytes) -> bytes:
    """The manifest of a password-protected .ods: its parts are encrypted (here, only said to be)."""
    manifest = etree.fromstring(data)
    ns = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
    entry = next(e for e in manifest if e.get(f"{{{ns}}}full-path") == "content.xml")
    etree.SubElement(entry, f"{{{ns}}}encryption-data", {f"{{{ns}}}checksum-type": "SHA1/1K",
                                                        f"{{{ns}}}checksum": "AAAA"})
    return etree.tostring(manifest, xml_declaration=True, encoding="UTF-8")


def _xls(ctx: Ctx) -> Path:
    return _good(ctx, "xls")


ODS_FAULTS: list[Fault] = [
    Fault("ods de LibreOffice", lambda c: _good(c, "ods"), ACCEPTED),
    Fault("ods nom en .xlsx", lambda c: _good(c, "ods", name=f"{c.company}.xlsx"), ACCEPTED),
    Fault("ods valeur négative", typed("0201", "-2", total_delta=-2), REJECTED, "la valeur −2 est négative",
          cell_of_key("0201")),
    Fault("ods texte", typed("0201", "douze", "string"), REJECTED, "la valeur « douze » n'est pas un nombre",
          cell_of_key("0201")),
    Fault("ods formule avec résultat", typed("0201", "12", formula="of:=2*6", total_delta=12), WARNED,
          "formule saisie (=2*6) : sa valeur calculée 12 est retenue", cell_of_key("0201")),
    Fault("ods formule liée", typed("0201", "3", formula="of:=['file:///C:/budget.ods'#$Feuil1.A3]", total_delta=3),
          REJECTED, "formule liée à un autre fichier (=[budget.ods]Feuil1!A3)", cell_of_key("0201")),
    Fault("ods pourcentage entier", typed("0201", "12", "percentage", total_delta=12), WARNED,
          "elle affiche 1\u202f200 %, la valeur 12 est retenue", cell_of_key("0201")),
    Fault("ods bombe d'entités", hostile_content(_entity_bomb), REJECTED, "constructions XML dangereuses"),
    Fault("ods DOCTYPE dans meta.xml", hostile_content(lambda d: d.replace(b"?>", b"?>" + LOL, 1), "meta.xml"),
          REJECTED, "constructions XML dangereuses"),
    Fault("ods répétitions démesurées", hostile_content(_huge_repeats), REJECTED, "anormalement volumineux"),
    Fault("ods milliard de lignes vides", hostile_content(_empty_repeats_then_a_cell), ACCEPTED),
    Fault("ods bombe zip", zipped_ods("bombe.ods", {"content.xml": b"\0" * (150 * 1024 * 1024)}), REJECTED,
          "anormalement volumineux"),
    Fault("ods à milliers de membres", zipped_ods("membres.ods", {"content.xml": b"<x/>",
                                                                 **{f"m{i}.xml": b"" for i in range(2500)}}),
          REJECTED, "anormalement volumineux"),
    Fault("ods avec macros", _with_members({"Basic/Standard/Module1.xml": b"<module/>"}), REJECTED,
          "classeur avec macros"),
    Fault("ods chiffré", _with_members({}, _encrypted), REJECTED, "protégé par mot de passe"),
    Fault("texte OpenDocument renommé .ods", zipped_ods("lettre.ods", {"content.xml": b"<office:document-content/>"},
                                                    b"application/vnd.oasis.opendocument.text"),
          REJECTED, "n'est pas un classeur"),
    Fault("xls de LibreOffice", _xls, REJECTED, "vos chiffres ont été lus et contrôlés"),
]
