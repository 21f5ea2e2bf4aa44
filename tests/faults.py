"""The fault corpus: faulty and hostile returns, each built by code from a real generated template.

Each :class:`Fault` builds one or more entries in an input folder from a company's good return
(written by the project's own template writer), and says what the ingestion must answer: the
status of the entry, a fragment of the French message, and the cell that message names.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from tests.helpers import ACCEPTED, IGNORED, REJECTED, WARNED
from pipeline.core.form import KEY_NV, KEY_TOTAL, SHEET_INPUT
from pipeline.write.template import write_template

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
INPUT_SHEET_PART = "xl/worksheets/sheet2.xml"  # the input sheet is the second sheet of a template


@dataclass
class Ctx:
    """What a fault builder gets: its own company, the folder, and a way to write good returns."""

    campaign: object
    company: str
    folder: Path
    figures: dict[str, int]
    other: str = ""  # another company of the campaign, for "someone else's file"

    def good(self, name: str | None = None, company: str | None = None, values: dict | None = None) -> Path:
        company = company or self.company
        path = self.folder / (name or f"{company}.xlsx")
        return write_template(self.campaign, company, path, self.figures if values is None else values)


@dataclass
class Fault:
    name: str
    build: Callable[[Ctx], Path]
    status: str
    fragment: str | None = None          # None: the entry must have no message at all
    cell: str | Callable[[Path], str] | None = None  # "E:0201" = headcount cell of 0201 in the built file
    sheet: str | None = None             # default: the input sheet when a cell is named, else ""
    gravite: str | None = None           # default: erreur for rejected, avertissement for warned
    read_as_other: bool = False          # the entry is read as Ctx.other's return


# --- helpers to make faults --------------------------------------------------------------------


def row_of(ws, key: str) -> int:
    for c in ws["A"]:
        if c.value == key:
            return c.row
    raise KeyError(key)


def edited(fn: Callable, values: dict | None = None) -> Callable[[Ctx], Path]:
    """A good return edited with openpyxl, as HR would in Excel."""

    def build(ctx: Ctx) -> Path:
        path = ctx.good(values=values)
        wb = openpyxl.load_workbook(path)
        fn(wb, wb[SHEET_INPUT], ctx)
        wb.save(path)
        return path

    return build


def set_value(key: str, value, fix_total: bool = False, number_format: str | None = None):
    """Put ``value`` in the headcount cell of ``key``; ``fix_total`` keeps the declared total right."""

    def fn(wb, ws, ctx):
        cell = ws[f"E{row_of(ws, key)}"]
        cell.value = value
        if number_format:
            cell.number_format = number_format
        if fix_total:
            as_number = int(str(value).replace("\u202f", "").replace("\u00a0", "").replace(",0", "").strip())
            ws[f"E{row_of(ws, KEY_TOTAL)}"] = ctx.figures[KEY_TOTAL] - ctx.figures.get(key, 0) + as_number

    return edited(fn)


def cell_xml(key: str, inner: str, t: str | None = None, total_delta: int = 0) -> Callable[[Ctx], Path]:
    """Rewrite the XML of the headcount cell of ``key`` (what openpyxl cannot write: a formula with its
    stored result, an error value)."""

    def build(ctx: Ctx) -> Path:
        values = dict(ctx.figures)
        values[KEY_TOTAL] += total_delta - values.get(key, 0)
        values[key] = 0
        path = ctx.good(values=values)
        ws = openpyxl.load_workbook(path)[SHEET_INPUT]
        coord = f"E{row_of(ws, key)}"
        type_attr = f' t="{t}"' if t else ""

        def fix(xml: str) -> str:
            pattern = re.compile(rf'<c r="{coord}"( s="\d+")?[^>]*?(/>|>.*?</c>)')
            match = pattern.search(xml)
            return xml[: match.start()] + f'<c r="{coord}"{match.group(1) or ""}{type_attr}>{inner}</c>' + \
                xml[match.end():]

        rewrite_part(path, INPUT_SHEET_PART, fix)
        return path

    return build


def rewrite_part(path: Path, part: str, fix: Callable[[str], str], add: dict[str, bytes] | None = None) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == part:
                data = fix(data.decode("utf-8")).encode("utf-8")
            dst.writestr(item.filename, data)
        for name, data in (add or {}).items():
            dst.writestr(name, data)
    path.write_bytes(buffer.getvalue())


def raw_file(name: str, data: bytes | Callable[[Ctx], bytes]) -> Callable[[Ctx], Path]:
    def build(ctx: Ctx) -> Path:
        path = ctx.folder / name
        path.write_bytes(data(ctx) if callable(data) else data)
        return path

    return build


def zipped(name: str, members: dict[str, bytes], base: bool = False) -> Callable[[Ctx], Path]:
    """A zip built from scratch, or from a good return plus ``members``."""

    def build(ctx: Ctx) -> Path:
        path = ctx.folder / name
        if base:
            shutil.copyfile(ctx.good(name=f"_{name}.xlsx"), path)
            (ctx.folder / f"_{name}.xlsx").unlink()
            with zipfile.ZipFile(path, "a") as zf:
                for member, data in members.items():
                    zf.writestr(member, data)
        else:
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
                for member, data in members.items():
                    zf.writestr(member, data)
        return path

    return build


def prop(name: str, value: str | None) -> Callable:
    def fn(wb, ws, ctx):
        if value is None:
            wb.custom_doc_props.props = [p for p in wb.custom_doc_props.props if p.name != name]
        else:
            next(p for p in wb.custom_doc_props.props if p.name == name).value = value
    return edited(fn)


def _format_as_float(wb, ws, ctx):
    """What LibreOffice does to a number-like property: "1" becomes 1.0."""
    from openpyxl.packaging.custom import FloatProperty
    wb.custom_doc_props.props = [p for p in wb.custom_doc_props.props if p.name != "effectifs_format"]
    wb.custom_doc_props.append(FloatProperty(name="effectifs_format", value=1.0))


def _swap_rows(wb, ws, ctx):
    a, b = row_of(ws, "0102"), row_of(ws, "0601")
    for col in range(1, 7):
        ca, cb = ws.cell(a, col), ws.cell(b, col)
        ca.value, cb.value = cb.value, ca.value


def _duplicate_row(wb, ws, ctx):
    src = row_of(ws, "0402")
    ws.insert_rows(src + 1)
    for col in range(1, 7):
        ws.cell(src + 1, col).value = ws.cell(src, col).value


def _add_row(values: dict[int, object], string_cells: bool = False):
    def fn(wb, ws, ctx):
        r = row_of(ws, "0903") + 1
        ws.insert_rows(r)
        for col, v in values.items():
            c = ws.cell(r, col)
            c.value = v
            if string_cells:
                c.data_type = "s"
    return fn


def _many_added_rows(wb, ws, ctx):
    start = ws.max_row + 2
    for i in range(10_000):
        ws.cell(start + i, 2).value = f"ligne ajoutée {i}"


def _external_link(ctx: Ctx) -> Path:
    path = edited(lambda wb, ws, c: ws.__setitem__(f"E{row_of(ws, '0201')}", "='[budget.xlsx]Feuil1'!A3"))(ctx)
    rewrite_part(path, "xl/workbook.xml", lambda x: x, add={
        "xl/externalLinks/externalLink1.xml": b'<externalLink xmlns="http://schemas.openxmlformats.org/'
                                              b'spreadsheetml/2006/main"><externalBook/></externalLink>'})
    return path


def _two_files(ctx: Ctx) -> Path:
    """Two returns of one company that differ (one person moved between two rows): which one holds?"""
    rows = [k for k, v in ctx.figures.items() if k not in ("NV", "TOTAL") and v]
    other = {**ctx.figures, rows[0]: ctx.figures[rows[0]] - 1, rows[1]: ctx.figures[rows[1]] + 1}
    ctx.good(name=f"{ctx.company} (copie).xlsx", values=other)
    return ctx.good()


def _other_companys_file(ctx: Ctx) -> Path:
    """Company ``ctx.company`` returns the template (and figures) of ``ctx.other``."""
    return ctx.good(name=f"{ctx.company}.xlsx", company=ctx.other)


def _injected_comment(wb, ws, ctx):
    cell = ws[f"F{row_of(ws, '0201')}"]
    cell.value = '=HYPERLINK("http://x","clic")'
    cell.data_type = "s"  # typed as text: a comment, not a formula


def _folder(ctx: Ctx) -> Path:
    path = ctx.folder / "archives"
    path.mkdir()
    (path / "ancien.xlsx").write_bytes(b"")
    return path


def _merge_inputs(wb, ws, ctx):
    ws.merge_cells(f"E{row_of(ws, '0102')}:E{row_of(ws, '0103')}")


def _clear_code(wb, ws, ctx):
    ws[f"A{row_of(ws, '0201')}"] = None


def _code_as_number(wb, ws, ctx):
    ws[f"A{row_of(ws, '0201')}"] = 201


def _rename_sheet(wb, ws, ctx):
    ws.title = "Feuil1"


def _cell_of_renamed(path: Path) -> str:
    ws = openpyxl.load_workbook(path)["Feuil1"]
    return f"E{row_of(ws, '0201')}"


def _code_cell(key: str, second: bool = False) -> Callable[[Path], str]:
    def find(path: Path) -> str:
        ws = openpyxl.load_workbook(path)[SHEET_INPUT]
        rows = [c.row for c in ws["A"] if c.value == key]
        return f"A{rows[1] if second else rows[0]}"
    return find


def _row_after(key: str, col: str) -> Callable[[Path], str]:
    def find(path: Path) -> str:
        ws = openpyxl.load_workbook(path)[SHEET_INPUT]
        return f"{col}{row_of(ws, key) + 1}"
    return find


def _blank_template(ctx: Ctx) -> Path:
    return write_template(ctx.campaign, ctx.company, ctx.folder / f"{ctx.company}.xlsx")


def _bomb(ctx: Ctx) -> Path:
    path = ctx.good()
    lol = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
           + ']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
           '<si><t>&lol9;</t></si></sst>')
    rewrite_part(path, "xl/sharedStrings.xml", lambda x: lol)
    return path


def _title_edited(wb, ws, ctx):
    ws.protection.sheet = False
    ws[f"B{row_of(ws, '0201')}"] = "Médecin"


def _header_destroyed(wb, ws, ctx):
    for row in ws.iter_rows(max_row=15):
        for c in row:
            if c.value == "Code":
                c.value = None


def far_cell(ref_: str, inner: str) -> Callable[[Ctx], Path]:
    """A good return with one more cell far from the table (a new row at the end of the sheet data)."""

    def build(ctx: Ctx) -> Path:
        path = ctx.good()
        row = re.match(r"[A-Z]+(\d+)", ref_).group(1)
        rewrite_part(path, INPUT_SHEET_PART,
                     lambda x: x.replace("</sheetData>", f'<row r="{row}"><c r="{ref_}"{inner}</c></row></sheetData>'))
        return path

    return build


def _strict(ctx: Ctx) -> Path:
    path = ctx.good()
    rewrite_part(path, "xl/workbook.xml", lambda x: x.replace(
        "http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main"))
    return path


def _two_input_sheets(ctx: Ctx) -> Path:
    """The guide sheet renamed « Effectifs » in the workbook part: two sheets with one name."""
    path = ctx.good()
    rewrite_part(path, "xl/workbook.xml", lambda x: x.replace('name="Mode d&apos;emploi"', 'name="Effectifs"')
                 .replace("name=\"Mode d'emploi\"", 'name="Effectifs"'))
    return path


def _previous_year_column(wb, ws, ctx):
    """HR inserts last year's figures, headed « Effectif au … (pour mémoire) », left of this year's."""
    ws.insert_cols(5)
    header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Code")
    ws.cell(header, 5).value = "Effectif au 01/07/2006 (pour mémoire)"
    for r in range(header + 1, ws.max_row + 1):
        if isinstance(ws.cell(r, 6).value, (int, float)):
            ws.cell(r, 5).value = 999


def _two_effectif_columns(wb, ws, ctx):
    header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Code")
    ws.insert_cols(5)
    ws.cell(header, 5).value = "Effectif 2006"
    ws.cell(header, 6).value = "Effectif 2007"


def _non_utf8_name(ctx: Ctx) -> Path:
    """A name as unzip leaves it from an archive made on Windows: bytes that are not UTF-8."""
    good = ctx.good(name="_tmp.xlsx")
    raw = os.fsencode(ctx.folder) + b"/retour_soci\xe9t\xe9.xlsx"
    os.rename(os.fsencode(good), raw)
    return Path(os.fsdecode(raw))


E = "E:"  # prefix: the headcount cell of a key

FAULTS: list[Fault] = [
    # values
    Fault("décimal", set_value("0201", 3.5), REJECTED, "la valeur 3,5 n'est pas un nombre entier", E + "0201"),
    Fault("négatif", set_value("0201", -2), REJECTED, "la valeur −2 est négative", E + "0201"),
    Fault("négatif NV", set_value(KEY_NV, -1), REJECTED, "la valeur −1 est négative", E + KEY_NV),
    Fault("texte", set_value("0201", "douze"), REJECTED, "la valeur « douze » n'est pas un nombre", E + "0201"),
    Fault("texte décimal", set_value("0201", "12,5"), REJECTED, "la valeur 12,5 n'est pas un nombre entier",
          E + "0201"),
    Fault("nombre en texte", set_value("0201", "12", True), WARNED, "nombre saisi comme texte (« 12 »)", E + "0201"),
    Fault("nombre en texte avec espaces", set_value("0201", " 12 ", True), WARNED, "lu comme 12", E + "0201"),
    Fault("espace insécable", set_value("0201", "1\u00a0200", True), WARNED, "lu comme 1\u202f200", E + "0201"),
    Fault("espace fine insécable", set_value("0201", "1\u202f200", True), WARNED, "lu comme 1\u202f200", E + "0201"),
    Fault("virgule zéro", set_value("0201", "12,0", True), WARNED, "(« 12,0 ») : lu comme 12", E + "0201"),
    Fault("formule avec résultat", cell_xml("0201", "<f>2*6</f><v>12</v>", total_delta=12), WARNED,
          "formule saisie (=2*6) : sa valeur calculée 12 est retenue", E + "0201"),
    Fault("formule sans résultat", set_value("0201", "=2*6"), REJECTED, "formule sans résultat numérique", E + "0201"),
    Fault("erreur #REF!", cell_xml("0201", "<v>#REF!</v>", t="e"), REJECTED, "erreur de formule (#REF!)",
          E + "0201"),
    Fault("erreur #VALUE!", cell_xml("0201", "<f>1+\"a\"</f><v>#VALUE!</v>", t="e"), REJECTED,
          "la formule =1+\"a\" donne une erreur (#VALEUR!) au lieu d'un nombre", E + "0201"),
    Fault("erreur #DIV/0!", cell_xml("0201", "<f>4/0</f><v>#DIV/0!</v>", t="e"), REJECTED,
          "la formule =4/0 donne une erreur (#DIV/0!)", E + "0201"),
    Fault("formule au résultat texte", cell_xml("0201", "<f>\"a\"&amp;1</f><v>a1</v>", t="str"), REJECTED,
          "formule sans résultat numérique", E + "0201"),
    Fault("format date", set_value("0201", 12, number_format="dd/mm/yyyy"), REJECTED, "contient une date",
          E + "0201"),
    Fault("format pourcentage décimal", set_value("0201", 0.12, number_format="0%"), REJECTED,
          "la cellule est au format pourcentage et affiche 12 % : un pourcentage a été saisi", E + "0201"),
    Fault("signe moins en texte", set_value("0201", "\u22124"), REJECTED, "la valeur −4 est négative", E + "0201"),
    Fault("format pourcentage entier", set_value("0201", 12, True, number_format="0%"), WARNED,
          "elle affiche 1\u202f200 %, la valeur 12 est retenue", E + "0201"),
    Fault("VRAI", set_value("0201", True), REJECTED, "valeur logique (VRAI)", E + "0201"),
    Fault("FAUX", set_value("0201", False), REJECTED, "valeur logique (FAUX)", E + "0201"),
    Fault("chiffre absurde", set_value("0201", 1_000_000, True), REJECTED, "la valeur 1\u202f000\u202f000 est invraisemblable",
          E + "0201"),
    Fault("total déclaré faux", edited(lambda wb, ws, c: ws.__setitem__(f"E{row_of(ws, KEY_TOTAL)}",
                                                                         c.figures[KEY_TOTAL] + 7)),
          REJECTED, "ne correspond pas à la somme des effectifs saisis", E + KEY_TOTAL),
    Fault("total déclaré vide", set_value(KEY_TOTAL, None), REJECTED, "(ligne TOTAL) est vide", E + KEY_TOTAL),
    Fault("modèle vide", _blank_template, REJECTED, "aucun effectif n'est saisi", E + KEY_TOTAL),
    Fault("valeur sur un sous-total", edited(lambda wb, ws, c: ws.__setitem__(f"E{row_of(ws, '0205') + 1}", 40)),
          WARNED, "saisie sur une ligne de total (« Sous-total 02 - Activités médicales »)", _row_after("0205", "E")),
    Fault("valeur sur un titre", edited(lambda wb, ws, c: ws.__setitem__(f"E{row_of(ws, '02')}", 40)), WARNED,
          "saisie sur une ligne de titre", lambda p: f"E{_rows(p, '02')}"),
    Fault("commentaire très long", edited(lambda wb, ws, c: ws.__setitem__(f"F{row_of(ws, '0201')}", "x" * 40_000)),
          WARNED, "commentaire très long (32\u202f767 caractères) : seuls les 2\u202f000 premiers", lambda p: f"F{_rows(p, '0201')}"),
    # structure
    Fault("feuille renommée", edited(_rename_sheet), WARNED, "a été renommée « Feuil1 »", None, sheet="Feuil1"),
    Fault("feuille supprimée", edited(lambda wb, ws, c: wb.remove(ws)), REJECTED, "feuille « Effectifs » introuvable"),
    Fault("feuille ajoutée", edited(lambda wb, ws, c: wb.create_sheet("Brouillon")), WARNED,
          "feuille ajoutée : Brouillon (non lue)"),
    Fault("lignes insérées", edited(lambda wb, ws, c: ws.insert_rows(row_of(ws, "0102"), 3)), ACCEPTED),
    Fault("ligne supprimée", edited(lambda wb, ws, c: ws.delete_rows(row_of(ws, "0303"), 1)), REJECTED,
          "la ligne du code « 0303 » (Chargé(e) de méthodes et procédures) est introuvable", None,
          sheet=SHEET_INPUT),
    Fault("ligne dupliquée", edited(_duplicate_row), REJECTED, "le code « 0402 » apparaît 2 fois",
          _code_cell("0402", second=True)),
    Fault("lignes triées", edited(_swap_rows), ACCEPTED),
    Fault("lignes masquées", edited(lambda wb, ws, c: [setattr(ws.row_dimensions[row_of(ws, k)], "hidden", True)
                                                       for k in ("0102", "0103", "0201")]), ACCEPTED),
    Fault("cellules fusionnées", edited(_merge_inputs), REJECTED, "est fusionnée avec d'autres", E + "0102"),
    Fault("code effacé", edited(_clear_code), REJECTED, "la ligne du code « 0201 » (Médecin régulateur(trice)) est "
          "introuvable", None, sheet=SHEET_INPUT),
    Fault("code devenu nombre", edited(_code_as_number), WARNED, "code saisi comme nombre (201) : lu comme « 0201 »",
          lambda p: f"A{_rows(p, 201)}"),
    Fault("code remplacé", edited(lambda wb, ws, c: ws.__setitem__(f"A{row_of(ws, '0201')}", "0202")), REJECTED,
          "le code « 0202 » apparaît 2 fois", _code_cell("0202", second=True)),
    Fault("colonne insérée", edited(lambda wb, ws, c: ws.insert_cols(4)), ACCEPTED),
    Fault("protection retirée, intitulé modifié", edited(_title_edited), WARNED,
          "intitulé modifié : « Médecin » au lieu de « Médecin régulateur(trice) »", lambda p: f"B{_rows(p, '0201')}"),
    Fault("ligne ajoutée avec effectif", edited(_add_row({2: "Paie intérimaire", 5: 4})), REJECTED,
          "ligne ajoutée hors du modèle avec un effectif (Paie intérimaire | 4)", _row_after("0903", "E")),
    Fault("ligne ajoutée sans effectif", edited(_add_row({2: "Note : voir DRH"})), WARNED,
          "ligne ajoutée hors du modèle, non prise en compte (Note : voir DRH)", _row_after("0903", "A")),
    Fault("en-tête détruit", edited(_header_destroyed), REJECTED, "ligne d'en-tête introuvable", None,
          sheet=SHEET_INPUT),
    Fault("10 000 lignes ajoutées", edited(_many_added_rows), WARNED, "autres lignes ajoutées hors du modèle",
          None, sheet=SHEET_INPUT),
    # identity
    Fault("propriétés supprimées", prop("effectifs_societe", None), REJECTED,
          "informations d'identification du modèle sont absentes"),
    Fault("société modifiée", prop("effectifs_societe", "inconnue-sa"), REJECTED, "société « inconnue-sa » inconnue"),
    Fault("modèle d'une autre campagne", prop("effectifs_campagne", "2005"), REJECTED,
          "modèle de la campagne « 2005 »"),
    Fault("ancienne version du modèle", prop("effectifs_format", "0"), REJECTED, "ancienne version du modèle"),
    Fault("autre nomenclature", prop("effectifs_nomenclature", "0123456789ab"), REJECTED,
          "autre version de la nomenclature"),
    Fault("deux fichiers pour une société", _two_files, REJECTED, "plusieurs fichiers pour la société"),
    # Counted as the template's company (its figures are), the secretary told its name names another one.
    Fault("fichier d'une autre société", _other_companys_file, ACCEPTED, "le nom de ce fichier évoque",
          gravite="information", read_as_other=True),
    # files
    Fault(".xls endommagé", raw_file("retour.xls", OLE + b"\0" * 504), REJECTED,
          "ancien format Excel 97-2003 (.xls) illisible"),
    Fault(".ods tronqué", raw_file("retour.ods", b"PK\x03\x04"), REJECTED, "classeur endommagé ou incomplet"),
    Fault(".csv", raw_file("retour.csv", "code;effectif\n0101;3\n".encode()), REJECTED, "fichier CSV"),
    Fault(".xlsm avec macros", zipped("retour.xlsm", {"xl/vbaProject.bin": b"\0" * 64}, base=True), REJECTED,
          "classeur avec macros (.xlsm), refusé"),
    Fault("macros renommé .xlsx", zipped("retour_macros.xlsx", {"xl/vbaProject.bin": b"\0" * 64}, base=True),
          REJECTED, "classeur avec macros, refusé"),
    Fault("chiffré par mot de passe", raw_file("chiffre.xlsx", (Path(__file__).parent / "data/mot-de-passe.xlsx")
                                                .read_bytes()), REJECTED,
          "protégé par mot de passe : son contenu est chiffré"),
    Fault("OLE sans classeur, nommé .xlsx", raw_file("ole.xlsx", OLE + b"\0" * 504), REJECTED,
          "ancien format Excel 97-2003 (.xls) illisible"),
    Fault("zip tronqué", raw_file("tronque.xlsx", lambda c: c.good(name="_t.xlsx").read_bytes()[:5000]), REJECTED,
          "classeur endommagé ou incomplet"),
    Fault("zip corrompu", raw_file("corrompu.xlsx", b"PK\x03\x04" + b"\x13" * 3000), REJECTED,
          "classeur endommagé ou incomplet"),
    Fault("0 octet", raw_file("vide.xlsx", b""), REJECTED, "fichier vide (0 octet)"),
    Fault("PDF renommé", raw_file("scan.xlsx", b"%PDF-1.4\n%..."), REJECTED, "c'est un PDF"),
    Fault("image renommée", raw_file("photo.xlsx", b"\x89PNG\r\n\x1a\n" + b"\0" * 64), REJECTED, "c'est une image"),
    Fault("document Word renommé", zipped("lettre.xlsx", {"word/document.xml": b"<w:document/>"}), REJECTED,
          "n'est pas un classeur Excel"),
    Fault("fichier texte", raw_file("notes.txt", b"rien"), REJECTED, "fichier « .txt » non reconnu"),
    Fault("dossier", _folder, IGNORED, "dossier ignoré", gravite="information"),
    Fault("verrou Excel", raw_file("~$retour.xlsx", b"x"), IGNORED, "fichier de verrouillage", gravite="information"),
    Fault("verrou LibreOffice", raw_file(".~lock.retour.xlsx#", b"x"), IGNORED, "fichier de verrouillage",
          gravite="information"),
    Fault("nom avec accents et espaces", lambda c: c.good(name="Retour société été 2007 (définitif).xlsx"),
          ACCEPTED),
    # hostile
    Fault("bombe d'entités XML", _bomb, REJECTED, "constructions XML dangereuses"),
    Fault("bombe zip", zipped("bombe.xlsx", {"xl/workbook.xml": b"<workbook/>",
                                             "xl/worksheets/sheet1.xml": b"\0" * (150 * 1024 * 1024)}),
          REJECTED, "anormalement volumineux"),
    Fault("zip à milliers de membres", zipped("membres.xlsx", {"xl/workbook.xml": b"<workbook/>",
                                                               **{f"xl/m{i}.xml": b"" for i in range(2500)}}),
          REJECTED, "anormalement volumineux"),
    Fault("feuille XML démesurée", zipped("enorme.xlsx", {"xl/workbook.xml": b"<workbook/>",
                                                         "xl/worksheets/sheet2.xml": b"<row/>" * 2_000_000}),
          REJECTED, "anormalement volumineux"),
    Fault("lien cassé", lambda c: (c.folder / "lien.xlsx").symlink_to(c.folder / "absent.xlsx")
          or c.folder / "lien.xlsx", REJECTED, "pas un fichier ordinaire"),
    Fault("propriétés devenues nombres", edited(_format_as_float), ACCEPTED),
    Fault("liaison externe", _external_link, REJECTED, "formule liée à un autre fichier", E + "0201"),
    Fault("injection dans un commentaire", edited(_injected_comment), ACCEPTED),
    Fault("injection dans une ligne ajoutée", edited(_add_row({2: "=cmd|' /C calc'!A0"}, string_cells=True)), WARNED,
          "=cmd|' /C calc'!A0", _row_after("0903", "A")),
    # issue 12: files that crashed, hung or were read wrongly
    Fault("NaN stocké", cell_xml("0201", "<v>NaN</v>"), REJECTED, "valeur numérique invalide (NaN)", E + "0201"),
    Fault("infini dans le total", cell_xml(KEY_TOTAL, "<v>inf</v>"), REJECTED, "valeur numérique invalide (+inf)",
          E + KEY_TOTAL),
    Fault("bruit de calcul", set_value("0201", 87.00000000000001), REJECTED,
          "la valeur 87,00000000000001 n'est pas un nombre entier", E + "0201"),
    Fault("cellule en XFD1048576", far_cell("XFD1048576", ' t="inlineStr"><is><t>x</t></is>'), WARNED,
          "ligne ajoutée hors du modèle, non prise en compte (x)", "A1048576"),
    Fault("cellule en A1048576", far_cell("A1048576", "><v>5</v>"), WARNED,
          "ligne ajoutée hors du modèle, non prise en compte (5)", "A1048576"),
    Fault("cellule en XFD5000", far_cell("XFD5000", "><v>7</v>"), WARNED,
          "ligne ajoutée hors du modèle, non prise en compte (7)", "A5000"),
    Fault("deux feuilles Effectifs", _two_input_sheets, REJECTED, "2 feuilles nommées « Effectifs »"),
    Fault("colonne de l'an passé insérée", edited(_previous_year_column), WARNED,
          "colonne « Effectif au 01/07/2006 (pour mémoire) » ajoutée, non lue", "E10"),
    Fault("deux colonnes Effectif", edited(_two_effectif_columns), REJECTED,
          "plusieurs colonnes peuvent contenir les effectifs", "E10", sheet=SHEET_INPUT),
    Fault("Strict Open XML", _strict, REJECTED, "« Strict Open XML »"),
    Fault("Thumbs.db", raw_file("Thumbs.db", b"\0" * 64), IGNORED, "fichier créé par le système",
          gravite="information"),
    Fault("desktop.ini", raw_file("desktop.ini", b"[.ShellClassInfo]"), IGNORED, "fichier créé par le système",
          gravite="information"),
    Fault("Zone.Identifier", raw_file("retour.xlsx:Zone.Identifier", b"[ZoneTransfer]\nZoneId=3"), IGNORED,
          "fichier créé par le système", gravite="information"),
    Fault("nom non UTF-8", _non_utf8_name, ACCEPTED),
]


def _rows(path: Path, key) -> int:
    try:
        ws = openpyxl.load_workbook(path)[SHEET_INPUT]
    except ValueError:  # a value openpyxl cannot read (NaN, inf): locate the row in a copy without it
        copy = path.with_name("_copy_" + path.name)
        shutil.copyfile(path, copy)
        rewrite_part(copy, INPUT_SHEET_PART, lambda x: x.replace("<v>NaN</v>", "<v>0</v>").replace("<v>inf</v>",
                                                                                                "<v>0</v>"))
        ws = openpyxl.load_workbook(copy)[SHEET_INPUT]
        copy.unlink()
    for c in ws["A"]:
        if c.value == key:
            return c.row
    raise KeyError(key)


def expected_cell(fault: Fault, path: Path) -> str:
    if fault.cell is None:
        return ""
    if callable(fault.cell):
        return fault.cell(path)
    if fault.cell.startswith(E):
        return f"E{_rows(path, fault.cell[len(E):])}"
    return fault.cell
