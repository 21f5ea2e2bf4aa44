"""The reader sees the same workbook however its XML is spelt: attributes in any order, single or double
quotes, a namespace prefix, cells and rows without ``r=`` (position implied), inline strings instead of
shared ones. Every legal spelling of a return gives the same verdict, messages and values."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape, quoteattr

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline.check.inputs import check_folder
from pipeline.check.workbook import check_workbook
from pipeline.core.form import SHEET_INPUT
from pipeline.core.vocab import Status
from pipeline.read.sheet import shared_strings
from pipeline.read.xlsx import read_bytes
from tests.conftest import cell_of

SHEET = "xl/worksheets/sheet2.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _attr(name: str, value: str, quote: str) -> str:
    if quote == '"':
        return f" {name}={quoteattr(value)}"
    return f" {name}='" + escape(value, {"'": "&apos;"}) + "'"


def spell(xml: bytes, strings: list[str], prefix: str, quote: str, reverse: bool, drop_cell_refs: bool,
          drop_row_refs: bool, inline: bool) -> bytes:
    """The same worksheet written another legal way."""
    root = etree.fromstring(xml)
    p = f"{prefix}:" if prefix else ""
    out = []

    def emit(el, row_prev: list[int]) -> None:
        tag = etree.QName(el).localname
        ns = etree.QName(el).namespace
        name = (p + tag) if ns == MAIN else el.prefix + ":" + tag if el.prefix else tag
        attrs = [(k, v) for k, v in el.attrib.items()]
        if tag == "c" and inline and el.get("t") == "s":
            index = int(el.findtext(f"{{{MAIN}}}v"))
            attrs = [(k, v) for k, v in attrs if k != "t"] + [("t", "inlineStr")]
            children = [f"<{p}is><{p}t>{escape(strings[index])}</{p}t></{p}is>"]
        else:
            children = None
        if tag == "row":
            number = int(el.get("r"))
            if drop_row_refs and number == row_prev[0] + 1:
                attrs = [(k, v) for k, v in attrs if k != "r"]
            row_prev[0] = number
        if tag == "c" and drop_cell_refs and el.get("implied"):
            attrs = [(k, v) for k, v in attrs if k not in ("r", "implied")]
        attrs = [(k, v) for k, v in attrs if k != "implied"]
        if reverse:
            attrs.reverse()
        text = "".join(_attr(etree.QName(k).localname if k.startswith("{") and MAIN in k else
                             (f"r:{etree.QName(k).localname}" if k.startswith("{") else k), v, quote) for k, v in attrs)
        if el.getparent() is None:
            text += f" xmlns{':' + prefix if prefix else ''}={quote}{MAIN}{quote}"
            text += f" xmlns:r={quote}http://schemas.openxmlformats.org/officeDocument/2006/relationships{quote}"
        out.append(f"<{name}{text}>")
        if children is not None:
            out.extend(children)
        else:
            if el.text:
                out.append(escape(el.text))
            for child in el:
                emit(child, row_prev)
        out.append(f"</{name}>")
        if el.tail:
            out.append(escape(el.tail))

    for row in root.iter(f"{{{MAIN}}}row"):
        col = 0
        for c in row.iter(f"{{{MAIN}}}c"):
            letters = c.get("r").rstrip("0123456789")
            n = sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(letters)))
            if n == col + 1:
                c.set("implied", "1")
            col = n
    emit(root, [0])
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + "".join(out)).encode()


def _strings(data: bytes) -> list[str]:
    root = etree.fromstring(data)
    return ["".join(si.itertext()) for si in root.iter(f"{{{MAIN}}}si")]


def _rewrite(data: bytes, **options) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        strings = _strings(src.read("xl/sharedStrings.xml")) if "xl/sharedStrings.xml" in names else []
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == SHEET:
                content = spell(content, strings, **options)
            dst.writestr(item.filename, content)
    return buffer.getvalue()


def _verdict(campaign, data: bytes):
    facts = read_bytes("retour.xlsx", data)
    report = check_workbook(facts, campaign)
    facts.close()
    return (report.societe, report.feuille, report.total_cell, sorted(report.cells, key=repr),
            [(m.gravite, m.code, sorted(m.params.items()), m.feuille, m.cellule, m.cle) for m in report.messages],
            sorted(report.comments))


@pytest.fixture(scope="module")
def returns(tmp_path_factory, good_returns):
    """A good return, and one with problems of every kind that the XML spelling could hide."""
    folder = tmp_path_factory.mktemp("variants")
    bad = folder / "bad.xlsx"
    bad.write_bytes(good_returns["acta"].read_bytes())
    wb = openpyxl.load_workbook(bad)
    ws = wb[SHEET_INPUT]
    ws[cell_of(ws, "0102")] = "=[1]Feuil1!A3"      # an external formula
    ws[cell_of(ws, "0201")] = "12"                  # a number typed as text
    ws[cell_of(ws, "0301")].number_format = "0%"    # a percent style
    ws[cell_of(ws, "0302")] = "#N/A"
    ws[cell_of(ws, "0302")].data_type = "e"         # an error value
    ws[f"F{ws[cell_of(ws, '0401')].row}"] = "réorganisation"
    wb.save(bad)
    return {"good": good_returns["acta"].read_bytes(), "bad": bad.read_bytes()}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.sampled_from(["good", "bad"]), prefix=st.sampled_from(["", "x", "main"]),
       quote=st.sampled_from(['"', "'"]), reverse=st.booleans(), drop_cell_refs=st.booleans(),
       drop_row_refs=st.booleans(), inline=st.booleans())
def test_every_spelling_gives_the_same_verdict(campaign, returns, which, prefix, quote, reverse, drop_cell_refs,
                                               drop_row_refs, inline):
    original = returns[which]
    variant = _rewrite(original, prefix=prefix, quote=quote, reverse=reverse, drop_cell_refs=drop_cell_refs,
                       drop_row_refs=drop_row_refs, inline=inline)
    assert variant != original
    assert _verdict(campaign, variant) == _verdict(campaign, original)


def test_the_bad_return_is_bad_in_every_way(campaign, returns):
    """The problems the spelling must not hide are there to begin with."""
    _, _, _, cells, messages, comments = _verdict(campaign, returns["bad"])
    codes = {m[1] for m in messages}
    assert {"formule.liee", "valeur.texte_lu", "valeur.pourcentage"} <= codes, codes
    assert any(c[1] == "0302" and "N/A" in repr(c[5]) for c in cells)
    assert [c[2] for c in comments] == ["réorganisation"]


MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@pytest.mark.parametrize("prefix", ["", "x:"])
def test_shared_strings_in_every_form_excel_and_libreoffice_write(prefix):
    """Plain text, rich text runs (their pieces joined), phonetic guides (Japanese readings: not the text),
    empty items, whatever the namespace prefix: one string per item, in order."""
    p = prefix
    xmlns = f'xmlns{":" + p[:-1] if p else ""}="{MAIN_NS}"'
    items = [f"<{p}si><{p}t>Effectif</{p}t></{p}si>",
             f'<{p}si><{p}r><{p}rPr><{p}b/></{p}rPr><{p}t>Chargé </{p}t></{p}r>'
             f'<{p}r><{p}t xml:space="preserve">d\'assistance</{p}t></{p}r></{p}si>',
             f"<{p}si><{p}t>東京</{p}t><{p}rPh sb=\"0\" eb=\"2\"><{p}t>トウキョウ</{p}t></{p}rPh>"
             f"<{p}phoneticPr fontId=\"1\"/></{p}si>",
             f"<{p}si/>", f"<{p}si><{p}t/></{p}si>", f"<{p}si><{p}t>A &amp; B</{p}t></{p}si>"]
    data = f'<?xml version="1.0"?><{p}sst {xmlns}>{"".join(items)}</{p}sst>'.encode()
    assert shared_strings(data) == ["Effectif", "Chargé d'assistance", "東京", "", "", "A & B"]


def _with_value(data: bytes, where: str, stored: str) -> bytes:
    """The return with ``stored`` as the text of the value (``<v>``) of cell ``where`` of the input sheet."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == SHEET:
                root = etree.fromstring(content)
                cell = root.find(f".//{{{MAIN}}}c[@r='{where}']")
                for child in list(cell):
                    cell.remove(child)
                cell.attrib.pop("t", None)
                etree.SubElement(cell, f"{{{MAIN}}}v").text = stored
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(item.filename, content)
    return buffer.getvalue()


@pytest.mark.parametrize("stored, code", [("9" * 400, "valeur.non_finie"), ("-" + "9" * 400, "valeur.non_finie"),
                                          ("1" + "0" * 20, "valeur.invraisemblable"), ("²", "valeur.texte"),
                                          ("١٢", "valeur.texte")])
def test_a_number_no_spreadsheet_holds_is_reported_on_its_cell_and_the_batch_goes_on(
        tmp_path, campaign, good_returns, stored, code):
    """A figure stored as 400 digits (beyond any float), 21 digits (beyond Excel's 15), a superscript digit or
    digits of another script: the file is rejected with a message on that cell; the other files go through."""
    acta = good_returns["acta"]
    wb = openpyxl.load_workbook(acta)
    where = cell_of(wb[SHEET_INPUT], "0102")
    folder = tmp_path / "retours"
    folder.mkdir()
    (folder / acta.name).write_bytes(_with_value(acta.read_bytes(), where, stored))
    others = [p for company, p in good_returns.items() if company != "acta"][:2]
    for path in others:
        (folder / path.name).write_bytes(path.read_bytes())
    checked = check_folder(campaign, folder)
    status = dict(zip(checked.fichiers["fichier"], checked.fichiers["statut"]))
    assert status[acta.name] == Status.REJECTED and all(status[p.name] == Status.ACCEPTED for p in others), status
    on_cell = checked.messages[(checked.messages["fichier"] == acta.name) & (checked.messages["cellule"] == where)]
    assert code in set(on_cell["code"]), checked.messages[["cellule", "code"]].to_string()
